/** Registering, listing, showing and removing pipelines. */
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { RampartError } from '@rampart/core';
import type { PipelineInfo, RegisterPipelineRequest } from '@rampart/protocol';
import type { RegisteredPipeline } from '@rampart/store';
import { DetailedError } from './detailed-error.js';
import type { ServerContext } from './server-context.js';

export function toPipelineInfo(pipeline: RegisteredPipeline): PipelineInfo {
  return {
    slug: pipeline.slug,
    source: { kind: pipeline.sourceKind, location: pipeline.location },
    defaultBranch: pipeline.defaultBranch,
    createdAt: pipeline.createdAt,
    updatedAt: pipeline.updatedAt,
  };
}

/** The registered pipeline `slug`, or `PIPELINE_NOT_REGISTERED`. */
export async function requirePipeline(
  ctx: Pick<ServerContext, 'store'>,
  slug: string,
): Promise<RegisteredPipeline> {
  const pipeline = await ctx.store.pipelines.get(slug);
  if (pipeline === undefined) {
    throw new RampartError('PIPELINE_NOT_REGISTERED', `no pipeline "${slug}" is registered`, {
      hint: 'List the registered pipelines (GET /api/v1/pipelines), or register it first.',
    });
  }
  return pipeline;
}

/**
 * Registers a pipeline. A `path` source must be an absolute directory on the server; a `git`
 * source is fetched when a deployment needs it.
 */
export async function registerPipeline(
  ctx: Pick<ServerContext, 'store'>,
  request: RegisterPipelineRequest,
): Promise<PipelineInfo> {
  if (request.source.kind === 'path') {
    const location = request.source.location;
    const problem = !isAbsolute(location)
      ? 'must be an absolute path on the server'
      : !(await isDirectory(location))
        ? 'is not a directory on the server'
        : undefined;
    if (problem !== undefined) {
      throw new DetailedError(
        'API_INVALID_REQUEST',
        `source.location "${location}" ${problem}`,
        { issues: [{ path: 'body.source.location', message: problem }] },
        { hint: 'Give the absolute path of a git repository the server can read, or a git URL.' },
      );
    }
  }
  const registered = await ctx.store.pipelines.register({
    slug: request.slug,
    sourceKind: request.source.kind,
    location: request.source.location,
    ...(request.defaultBranch === undefined ? {} : { defaultBranch: request.defaultBranch }),
  });
  return toPipelineInfo(registered);
}

export async function listPipelines(ctx: Pick<ServerContext, 'store'>): Promise<PipelineInfo[]> {
  return (await ctx.store.pipelines.list()).map(toPipelineInfo);
}

/** Forgets a pipeline's registration; its deployments, events and logs stay in the store. */
export async function removePipeline(
  ctx: Pick<ServerContext, 'store'>,
  slug: string,
): Promise<void> {
  if (!(await ctx.store.pipelines.remove(slug))) await requirePipeline(ctx, slug);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
