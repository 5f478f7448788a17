/**
 * The EngineStore port in memory, for tests. It keeps the port's contract exactly: optimistic
 * concurrency (a stale version throws StoreConflictError), enqueueing an existing command id is a
 * no-op, claims lease commands and skip held ones, and everything goes through a JSON copy, so
 * nothing the caller keeps can change what is stored.
 */
import {
  StoreConflictError,
  type CommitResult,
  type DeploymentQuery,
  type DeploymentSummary,
  type EngineCommand,
  type EngineCommit,
  type EngineEvent,
  type EngineStore,
  type EventQuery,
  type JsonValue,
  type StoredPipelineState,
} from '../ports/engine-store.js';

export interface StoreClock {
  now(): Date;
}

export class MemoryEngineStore implements EngineStore {
  private readonly pipelines = new Map<string, StoredPipelineState>();
  private readonly events: EngineEvent[] = [];
  private readonly commands = new Map<string, EngineCommand>();
  private readonly deployments = new Map<string, DeploymentSummary>();
  private readonly effects = new Map<string, Record<string, JsonValue>>();
  private seq = 0;
  /** Commits applied, for tests that count writes. */
  commitCount = 0;

  constructor(private readonly clock: StoreClock) {}

  loadPipeline(pipelineId: string): Promise<StoredPipelineState | undefined> {
    const stored = this.pipelines.get(pipelineId);
    return Promise.resolve(stored === undefined ? undefined : copy(stored));
  }

  listPipelineIds(): Promise<string[]> {
    return Promise.resolve([...this.pipelines.keys()].sort());
  }

  commit(commit: EngineCommit): Promise<CommitResult> {
    const current = this.pipelines.get(commit.pipelineId)?.version ?? 0;
    if (current !== commit.expectedVersion) {
      return Promise.reject(
        new StoreConflictError(commit.pipelineId, commit.expectedVersion, current),
      );
    }
    const at = this.clock.now().toISOString();
    const version = current + 1;
    this.pipelines.set(commit.pipelineId, {
      pipelineId: commit.pipelineId,
      version,
      state: copy(commit.state),
      updatedAt: at,
    });
    const eventSeqs = commit.events.map((event) => {
      this.seq += 1;
      this.events.push({ ...copy(event), seq: this.seq, pipelineId: commit.pipelineId });
      return this.seq;
    });
    for (const command of commit.commands) {
      if (this.commands.has(command.id)) continue;
      this.commands.set(command.id, {
        ...copy(command),
        pipelineId: commit.pipelineId,
        dueAt: command.dueAt ?? at,
        attempts: 0,
        status: 'pending',
      });
    }
    for (const id of commit.completedCommandIds ?? []) {
      const command = this.commands.get(id);
      if (command === undefined) continue;
      command.status = 'done';
      delete command.leaseOwner;
      delete command.leaseUntil;
    }
    for (const row of commit.deployments ?? []) this.deployments.set(row.id, copy(row));
    this.commitCount += 1;
    return Promise.resolve({ version, eventSeqs });
  }

  claimCommands(options: {
    owner: string;
    now: string;
    leaseMs: number;
    limit: number;
  }): Promise<EngineCommand[]> {
    const now = Date.parse(options.now);
    const until = new Date(now + options.leaseMs).toISOString();
    const claimable = [...this.commands.values()]
      .filter(
        (c) =>
          c.status === 'pending' &&
          Date.parse(c.dueAt) <= now &&
          (c.leaseUntil === undefined || Date.parse(c.leaseUntil) <= now),
      )
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))
      .slice(0, Math.max(0, options.limit));
    for (const c of claimable) {
      c.leaseOwner = options.owner;
      c.leaseUntil = until;
      c.attempts += 1;
    }
    return Promise.resolve(claimable.map(copy));
  }

  renewLeases(owner: string, ids: string[], until: string): Promise<string[]> {
    const lost: string[] = [];
    for (const id of ids) {
      const c = this.commands.get(id);
      if (c === undefined || c.status !== 'pending' || c.leaseOwner !== owner) lost.push(id);
      else c.leaseUntil = until;
    }
    return Promise.resolve(lost);
  }

  releaseCommand(owner: string, id: string): Promise<void> {
    const c = this.commands.get(id);
    if (c !== undefined && c.leaseOwner === owner) {
      delete c.leaseOwner;
      delete c.leaseUntil;
    }
    return Promise.resolve();
  }

  listEvents(query: EventQuery): Promise<EngineEvent[]> {
    const found = this.events.filter(
      (e) =>
        (query.pipelineId === undefined || e.pipelineId === query.pipelineId) &&
        (query.deploymentId === undefined || e.deploymentId === query.deploymentId) &&
        (query.afterSeq === undefined || e.seq > query.afterSeq),
    );
    return Promise.resolve(found.slice(0, query.limit ?? 1000).map(copy));
  }

  listDeployments(query: DeploymentQuery): Promise<DeploymentSummary[]> {
    const found = [...this.deployments.values()]
      .filter(
        (d) =>
          (query.pipelineId === undefined || d.pipelineId === query.pipelineId) &&
          (query.status === undefined || d.status === query.status) &&
          (query.beforeRevision === undefined || d.revision < query.beforeRevision),
      )
      .sort((a, b) => b.revision - a.revision || b.createdAt.localeCompare(a.createdAt));
    return Promise.resolve(found.slice(0, query.limit ?? 50).map(copy));
  }

  getDeployment(id: string): Promise<DeploymentSummary | undefined> {
    const found = this.deployments.get(id);
    return Promise.resolve(found === undefined ? undefined : copy(found));
  }

  getEffects(commandId: string): Promise<Record<string, JsonValue>> {
    return Promise.resolve(copy(this.effects.get(commandId) ?? {}));
  }

  putEffect(commandId: string, name: string, value: JsonValue): Promise<void> {
    const journal = this.effects.get(commandId) ?? {};
    journal[name] = copy(value);
    this.effects.set(commandId, journal);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Every command in the outbox, for assertions. */
  allCommands(): EngineCommand[] {
    return [...this.commands.values()].map(copy);
  }
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
