/**
 * Every closed set of states the engine knows, with the predicates over them. One file, so a new
 * status is added in one place and every `switch` that misses it fails to compile.
 */

/**
 * Where a deployment (one revision going through the stages) stands. `building` comes first when
 * the plan has artifacts built once: no stage starts until every build succeeded.
 */
export const DEPLOYMENT_STATUSES = [
  'building',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'rolled_back',
  'superseded',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/**
 * Where one stage of one deployment stands. `waiting` covers the previous stage, a busy stage,
 * blockers and a closed window (see {@link StageWaitReason}); `not_reached` marks the stages a
 * deployment never got to because it ended earlier.
 */
export const STAGE_STATUSES = [
  'waiting',
  'checking_resources',
  'mirroring',
  'running_steps',
  'baking',
  'rolling_back',
  'succeeded',
  'failed',
  'cancelled',
  'rolled_back',
  'superseded',
  'not_reached',
] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

/** Why a `waiting` stage does not start yet, checked in this order. */
export const STAGE_WAIT_REASONS = ['previous_stage', 'stage_busy', 'blocked', 'window'] as const;
export type StageWaitReason = (typeof STAGE_WAIT_REASONS)[number];

/** Where one build of a built-once artifact stands (`pending` waits for a free build slot). */
export const BUILD_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type BuildStatus = (typeof BUILD_STATUSES)[number];

/** Where one step of one stage execution stands. */
export const STEP_STATUSES = [
  'pending',
  'running',
  'waiting_for_approval',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** A rollback of one stage: automatic (an alarm) or manual (an operator's choice of revision). */
export const ROLLBACK_KINDS = ['auto', 'manual'] as const;
export type RollbackKind = (typeof ROLLBACK_KINDS)[number];

export const ROLLBACK_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type RollbackStatus = (typeof ROLLBACK_STATUSES)[number];

/** What put a blocker on a stage: an alarm in ALARM, or a person (stop, manual rollback). */
export const BLOCKER_KINDS = ['alarm', 'manual'] as const;
export type BlockerKind = (typeof BLOCKER_KINDS)[number];

/** Which operation a manual blocker came from; `resume` lifts `stop`, `roll_forward` lifts `rollback`. */
export const MANUAL_BLOCKER_ORIGINS = ['stop', 'rollback'] as const;
export type ManualBlockerOrigin = (typeof MANUAL_BLOCKER_ORIGINS)[number];

/** CloudWatch alarm states. */
export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** What a pending approval waits on: a bake, an `APPROVAL:MANUAL` step, or a step that asked (Terraform plan). */
export const APPROVAL_KINDS = ['bake', 'manual', 'step'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** Whether a deployment has ended. `failed` ends it too; a retry starts it again. */
export function isTerminalDeploymentStatus(status: DeploymentStatus): boolean {
  return status !== 'running' && status !== 'building';
}

/** Whether a build has ended. */
export function isTerminalBuildStatus(status: BuildStatus): boolean {
  switch (status) {
    case 'succeeded':
    case 'failed':
    case 'cancelled':
      return true;
    case 'pending':
    case 'running':
      return false;
    default:
      return exhaustive(status);
  }
}

/** Whether a stage execution has ended. */
export function isTerminalStageStatus(status: StageStatus): boolean {
  switch (status) {
    case 'succeeded':
    case 'failed':
    case 'cancelled':
    case 'rolled_back':
    case 'superseded':
    case 'not_reached':
      return true;
    case 'waiting':
    case 'checking_resources':
    case 'mirroring':
    case 'running_steps':
    case 'baking':
    case 'rolling_back':
      return false;
    default:
      return exhaustive(status);
  }
}

/** Whether a stage execution holds its stage (one revision per stage at a time). */
export function isActiveStageStatus(status: StageStatus): boolean {
  return !isTerminalStageStatus(status) && status !== 'waiting';
}

/** Before the steps run: nothing is deployed yet, so an alarm sends the stage back to waiting. */
export function isPreparingStageStatus(status: StageStatus): boolean {
  return status === 'checking_resources' || status === 'mirroring';
}

/** Steps or bake in progress: an alarm now rolls the stage back. */
export function isDeployingStageStatus(status: StageStatus): boolean {
  return status === 'running_steps' || status === 'baking';
}

/** Whether a step has ended. */
export function isTerminalStepStatus(status: StepStatus): boolean {
  switch (status) {
    case 'succeeded':
    case 'failed':
    case 'skipped':
    case 'cancelled':
      return true;
    case 'pending':
    case 'running':
    case 'waiting_for_approval':
      return false;
    default:
      return exhaustive(status);
  }
}

/** Whether a step is under way (its dependents must wait, a cancel must stop it). */
export function isActiveStepStatus(status: StepStatus): boolean {
  return status === 'running' || status === 'waiting_for_approval';
}

/** Whether a step lets the steps that go after it start. */
export function isStepDoneForDependents(status: StepStatus): boolean {
  return status === 'succeeded' || status === 'skipped';
}

function exhaustive(value: never): never {
  throw new TypeError(`unexpected status ${String(value)}`);
}
