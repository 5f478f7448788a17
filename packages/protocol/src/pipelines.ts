/** Registered pipelines: where each one's repository is and which branch releases by default. */
import { z } from 'zod';
import { isoTimeSchema, pipelineSlugSchema } from './common.js';

/** Where a pipeline's repository is: a directory on the server, or a URL `git clone` accepts. */
export const pipelineSourceSchema = z.strictObject({
  kind: z.enum(['path', 'git']),
  location: z.string().min(1).max(4096),
});
export type PipelineSource = z.infer<typeof pipelineSourceSchema>;

/** `POST /api/v1/pipelines`. */
export const registerPipelineRequestSchema = z.strictObject({
  /** The pipeline's folder name in the repository (`.rampart/<slug>/pipeline.yaml`). */
  slug: pipelineSlugSchema,
  source: pipelineSourceSchema,
  /** The branch released when a request names no commit or branch. @default 'main' */
  defaultBranch: z.string().min(1).max(255).optional(),
});
export type RegisterPipelineRequest = z.infer<typeof registerPipelineRequestSchema>;

export const pipelineSchema = z.object({
  slug: z.string(),
  source: z.object({ kind: z.enum(['path', 'git']), location: z.string() }),
  defaultBranch: z.string(),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export type PipelineInfo = z.infer<typeof pipelineSchema>;

/** `POST /api/v1/pipelines` (201) and `GET /api/v1/pipelines/:slug`. */
export const pipelineResponseSchema = z.object({ pipeline: pipelineSchema });
export type PipelineResponse = z.infer<typeof pipelineResponseSchema>;

export const pipelineListResponseSchema = z.object({ pipelines: z.array(pipelineSchema) });
export type PipelineListResponse = z.infer<typeof pipelineListResponseSchema>;

/** `DELETE /api/v1/pipelines/:slug`: the registration goes; deployments and events stay. */
export const removePipelineResponseSchema = z.object({
  slug: z.string(),
  removed: z.literal(true),
});
export type RemovePipelineResponse = z.infer<typeof removePipelineResponseSchema>;
