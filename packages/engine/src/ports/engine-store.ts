// The durable storage the engine needs, as a port: one versioned state document per pipeline,
// an append-only event log, a command outbox with leases, and step effect journals. The store
// package implements it on SQLite and PostgreSQL; the engine never sees SQL.

/** Any JSON value. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A pipeline's engine state as stored: the document and its optimistic-concurrency version. */
export interface StoredPipelineState {
  pipelineId: string;
  /** Incremented by every commit; 1 after the first. */
  version: number;
  /** The engine's state document (it carries its own `schemaVersion`). */
  state: JsonValue;
  /** ISO time of the last commit. */
  updatedAt: string;
}

/** An entry of the event log (the audit trail) before it is stored. */
export interface NewEngineEvent {
  /** A stable code, e.g. `stage.started`, `step.failed`, `operation.approve`. */
  type: string;
  /** ISO time on the engine clock. */
  at: string;
  deploymentId?: string;
  stage?: string;
  step?: string;
  /** Who caused it: `system`, `user:<name>`, `token:<id>`, `alarm:<name>`. @default 'system' */
  actor?: string;
  /** Why, for manual operations. */
  reason?: string;
  data?: JsonValue;
}

/** A stored event: its global sequence number orders every event of the store. */
export interface EngineEvent extends NewEngineEvent {
  seq: number;
  pipelineId: string;
}

/** A command for the runtime to carry out (run a step, start a timer, check an alarm …). */
export interface NewEngineCommand {
  /**
   * Unique and deterministic: the idempotency key. Enqueuing an id that already exists is a
   * no-op, so replaying a decision never duplicates work.
   */
  id: string;
  type: string;
  payload: JsonValue;
  /** ISO time before which the command must not run (timers). @default now */
  dueAt?: string;
}

/** A command in the outbox. */
export interface EngineCommand extends NewEngineCommand {
  pipelineId: string;
  dueAt: string;
  /** How many times a worker claimed it. */
  attempts: number;
  status: 'pending' | 'done';
  leaseOwner?: string;
  /** ISO time the lease expires; after it another worker may claim the command. */
  leaseUntil?: string;
}

/** A row of the deployment list, kept in step with the state document by each commit. */
export interface DeploymentSummary {
  id: string;
  pipelineId: string;
  revision: number;
  commitSha: string;
  /** The deployment status (the engine's closed union, stored as text). */
  status: string;
  trigger: string;
  createdAt: string;
  updatedAt: string;
}

/** One atomic commit: the new state, its events, its commands, all or nothing. */
export interface EngineCommit {
  pipelineId: string;
  /** The version the decision was made on; 0 when the pipeline has no state yet. */
  expectedVersion: number;
  state: JsonValue;
  events: NewEngineEvent[];
  commands: NewEngineCommand[];
  /** Commands whose results this commit consumed; marked done in the same transaction. */
  completedCommandIds?: string[];
  /** Deployment rows to insert or update. */
  deployments?: DeploymentSummary[];
}

/** What `commit` returns. */
export interface CommitResult {
  version: number;
  /** The sequence numbers given to the commit's events, in order. */
  eventSeqs: number[];
}

/** Filters of {@link EngineStore.listEvents}. */
export interface EventQuery {
  pipelineId?: string;
  deploymentId?: string;
  /** Only events with a greater sequence number (streaming resumes from here). */
  afterSeq?: number;
  /** @default 1000 */
  limit?: number;
}

/** Filters of {@link EngineStore.listDeployments} (newest first). */
export interface DeploymentQuery {
  pipelineId?: string;
  status?: string;
  /** Only revisions lower than this (paging backwards). */
  beforeRevision?: number;
  /** @default 50 */
  limit?: number;
}

/** Thrown by `commit` when `expectedVersion` is not the stored version. */
export class StoreConflictError extends Error {
  constructor(
    readonly pipelineId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      `pipeline ${pipelineId} changed concurrently: expected version ${expectedVersion}, found ${actualVersion}`,
    );
    this.name = 'StoreConflictError';
  }
}

/** The engine's storage port. */
export interface EngineStore {
  loadPipeline(pipelineId: string): Promise<StoredPipelineState | undefined>;
  listPipelineIds(): Promise<string[]>;
  /** Applies a commit atomically; throws {@link StoreConflictError} on a version mismatch. */
  commit(commit: EngineCommit): Promise<CommitResult>;
  /**
   * Leases up to `limit` pending commands due by `now` that nobody holds (or whose lease
   * expired), oldest due first, incrementing their attempts. Safe with several workers.
   */
  claimCommands(options: {
    owner: string;
    now: string;
    leaseMs: number;
    limit: number;
  }): Promise<EngineCommand[]>;
  /** Extends leases the owner still holds; returns the ids it no longer holds. */
  renewLeases(owner: string, ids: string[], until: string): Promise<string[]>;
  /** Gives a claimed command back without completing it (a worker shutting down). */
  releaseCommand(owner: string, id: string): Promise<void>;
  listEvents(query: EventQuery): Promise<EngineEvent[]>;
  listDeployments(query: DeploymentQuery): Promise<DeploymentSummary[]>;
  getDeployment(id: string): Promise<DeploymentSummary | undefined>;
  /**
   * The effect journal of a command: what an executor already did in AWS (a registered task
   * definition ARN …), written before and after each external effect so a re-run after a crash
   * resumes instead of repeating it.
   */
  getEffects(commandId: string): Promise<Record<string, JsonValue>>;
  putEffect(commandId: string, name: string, value: JsonValue): Promise<void>;
  close(): Promise<void>;
}
