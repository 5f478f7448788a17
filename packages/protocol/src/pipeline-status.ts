/** A pipeline's overview: its stages as they stand, approvals waiting, recent deployments and rollbacks. */
import { z } from 'zod';
import { deploymentSummarySchema } from './deployments.js';
import { pipelineSchema } from './pipelines.js';
import { approvalSchema, rollbackSchema, stageTrackSchema } from './stage-control.js';

/** `GET /api/v1/pipelines/:slug/status`: everything `rampart status` shows. */
export const pipelineStatusResponseSchema = z.object({
  pipeline: pipelineSchema,
  /** Stages in pipeline order (of the newest deployment's plan). */
  stages: z.array(stageTrackSchema),
  approvals: z.array(approvalSchema),
  /** Running deployments and the newest finished ones, newest first. */
  deployments: z.array(deploymentSummarySchema),
  /** The newest rollbacks, newest first (at most 10). */
  rollbacks: z.array(rollbackSchema),
});
export type PipelineStatusResponse = z.infer<typeof pipelineStatusResponseSchema>;
