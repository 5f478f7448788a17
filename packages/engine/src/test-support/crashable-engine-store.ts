/**
 * Wraps a store to simulate a process killed with SIGKILL: from the crash on, no call of the
 * dropped runtime ever returns, and the call that crashes reaches the store first (the database
 * committed, the process died before hearing back). A fresh runtime on the inner store resumes.
 */
import type {
  CommitResult,
  DeploymentQuery,
  DeploymentSummary,
  EngineCommand,
  EngineCommit,
  EngineEvent,
  EngineStore,
  EventQuery,
  JsonValue,
  StoredPipelineState,
} from '../ports/engine-store.js';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

export class CrashableEngineStore implements EngineStore {
  /** Store calls made so far. */
  calls = 0;
  crashed = false;
  /** Resolves when the process dies. */
  readonly died: Promise<void>;
  private markDied: () => void = () => undefined;

  /** @param crashAtCall the call (1-based) during which the process dies; none when absent. */
  constructor(
    private readonly inner: EngineStore,
    private readonly crashAtCall?: number,
  ) {
    this.died = new Promise((resolve) => (this.markDied = resolve));
  }

  /** Kills the process now. */
  crash(): void {
    this.crashed = true;
    this.markDied();
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    if (this.crashed) return never<T>();
    this.calls += 1;
    if (this.crashAtCall !== undefined && this.calls >= this.crashAtCall) {
      this.crash();
      await run().catch(() => undefined);
      return never<T>();
    }
    const result = await run();
    return this.crashed ? never<T>() : result;
  }

  loadPipeline(id: string): Promise<StoredPipelineState | undefined> {
    return this.call(() => this.inner.loadPipeline(id));
  }
  listPipelineIds(): Promise<string[]> {
    return this.call(() => this.inner.listPipelineIds());
  }
  commit(commit: EngineCommit): Promise<CommitResult> {
    return this.call(() => this.inner.commit(commit));
  }
  claimCommands(options: {
    owner: string;
    now: string;
    leaseMs: number;
    limit: number;
  }): Promise<EngineCommand[]> {
    return this.call(() => this.inner.claimCommands(options));
  }
  renewLeases(owner: string, ids: string[], until: string): Promise<string[]> {
    return this.call(() => this.inner.renewLeases(owner, ids, until));
  }
  releaseCommand(owner: string, id: string): Promise<void> {
    return this.call(() => this.inner.releaseCommand(owner, id));
  }
  listEvents(query: EventQuery): Promise<EngineEvent[]> {
    return this.call(() => this.inner.listEvents(query));
  }
  listDeployments(query: DeploymentQuery): Promise<DeploymentSummary[]> {
    return this.call(() => this.inner.listDeployments(query));
  }
  getDeployment(id: string): Promise<DeploymentSummary | undefined> {
    return this.call(() => this.inner.getDeployment(id));
  }
  getEffects(commandId: string): Promise<Record<string, JsonValue>> {
    return this.call(() => this.inner.getEffects(commandId));
  }
  putEffect(commandId: string, name: string, value: JsonValue): Promise<void> {
    return this.call(() => this.inner.putEffect(commandId, name, value));
  }
  close(): Promise<void> {
    return this.call(() => this.inner.close());
  }
}
