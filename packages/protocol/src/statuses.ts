/**
 * The closed sets of states the API reports, as they travel on the wire. They mirror the engine's
 * unions (the server checks at compile time that the two stay equal); clients switch on them.
 */
import { z } from 'zod';

/**
 * Where a deployment (one revision going through the stages) stands; `building` while its
 * artifacts are built, before the first stage.
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
export const deploymentStatusSchema = z.enum(DEPLOYMENT_STATUSES);
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>;

/** Where one stage of one deployment stands. */
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
export const stageStatusSchema = z.enum(STAGE_STATUSES);
export type StageStatus = z.infer<typeof stageStatusSchema>;

/** Why a `waiting` stage does not start yet. */
export const STAGE_WAIT_REASONS = ['previous_stage', 'stage_busy', 'blocked', 'window'] as const;
export const stageWaitReasonSchema = z.enum(STAGE_WAIT_REASONS);
export type StageWaitReason = z.infer<typeof stageWaitReasonSchema>;

/** Where one build of a built-once artifact stands (`pending` waits for a build slot). */
export const BUILD_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const buildStatusSchema = z.enum(BUILD_STATUSES);
export type BuildStatus = z.infer<typeof buildStatusSchema>;

/** Where one step stands. */
export const STEP_STATUSES = [
  'pending',
  'running',
  'waiting_for_approval',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
] as const;
export const stepStatusSchema = z.enum(STEP_STATUSES);
export type StepStatus = z.infer<typeof stepStatusSchema>;

export const ROLLBACK_KINDS = ['auto', 'manual'] as const;
export const rollbackKindSchema = z.enum(ROLLBACK_KINDS);
export type RollbackKind = z.infer<typeof rollbackKindSchema>;

export const ROLLBACK_STATUSES = ['running', 'succeeded', 'failed'] as const;
export const rollbackStatusSchema = z.enum(ROLLBACK_STATUSES);
export type RollbackStatus = z.infer<typeof rollbackStatusSchema>;

export const BLOCKER_KINDS = ['alarm', 'manual'] as const;
export const blockerKindSchema = z.enum(BLOCKER_KINDS);
export type BlockerKind = z.infer<typeof blockerKindSchema>;

/** Which operation put a manual blocker: `resume` lifts `stop`, `roll-forward` lifts `rollback`. */
export const MANUAL_BLOCKER_ORIGINS = ['stop', 'rollback'] as const;
export const manualBlockerOriginSchema = z.enum(MANUAL_BLOCKER_ORIGINS);
export type ManualBlockerOrigin = z.infer<typeof manualBlockerOriginSchema>;

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export const alarmStateSchema = z.enum(ALARM_STATES);
export type AlarmState = z.infer<typeof alarmStateSchema>;

/** What a pending approval waits on: a bake, an `APPROVAL:MANUAL` step, or a step that asked. */
export const APPROVAL_KINDS = ['bake', 'manual', 'step'] as const;
export const approvalKindSchema = z.enum(APPROVAL_KINDS);
export type ApprovalKind = z.infer<typeof approvalKindSchema>;

/** Whether a deployment has ended (a retry of a failed one starts it again). */
export function isTerminalDeploymentStatus(status: DeploymentStatus): boolean {
  return status !== 'running' && status !== 'building';
}
