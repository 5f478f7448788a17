/** Step logs: the lines steps write, stored and streamed per deployment. */
import { z } from 'zod';
import { isoTimeSchema, positiveIntParamSchema, sequenceParamSchema } from './common.js';

export const LOG_STREAMS = ['stdout', 'stderr', 'info'] as const;

/** One line a step (or a rollback step) wrote. */
export const logLineSchema = z.object({
  /** Orders the lines of the server; resume after the last one seen. */
  seq: z.number(),
  deploymentId: z.string(),
  stage: z.string(),
  step: z.string(),
  /** The step call (or rollback step) that wrote it. */
  commandId: z.string(),
  at: isoTimeSchema,
  stream: z.enum(LOG_STREAMS),
  text: z.string(),
});
export type LogLineInfo = z.infer<typeof logLineSchema>;

/** `GET /api/v1/pipelines/:slug/deployments/:revision/logs` query. */
export const logQuerySchema = z.strictObject({
  stage: z.string().min(1).optional(),
  /** Needs `stage`. */
  step: z.string().min(1).optional(),
  /**
   * Only the lines of this artifact's builds (by display name): the build before the first
   * stage, or a `per_stage` artifact's build in each stage (narrow with `stage`). Not with `step`.
   */
  build: z.string().min(1).optional(),
  /** Only lines after this sequence number. A stream's `Last-Event-ID` header wins over it. @default 0 */
  after: sequenceParamSchema.optional(),
  /** Lines per page (JSON only). @default 1000 (at most 5000) */
  limit: positiveIntParamSchema.max(5000).optional(),
});
export type LogQuery = z.infer<typeof logQuerySchema>;

export const logListResponseSchema = z.object({
  lines: z.array(logLineSchema),
  /** Pass as `after` for the next page. */
  next: z.number(),
});
export type LogListResponse = z.infer<typeof logListResponseSchema>;
