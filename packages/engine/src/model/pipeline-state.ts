/**
 * The engine's state document: everything it knows about one pipeline, as plain JSON (times are
 * ISO strings). It is stored whole with a version; `schemaVersion` guards the shape.
 */
import type { JsonValue } from '../ports/engine-store.js';
import type { ArtifactBuildSpec, DeploymentPlan, JsonObject } from './deployment-plan.js';
import type {
  AlarmState,
  ApprovalKind,
  BlockerKind,
  BuildStatus,
  DeploymentStatus,
  ManualBlockerOrigin,
  RollbackKind,
  RollbackStatus,
  StageStatus,
  StageWaitReason,
  StepStatus,
} from './statuses.js';

/** The schema version this engine reads and writes. */
export const PIPELINE_STATE_SCHEMA_VERSION = 1;

/** Who did something and why: every manual operation carries one. */
export interface Attribution {
  /** `user:<name>`, `token:<id>`, `system`, `alarm:<name>`. */
  actor: string;
  reason: string;
  /** ISO time. */
  at: string;
}

export interface StepError {
  message: string;
  /** A stable reason: `timeout`, `rejected`, `executor`, `params`, `no-executor`, `approval-timeout`, `cancelled`. */
  code: string;
}

export interface StepExecution {
  name: string;
  /** Index of the step in the stage plan (command ids use it: names may hold any character). */
  index: number;
  type: string;
  status: StepStatus;
  /** The stage run this step belongs to (1 on the first run, +1 on each retry or re-entry). */
  attempt: number;
  /** How many commands this attempt issued (approval continuations and polls add one each). */
  calls: number;
  /** The execute command in flight, when one is. */
  commandId?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Params of the latest call, markers filled (what a manual rollback to this revision reuses). */
  params?: JsonObject;
  outputs?: JsonObject;
  error?: StepError;
  /** Bake: when it ends by itself. */
  bakeEndsAt?: string;
  /** Manual approvals and steps asking for approval: the message shown. */
  approvalMessage?: string;
  approvedBy?: Attribution;
  rejectedBy?: Attribution;
  /** Opaque state a step asked to get back on its next call (`poll-again`). */
  pollingState?: JsonValue;
}

export interface StageExecution {
  name: string;
  status: StageStatus;
  /** Set while `waiting`. */
  waitingFor?: StageWaitReason;
  /** Runs of this stage so far (entries into checking resources). */
  run: number;
  /** When the deployment reached this stage (queued before it). */
  reachedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The window instant a waiting stage wakes up at, when its window is closed. */
  windowOpensAt?: string;
  windowOverride?: Attribution;
  /** Commands of the current run. */
  checkCommandId?: string;
  mirrorCommandId?: string;
  /** Mirrored copies: artifact id → field → value (fills `[ARTIFACT:id/field]` markers). */
  artifacts?: Record<string, Record<string, string>>;
  steps: StepExecution[];
  /** The rollback that ran (or runs) for this stage execution. */
  rollbackId?: string;
  error?: string;
  cancelledBy?: Attribution;
}

/** One build of a built-once artifact of a deployment (into the CI/CD account). */
export interface ArtifactBuild {
  /** Index of the artifact in `plan.artifacts` (command ids use it: names may hold any character). */
  index: number;
  name: string;
  id: string;
  status: BuildStatus;
  /** 1 for the first build; +1 each time a retry builds it again. @default 1 */
  attempt?: number;
  /** The build command, once started. */
  commandId?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The CI/CD copy's fields: what `pipeline.pre_mirror_artifacts[...]` reads and stages mirror. */
  fields?: Record<string, string>;
  /** Set when an earlier build was reused (no `rebuild_when_changed` path changed). */
  reusedFrom?: { revision: number; commitSha: string };
  /** Why it failed: the builder's message, with the build's last log lines. */
  error?: string;
}

/**
 * The last successful build of an artifact, for `rebuild_when_changed`: kept per artifact id (per
 * `<stage>/<id>` for `per_stage` artifacts) with the spec it was built from, so a changed spec
 * is never answered with an old build.
 */
export interface LastBuild {
  deploymentId: string;
  revision: number;
  commitSha: string;
  fields: Record<string, string>;
  spec: ArtifactBuildSpec;
  at: string;
}

export interface Deployment {
  id: string;
  revision: number;
  commitSha: string;
  /** What started it: `push`, `release`, `api`, … */
  trigger: string;
  actor: string;
  reason?: string;
  branch?: string;
  /** The caller's idempotency key: a second request with it returns this deployment. */
  requestId?: string;
  plan: DeploymentPlan;
  status: DeploymentStatus;
  /** Index of the stage it is in (or waiting before); the last stage once finished. */
  currentStage: number;
  /** Builds of `plan.artifacts`, in plan order. @default absent: nothing built once */
  builds?: ArtifactBuild[];
  /** Why it ended before any stage started (a build failed). */
  error?: string;
  stages: StageExecution[];
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** The stage, account and region a command works in. */
export interface StageTarget {
  pipelineId: string;
  pipelineSlug: string;
  stage: string;
  accountId: string;
  region: string;
  role: string;
}

export interface Blocker {
  id: string;
  kind: BlockerKind;
  /** For `alarm` blockers: the alarm and the stage whose alarm it is. */
  alarm?: { name: string; stage: string };
  /** For `manual` blockers. */
  origin?: ManualBlockerOrigin;
  actor: string;
  reason: string;
  since: string;
}

export interface RevisionRef {
  deploymentId: string;
  revision: number;
}

/** Per stage: what is deployed there, who holds it, who waits, what blocks it. */
export interface StageTrack {
  stage: string;
  /** Where it deploys and the alarms it watches (from the latest plan that reached it). */
  target?: StageTarget;
  alarms: string[];
  /** The good revision deployed in the stage now: what an automatic rollback restores. */
  lastGood?: RevisionRef;
  /** Revisions that succeeded here, newest last (targets of a manual rollback); bounded. */
  goodHistory: (RevisionRef & { at: string })[];
  /** The deployment running in the stage, or the manual rollback restoring it. */
  occupant?: { deploymentId: string } | { rollbackId: string };
  /** Deployments waiting to enter, oldest first (a newer one supersedes older ones). */
  queued: string[];
  blockers: Blocker[];
  /** The outstanding periodic alarm poll. */
  poll?: { seq: number; commandId: string; dueAt: string };
  pollSeq: number;
  blockerSeq: number;
}

export interface AlarmRecord {
  stage: string;
  name: string;
  state: AlarmState;
  /** When the alarm entered this state (CloudWatch's `StateUpdatedTimestamp`). */
  changedAt: string;
  /** When the engine last heard of it. */
  observedAt: string;
}

export interface PendingApproval {
  kind: ApprovalKind;
  deploymentId: string;
  revision: number;
  stage: string;
  step: string;
  since: string;
  /** A bake's end, or when an approval times out. */
  until?: string;
  message?: string;
}

export interface RollbackStepExecution {
  name: string;
  type: string;
  status: StepStatus;
  commandId: string;
  /** Stage-plan params of the revision restored; absent when it did not have the step. */
  targetParams?: JsonObject;
  /** The step's outputs when the restored revision deployed it. */
  targetOutputs?: JsonObject;
  /** The step's outputs in the revision being rolled back. */
  failedOutputs?: JsonObject;
  outputs?: JsonObject;
  error?: StepError;
  startedAt?: string;
  finishedAt?: string;
}

export interface RollbackRecord {
  id: string;
  kind: RollbackKind;
  stage: string;
  status: RollbackStatus;
  target: StageTarget;
  /** The deployment rolled back (auto), or the one that was deployed (manual). */
  fromDeploymentId?: string;
  fromRevision?: number;
  toDeploymentId: string;
  toRevision: number;
  /** The alarm that triggered an automatic rollback. */
  alarm?: { name: string; changedAt: string };
  actor: string;
  reason: string;
  decidedAt: string;
  finishedAt?: string;
  /** Alarm state change → decision. */
  timeToDetectMs?: number;
  /** Decision → rollback finished. */
  timeToRestoreMs?: number;
  steps: RollbackStepExecution[];
  error?: string;
}

export interface PipelineState {
  schemaVersion: typeof PIPELINE_STATE_SCHEMA_VERSION;
  pipelineId: string;
  /** The revision number the next deployment gets. */
  nextRevision: number;
  /** Ordered by revision. Finished ones beyond the retention are pruned (their rows stay in the store). */
  deployments: Deployment[];
  tracks: Record<string, StageTrack>;
  /** Latest known state of each watched alarm, keyed `<stage>/<alarm>`. */
  alarms: Record<string, AlarmRecord>;
  approvals: PendingApproval[];
  /** Newest last; bounded. */
  rollbacks: RollbackRecord[];
  rollbackSeq: number;
  /**
   * The last successful build per artifact id (`<stage>/<id>` for `per_stage` ones).
   * @default absent in states written before artifact builds existed
   */
  lastBuilds?: Record<string, LastBuild>;
}

/** The state of a pipeline nothing happened to yet. */
export function initialPipelineState(pipelineId: string): PipelineState {
  return {
    schemaVersion: PIPELINE_STATE_SCHEMA_VERSION,
    pipelineId,
    nextRevision: 1,
    deployments: [],
    tracks: {},
    alarms: {},
    approvals: [],
    rollbacks: [],
    rollbackSeq: 0,
  };
}
