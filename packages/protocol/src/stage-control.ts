/** What holds stages: blockers, approvals waiting for a person, rollbacks; and a pipeline's overview. */
import { z } from 'zod';
import { isoTimeSchema } from './common.js';
import {
  alarmStateSchema,
  approvalKindSchema,
  blockerKindSchema,
  manualBlockerOriginSchema,
  rollbackKindSchema,
  rollbackStatusSchema,
  stepStatusSchema,
} from './statuses.js';

/** A flag on a stage that keeps new revisions out. */
export const blockerSchema = z.object({
  id: z.string(),
  /** The stage it blocks. */
  stage: z.string(),
  kind: blockerKindSchema,
  /** `alarm` blockers: the alarm and the stage whose alarm it is; lifted when it is OK again. */
  alarm: z.object({ name: z.string(), stage: z.string() }).optional(),
  /** `manual` blockers: `stop` (lifted by resume) or `rollback` (lifted by roll-forward). */
  origin: manualBlockerOriginSchema.optional(),
  actor: z.string(),
  reason: z.string(),
  since: isoTimeSchema,
});
export type BlockerInfo = z.infer<typeof blockerSchema>;

export const blockerListResponseSchema = z.object({ blockers: z.array(blockerSchema) });
export type BlockerListResponse = z.infer<typeof blockerListResponseSchema>;

/** A step waiting for a person: approve or reject it through the operations route. */
export const approvalSchema = z.object({
  kind: approvalKindSchema,
  deploymentId: z.string(),
  revision: z.number(),
  stage: z.string(),
  step: z.string(),
  since: isoTimeSchema,
  /** A bake's end, or when the approval times out. */
  until: isoTimeSchema.optional(),
  message: z.string().optional(),
});
export type ApprovalInfo = z.infer<typeof approvalSchema>;

/** One step of a rollback. */
export const rollbackStepSchema = z.object({
  name: z.string(),
  type: z.string(),
  status: stepStatusSchema,
  startedAt: isoTimeSchema.optional(),
  finishedAt: isoTimeSchema.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

/** A rollback of one stage, automatic (an alarm) or manual. */
export const rollbackSchema = z.object({
  id: z.string(),
  kind: rollbackKindSchema,
  stage: z.string(),
  status: rollbackStatusSchema,
  /** The revision rolled back (auto), or the one that was deployed (manual). */
  fromRevision: z.number().optional(),
  fromDeploymentId: z.string().optional(),
  toRevision: z.number(),
  toDeploymentId: z.string(),
  /** The alarm that triggered an automatic rollback, and when it changed state. */
  alarm: z.object({ name: z.string(), changedAt: isoTimeSchema }).optional(),
  actor: z.string(),
  reason: z.string(),
  decidedAt: isoTimeSchema,
  finishedAt: isoTimeSchema.optional(),
  /** Alarm state change → rollback decision. */
  timeToDetectMs: z.number().optional(),
  /** Rollback decision → rollback finished. */
  timeToRestoreMs: z.number().optional(),
  steps: z.array(rollbackStepSchema),
  error: z.string().optional(),
});
export type RollbackInfo = z.infer<typeof rollbackSchema>;

export const rollbackListResponseSchema = z.object({ rollbacks: z.array(rollbackSchema) });
export type RollbackListResponse = z.infer<typeof rollbackListResponseSchema>;

/** The latest known state of a rollback alarm. */
export const alarmInfoSchema = z.object({
  name: z.string(),
  state: alarmStateSchema,
  /** When the alarm entered this state. */
  changedAt: isoTimeSchema,
  /** When Rampart last heard of it (a poll or a pushed event). */
  observedAt: isoTimeSchema,
});
export type AlarmInfo = z.infer<typeof alarmInfoSchema>;

/** A stage of a pipeline as it stands now, whatever deployment is where. */
export const stageTrackSchema = z.object({
  stage: z.string(),
  accountId: z.string().optional(),
  region: z.string().optional(),
  alarms: z.array(alarmInfoSchema),
  /** The good revision deployed there now (what an automatic rollback restores). */
  lastGood: z.object({ revision: z.number(), deploymentId: z.string() }).optional(),
  /** Earlier good revisions, newest last: targets of a manual rollback. */
  goodRevisions: z.array(z.number()),
  /** The revision in the stage now, or the manual rollback restoring it. */
  occupant: z
    .object({
      revision: z.number().optional(),
      deploymentId: z.string().optional(),
      rollbackId: z.string().optional(),
    })
    .optional(),
  /** Revisions waiting to enter, oldest first. */
  queued: z.array(z.number()),
  blockers: z.array(blockerSchema),
});
export type StageTrackInfo = z.infer<typeof stageTrackSchema>;
