/** Deployments: starting one, listing them, and one deployment with its stages and steps. */
import { z } from 'zod';
import {
  attributionSchema,
  isoTimeSchema,
  jsonObjectSchema,
  positiveIntParamSchema,
} from './common.js';
import { diagnosticSchema } from './errors.js';
import { approvalSchema, blockerSchema, rollbackSchema } from './stage-control.js';
import {
  buildStatusSchema,
  deploymentStatusSchema,
  stageStatusSchema,
  stageWaitReasonSchema,
  stepStatusSchema,
} from './statuses.js';

/**
 * `POST /api/v1/pipelines/:slug/deployments`. Names at most one of `sha`, `branch` and
 * `revision`; with none, the pipeline's default branch is released.
 */
export const startDeploymentRequestSchema = z
  .strictObject({
    /** A full or abbreviated commit id. */
    sha: z
      .string()
      .regex(/^[0-9a-f]{4,64}$/i, 'must be a commit id (hex)')
      .optional(),
    /** A branch; its head commit is released. */
    branch: z.string().min(1).max(255).optional(),
    /** Re-deploy the commit of this earlier revision (a new revision is created). */
    revision: z.number().int().positive().optional(),
    /** Recorded in the audit trail. */
    reason: z.string().max(2000).optional(),
    /** What started it (`release`, `push`, `api` …). @default 'api' */
    trigger: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a short lowercase word')
      .optional(),
    /** An idempotency key: a second request with it answers the first deployment (200). */
    requestId: z.string().min(1).max(200).optional(),
  })
  .refine((r) => [r.sha, r.branch, r.revision].filter((v) => v !== undefined).length <= 1, {
    message: 'name at most one of sha, branch and revision',
    path: ['sha'],
  });
export type StartDeploymentRequest = z.infer<typeof startDeploymentRequestSchema>;

/** A row of the deployment list. */
export const deploymentSummarySchema = z.object({
  /** The engine's id: `<slug>:<revision>`. */
  id: z.string(),
  pipeline: z.string(),
  revision: z.number(),
  commitSha: z.string(),
  status: deploymentStatusSchema,
  trigger: z.string(),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export type DeploymentSummary = z.infer<typeof deploymentSummarySchema>;

/** The answer to a start: 201 when created, 200 when `requestId` matched an earlier one. */
export const startDeploymentResponseSchema = z.object({
  deployment: deploymentSummarySchema,
  created: z.boolean(),
  /** Warnings the pipeline file had at that commit. */
  warnings: z.array(diagnosticSchema).optional(),
});
export type StartDeploymentResponse = z.infer<typeof startDeploymentResponseSchema>;

/** `GET /api/v1/pipelines/:slug/deployments` query: newest first. */
export const deploymentListQuerySchema = z.strictObject({
  status: deploymentStatusSchema.optional(),
  /** Only revisions below this one (the `nextBefore` of the previous page). */
  before: positiveIntParamSchema.optional(),
  /** @default 20 (at most 200) */
  limit: positiveIntParamSchema.max(200).optional(),
});
export type DeploymentListQuery = z.infer<typeof deploymentListQuerySchema>;

export const deploymentListResponseSchema = z.object({
  deployments: z.array(deploymentSummarySchema),
  /** Pass as `before` for the next page; absent on the last page. */
  nextBefore: z.number().optional(),
});
export type DeploymentListResponse = z.infer<typeof deploymentListResponseSchema>;

/** One step of one stage execution (planned steps that did not start yet are `pending`). */
export const stepDetailSchema = z.object({
  name: z.string(),
  /** The key of `${{ steps.<key>.x }}`: the step id, else its name. */
  key: z.string(),
  /** Canonical type, e.g. `RAMPART:SCRIPT:RUN`. */
  type: z.string(),
  status: stepStatusSchema,
  /** Names of the steps it waits for. */
  dependsOn: z.array(z.string()),
  /** Skipped in this stage by the pipeline file. */
  skipped: z.boolean(),
  /** The stage run it belongs to (1, +1 per retry); 0 before it started. */
  attempt: z.number(),
  startedAt: isoTimeSchema.optional(),
  finishedAt: isoTimeSchema.optional(),
  durationMs: z.number().optional(),
  timeoutMinutes: z.number().optional(),
  /** Params as the step got them; secrets stay markers (`[SECRET:X]`). */
  params: jsonObjectSchema,
  /** Outputs; values under names that look secret (`*token*`, `*password*` …) read `[REDACTED]`. */
  outputs: jsonObjectSchema.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** A bake: when it ends by itself. */
  bakeEndsAt: isoTimeSchema.optional(),
  approvalMessage: z.string().optional(),
  approvedBy: attributionSchema.optional(),
  rejectedBy: attributionSchema.optional(),
});
export type StepDetail = z.infer<typeof stepDetailSchema>;

/** One stage of one deployment. */
export const stageDetailSchema = z.object({
  name: z.string(),
  accountId: z.string(),
  region: z.string(),
  status: stageStatusSchema,
  /** Set while `waiting`. */
  waitingFor: stageWaitReasonSchema.optional(),
  /** Runs so far (1 on the first, +1 per retry). */
  run: z.number(),
  reachedAt: isoTimeSchema.optional(),
  startedAt: isoTimeSchema.optional(),
  finishedAt: isoTimeSchema.optional(),
  durationMs: z.number().optional(),
  /** When a closed window opens for this waiting stage. */
  windowOpensAt: isoTimeSchema.optional(),
  windowOverride: attributionSchema.optional(),
  /** The deployment time window, described (`always open`, `Mon–Fri 09:00–17:00 America/Los_Angeles` …). */
  window: z.string().optional(),
  /** Rollback alarms the stage watches. */
  alarms: z.array(z.string()),
  rollbackId: z.string().optional(),
  error: z.string().optional(),
  cancelledBy: attributionSchema.optional(),
  steps: z.array(stepDetailSchema),
});
export type StageDetail = z.infer<typeof stageDetailSchema>;

/** One build of an artifact built once, before the first stage (into the CI/CD account). */
export const buildDetailSchema = z.object({
  /** The artifact's display name (`--build` of `rampart logs`). */
  name: z.string(),
  id: z.string(),
  status: buildStatusSchema,
  startedAt: isoTimeSchema.optional(),
  finishedAt: isoTimeSchema.optional(),
  durationMs: z.number().optional(),
  /** The CI/CD copy: `image_url`, `image_digest`, … or `s3_url`, `s3_key`, … */
  fields: z.record(z.string(), z.string()).optional(),
  /** Set when the build of an earlier revision was reused (`rebuild_when_changed`). */
  reusedFrom: z.object({ revision: z.number(), commitSha: z.string() }).optional(),
  /** Why it failed, with the build's last log lines. */
  error: z.string().optional(),
});
export type BuildDetail = z.infer<typeof buildDetailSchema>;

/** `GET /api/v1/pipelines/:slug/deployments/:revision`. */
export const deploymentDetailSchema = deploymentSummarySchema.extend({
  actor: z.string(),
  reason: z.string().optional(),
  branch: z.string().optional(),
  /** The stage it is in (or waiting before); the last one it reached once finished. */
  currentStage: z.string().optional(),
  finishedAt: isoTimeSchema.optional(),
  /**
   * True for an old deployment whose details the engine no longer keeps: only the summary
   * fields are known and `stages` is empty.
   */
  archived: z.boolean(),
  /** Builds of the artifacts built once, in plan order; absent when the plan has none. */
  builds: z.array(buildDetailSchema).optional(),
  /** Why it ended before any stage started (a build failed). */
  error: z.string().optional(),
  stages: z.array(stageDetailSchema),
  /** Approvals this deployment waits for. */
  approvals: z.array(approvalSchema),
  /** Blockers on the stages of this deployment's pipeline. */
  blockers: z.array(blockerSchema),
  /** Rollbacks of this deployment or to it. */
  rollbacks: z.array(rollbackSchema),
});
export type DeploymentDetail = z.infer<typeof deploymentDetailSchema>;

export const deploymentResponseSchema = z.object({ deployment: deploymentDetailSchema });
export type DeploymentResponse = z.infer<typeof deploymentResponseSchema>;

/** `GET …/deployments/:revision/stages/:stage`. */
export const stageResponseSchema = z.object({
  deploymentId: z.string(),
  revision: z.number(),
  stage: stageDetailSchema,
});
export type StageResponse = z.infer<typeof stageResponseSchema>;

/** `GET …/deployments/:revision/stages/:stage/steps/:step`. */
export const stepResponseSchema = z.object({
  deploymentId: z.string(),
  revision: z.number(),
  stage: z.string(),
  step: stepDetailSchema,
});
export type StepResponse = z.infer<typeof stepResponseSchema>;
