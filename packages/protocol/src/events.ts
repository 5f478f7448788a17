/**
 * The audit trail: the engine's events (JSON pages or a server-sent event stream, resumable by
 * sequence number).
 */
import { z } from 'zod';
import {
  isoTimeSchema,
  jsonValueSchema,
  pipelineSlugSchema,
  positiveIntParamSchema,
  sequenceParamSchema,
} from './common.js';

/** One event. `seq` orders every event of the server; resume a stream after the last one seen. */
export const engineEventSchema = z.object({
  seq: z.number(),
  /** A stable code: `deployment.created`, `stage.baking`, `operation.approved`, … (docs/api.md). */
  type: z.string(),
  at: isoTimeSchema,
  pipeline: z.string(),
  deploymentId: z.string().optional(),
  /** The revision of `deploymentId`. */
  revision: z.number().optional(),
  stage: z.string().optional(),
  step: z.string().optional(),
  /** `system`, `token:<name>`, `alarm:<name>`. */
  actor: z.string(),
  reason: z.string().optional(),
  data: jsonValueSchema.optional(),
});
export type EngineEventInfo = z.infer<typeof engineEventSchema>;

/**
 * `GET /api/v1/events` query (also `…/pipelines/:slug/events` and
 * `…/deployments/:revision/events`, where the path sets `pipeline` and `revision`).
 */
export const eventQuerySchema = z.strictObject({
  pipeline: pipelineSlugSchema.optional(),
  /** Only this revision's events; needs `pipeline`. */
  revision: positiveIntParamSchema.optional(),
  /** Only events after this sequence number. A stream's `Last-Event-ID` header wins over it. @default 0 */
  after: sequenceParamSchema.optional(),
  /** Events per page (JSON only). @default 200 (at most 1000) */
  limit: positiveIntParamSchema.max(1000).optional(),
});
export type EventQuery = z.infer<typeof eventQuerySchema>;

export const eventListResponseSchema = z.object({
  events: z.array(engineEventSchema),
  /** Pass as `after` for the next page: the last `seq` returned (or `after` when none). */
  next: z.number(),
});
export type EventListResponse = z.infer<typeof eventListResponseSchema>;
