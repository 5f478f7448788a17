/**
 * Manual operations (`POST /api/v1/pipelines/:slug/operations`): the engine's operations with
 * deployments named by revision. The actor is the calling token; every operation needs a reason,
 * recorded in the audit trail.
 */
import { z } from 'zod';

const reason = z
  .string()
  .trim()
  .min(1, 'give a reason: it is recorded in the audit trail')
  .max(2000);
const revision = z.number().int().positive();
const stage = z.string().min(1).max(255);
const step = z.string().min(1).max(255);

/** Every operation kind. */
export const OPERATION_KINDS = [
  'approve',
  'reject',
  'cancel',
  'retry',
  'rollback',
  'roll-forward',
  'stop',
  'resume',
  'override-window',
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

export const operationRequestSchema = z.discriminatedUnion('kind', [
  /** Approve a waiting step: a bake (ends it early), an `APPROVAL:MANUAL` step, or a step that asked. */
  z.strictObject({ kind: z.literal('approve'), revision, stage, step, reason }),
  /** Reject a waiting step: the step and its stage fail. */
  z.strictObject({ kind: z.literal('reject'), revision, stage, step, reason }),
  /** Stop a deployment wherever it is; running steps are cancelled. */
  z.strictObject({ kind: z.literal('cancel'), revision, reason }),
  /** Run a failed stage again with the same revision. */
  z.strictObject({ kind: z.literal('retry'), revision, stage, reason }),
  /** Restore an earlier good revision in a stage; the stage stays blocked until roll-forward. */
  z.strictObject({ kind: z.literal('rollback'), stage, toRevision: revision, reason }),
  /** After a rollback: lift its blocker and deploy the newest revision into the stage again. */
  z.strictObject({ kind: z.literal('roll-forward'), stage, reason }),
  /** Block a stage: no revision enters it until resume. */
  z.strictObject({ kind: z.literal('stop'), stage, reason }),
  /** Lift the blocker of stop. */
  z.strictObject({ kind: z.literal('resume'), stage, reason }),
  /** Let a waiting revision start in a stage whose window is closed. */
  z.strictObject({ kind: z.literal('override-window'), revision, stage, reason }),
]);
export type OperationRequest = z.infer<typeof operationRequestSchema>;

/** An accepted operation. Refusals are 409 errors whose code is an operation rejection code. */
export const operationResponseSchema = z.object({
  kind: z.enum(OPERATION_KINDS),
  /** The deployment the operation acted on or revived. */
  deploymentId: z.string().optional(),
  revision: z.number().optional(),
  /** The rollback a `rollback` started. */
  rollbackId: z.string().optional(),
});
export type OperationResponse = z.infer<typeof operationResponseSchema>;
