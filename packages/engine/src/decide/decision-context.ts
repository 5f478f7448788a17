/** The working set of one decision: the draft state it changes and what it emits. */
import type { PipelineState } from '../model/pipeline-state.js';
import type { Deployment } from '../model/pipeline-state.js';
import type { EngineCommandSpec } from './commands.js';
import type { DecideEnv, EngineConfig } from './engine-config.js';
import type { EngineEventSpec } from './events.js';

export class DecisionContext {
  readonly commands: EngineCommandSpec[] = [];
  readonly events: EngineEventSpec[] = [];
  /** Ids of deployments this decision changed (their summary rows are rewritten). */
  readonly touched = new Set<string>();
  readonly now: string;
  readonly nowMs: number;
  readonly config: EngineConfig;
  private readonly commandIds = new Set<string>();

  constructor(
    /** A private copy: decisions change it in place. */
    readonly state: PipelineState,
    env: DecideEnv,
  ) {
    this.now = env.now;
    this.nowMs = Date.parse(env.now);
    this.config = env.config;
  }

  emit(event: EngineEventSpec): void {
    this.events.push(event);
  }

  /** Queues a command; a second command with the same id in one decision is dropped. */
  command(command: EngineCommandSpec): void {
    if (this.commandIds.has(command.id)) return;
    this.commandIds.add(command.id);
    this.commands.push(command);
  }

  /** Marks a deployment changed now. */
  touch(deployment: Deployment): void {
    deployment.updatedAt = this.now;
    this.touched.add(deployment.id);
  }

  /** `now` plus `ms`, ISO. */
  after(ms: number): string {
    return new Date(this.nowMs + ms).toISOString();
  }
}
