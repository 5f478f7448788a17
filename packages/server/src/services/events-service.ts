/** The audit trail: engine events, filtered by pipeline or deployment, read after a sequence number. */
import type { EngineEventInfo } from '@rampart/protocol';
import { toEventInfo } from './deployment-views.js';
import { DetailedError } from './detailed-error.js';
import { requireDeploymentSummary } from './deployments-service.js';
import type { ServerContext } from './server-context.js';

/** Which events a reader wants. */
export interface EventFilter {
  pipelineId?: string;
  deploymentId?: string;
}

/**
 * The filter of a query naming a pipeline and maybe a revision. Events of pipelines that were
 * removed stay readable, so the pipeline need not be registered.
 */
export async function eventFilter(
  ctx: Pick<ServerContext, 'runtime'>,
  query: { pipeline?: string; revision?: number },
): Promise<EventFilter> {
  if (query.revision === undefined) {
    return query.pipeline === undefined ? {} : { pipelineId: query.pipeline };
  }
  if (query.pipeline === undefined) {
    throw new DetailedError(
      'API_INVALID_REQUEST',
      'revision needs pipeline: revisions are numbered per pipeline',
      { issues: [{ path: 'query.pipeline', message: 'required with revision' }] },
    );
  }
  const summary = await requireDeploymentSummary(ctx, query.pipeline, query.revision);
  return { pipelineId: query.pipeline, deploymentId: summary.id };
}

export async function readEvents(
  ctx: Pick<ServerContext, 'runtime'>,
  filter: EventFilter,
  after: number,
  limit: number,
): Promise<EngineEventInfo[]> {
  const events = await ctx.runtime.listEvents({
    ...filter,
    afterSeq: after,
    limit,
  });
  return events.map(toEventInfo);
}
