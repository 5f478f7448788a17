/** Manual operations: what a person (or a token) asks of the engine, always with a reason. */

interface Attributed {
  /** `user:<name>`, `token:<id>`. */
  actor: string;
  /** Required: recorded in the audit trail. */
  reason: string;
}

/** Approve a waiting step: a bake (ends it early), an `APPROVAL:MANUAL` step, or a step that asked (Terraform plan). */
export interface ApproveOperation extends Attributed {
  kind: 'approve';
  deploymentId: string;
  stage: string;
  step: string;
}

/** Reject a waiting step: the step and its stage fail. */
export interface RejectOperation extends Attributed {
  kind: 'reject';
  deploymentId: string;
  stage: string;
  step: string;
}

/** Stop a deployment wherever it is: running steps are cancelled. */
export interface CancelOperation extends Attributed {
  kind: 'cancel';
  deploymentId: string;
}

/** Run a failed stage again with the same revision; the deployment continues from there. */
export interface RetryOperation extends Attributed {
  kind: 'retry';
  deploymentId: string;
  stage: string;
}

/** Restore an earlier revision that succeeded in the stage; the stage is blocked until a roll forward. */
export interface RollbackOperation extends Attributed {
  kind: 'rollback';
  stage: string;
  toRevision: number;
}

/** After a rollback: lift its blocker and deploy the newest revision into the stage again. */
export interface RollForwardOperation extends Attributed {
  kind: 'roll-forward';
  stage: string;
}

/** Put a manual blocker on a stage: no revision enters it until `resume`. */
export interface StopOperation extends Attributed {
  kind: 'stop';
  stage: string;
}

/** Lift the manual blocker `stop` put on a stage. */
export interface ResumeOperation extends Attributed {
  kind: 'resume';
  stage: string;
}

/** Let a waiting deployment start in a stage whose window is closed. */
export interface OverrideWindowOperation extends Attributed {
  kind: 'override-window';
  deploymentId: string;
  stage: string;
}

export type Operation =
  | ApproveOperation
  | RejectOperation
  | CancelOperation
  | RetryOperation
  | RollbackOperation
  | RollForwardOperation
  | StopOperation
  | ResumeOperation
  | OverrideWindowOperation;

export type OperationKind = Operation['kind'];

/** Why an operation was refused. Stable: the CLI and the API map them to messages and statuses. */
export const OPERATION_REJECTION_CODES = [
  'REASON_REQUIRED',
  'UNKNOWN_DEPLOYMENT',
  'UNKNOWN_STAGE',
  'UNKNOWN_STEP',
  'STEP_NOT_AWAITING_DECISION',
  'DEPLOYMENT_FINISHED',
  'ROLLBACK_IN_PROGRESS',
  'STAGE_NOT_FAILED',
  'NEWER_REVISION',
  'STAGE_BUSY',
  'REVISION_NOT_GOOD',
  'ALREADY_DEPLOYED',
  'NOTHING_TO_ROLL_FORWARD',
  'ALREADY_STOPPED',
  'NOT_STOPPED',
  'STAGE_NOT_WAITING',
] as const;
export type OperationRejectionCode = (typeof OPERATION_REJECTION_CODES)[number];

export interface OperationRejection {
  ok: false;
  code: OperationRejectionCode;
  /** Names the value at fault and what would be accepted. */
  message: string;
}

export interface OperationAccepted {
  ok: true;
  kind: OperationKind;
  /** The deployment the operation acted on or revived. */
  deploymentId?: string;
  /** The rollback a `rollback` operation started. */
  rollbackId?: string;
}

export type OperationResult = OperationAccepted | OperationRejection;

/** A typed refusal. */
export function rejection(code: OperationRejectionCode, message: string): OperationRejection {
  return { ok: false, code, message };
}
