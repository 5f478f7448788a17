/** Approvals waiting for a person, across pipelines (`GET /api/v1/approvals`). */
import { z } from 'zod';
import { apiRoleSchema } from './access.js';
import { pipelineSlugSchema } from './common.js';
import { approvalSchema } from './stage-control.js';

/** `GET /api/v1/approvals` query. */
export const approvalListQuerySchema = z.strictObject({
  /** Only this pipeline's approvals. @default every registered pipeline */
  pipeline: pipelineSlugSchema.optional(),
});
export type ApprovalListQuery = z.infer<typeof approvalListQuerySchema>;

/** A pending approval with where it is and who may decide it. */
export const pendingApprovalSchema = approvalSchema.extend({
  /**
   * Names this wait: 12 hex characters derived from the deployment, stage, step and when the
   * wait began, so a step that asks again (a Terraform plan made anew) gets a new id.
   */
  id: z.string(),
  pipeline: z.string(),
  /** The weakest API role that may approve or reject it (stronger roles may too). */
  approverRole: apiRoleSchema,
});
export type PendingApprovalInfo = z.infer<typeof pendingApprovalSchema>;

/** Oldest first. */
export const approvalListResponseSchema = z.object({ approvals: z.array(pendingApprovalSchema) });
export type ApprovalListResponse = z.infer<typeof approvalListResponseSchema>;
