/**
 * The JSON API under `/api/v1`. Each route is a thin shell: parse the input with the protocol's
 * schema, call a service, render. Roles: viewer reads, deployer releases and operates, admin
 * manages pipelines and tokens.
 */
import {
  API_PREFIX,
  approvalListQuerySchema,
  createTokenRequestSchema,
  deploymentListQuerySchema,
  eventQuerySchema,
  logQuerySchema,
  nameParamSchema,
  operationRequestSchema,
  pipelineSlugSchema,
  positiveIntParamSchema,
  registerPipelineRequestSchema,
  SSE_EVENTS,
  SSE_MEDIA_TYPE,
  startDeploymentRequestSchema,
  type EngineEventInfo,
  type LogLineInfo,
} from '@rampart/protocol';
import type * as api from '@rampart/protocol';
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { requireRole } from '../http/authenticate.js';
import { paramOf, jsonBody, queryOf } from '../http/request-input.js';
import { lastEventId, sseResponse } from '../http/sse-response.js';
import {
  getDeployment,
  getStage,
  getStep,
  listDeployments,
  requireDeploymentSummary,
  startDeployment,
} from '../services/deployments-service.js';
import { listApprovals } from '../services/approvals-service.js';
import { eventFilter, readEvents, type EventFilter } from '../services/events-service.js';
import { finishedStatus, logFilter, readLogs } from '../services/logs-service.js';
import { applyOperation } from '../services/operations-service.js';
import {
  getPipelineStatus,
  listBlockers,
  listRollbacks,
} from '../services/pipeline-status-service.js';
import {
  listPipelines,
  registerPipeline,
  removePipeline,
  requirePipeline,
  toPipelineInfo,
} from '../services/pipelines-service.js';
import type { ServerContext } from '../services/server-context.js';
import { createToken, listTokens, revokeToken } from '../services/tokens-service.js';

/** Options of {@link registerApiRoutes}. */
export interface ApiRouteOptions {
  /** Milliseconds between keep-alive comments on idle streams. @default 15000 */
  keepAliveMs?: number;
}

const DEFAULT_EVENT_PAGE = 200;
const DEFAULT_LOG_PAGE = 1000;

function wantsStream(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes(SSE_MEDIA_TYPE);
}

export function registerApiRoutes(
  app: Hono<AppEnv>,
  ctx: ServerContext,
  options: ApiRouteOptions = {},
): void {
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const viewer = requireRole('viewer', ctx.store.tokens, ctx.config.admin_token);
  const deployer = requireRole('deployer', ctx.store.tokens, ctx.config.admin_token);
  const admin = requireRole('admin', ctx.store.tokens, ctx.config.admin_token);
  const p = API_PREFIX;
  const slugOf = (c: Context) => paramOf(c, 'slug', pipelineSlugSchema);
  const revisionOf = (c: Context) => paramOf(c, 'revision', positiveIntParamSchema);

  const eventsResponse = async (
    c: Context,
    filter: EventFilter,
    query: { after?: number; limit?: number },
  ) => {
    const after = lastEventId(c.req.header('last-event-id')) ?? query.after ?? 0;
    if (wantsStream(c)) {
      return sseResponse<EngineEventInfo>(
        {
          after,
          read: (from, limit) => readEvents(ctx, filter, from, limit),
          seqOf: (e) => e.seq,
          event: SSE_EVENTS.engineEvent,
          feed: ctx.events,
        },
        [c.req.raw.signal, ctx.shutdown],
        keepAliveMs,
      );
    }
    const events = await readEvents(ctx, filter, after, query.limit ?? DEFAULT_EVENT_PAGE);
    return c.json({
      events,
      next: events[events.length - 1]?.seq ?? after,
    } satisfies api.EventListResponse);
  };

  app.get(`${p}/whoami`, viewer, (c) => {
    const caller = c.get('caller');
    return c.json({
      name: caller.name,
      role: caller.role,
      actor: caller.actor,
    } satisfies api.WhoamiResponse);
  });

  // Pipelines
  app.post(`${p}/pipelines`, admin, async (c) => {
    const request = await jsonBody(c, registerPipelineRequestSchema);
    return c.json(
      { pipeline: await registerPipeline(ctx, request) } satisfies api.PipelineResponse,
      201,
    );
  });
  app.get(`${p}/pipelines`, viewer, async (c) =>
    c.json({ pipelines: await listPipelines(ctx) } satisfies api.PipelineListResponse),
  );
  app.get(`${p}/pipelines/:slug`, viewer, async (c) =>
    c.json({
      pipeline: toPipelineInfo(await requirePipeline(ctx, slugOf(c))),
    } satisfies api.PipelineResponse),
  );
  app.delete(`${p}/pipelines/:slug`, admin, async (c) => {
    const slug = slugOf(c);
    await removePipeline(ctx, slug);
    return c.json({ slug, removed: true } satisfies api.RemovePipelineResponse);
  });
  app.get(`${p}/pipelines/:slug/status`, viewer, async (c) =>
    c.json(await getPipelineStatus(ctx, slugOf(c))),
  );
  app.get(`${p}/pipelines/:slug/blockers`, viewer, async (c) =>
    c.json({ blockers: await listBlockers(ctx, slugOf(c)) } satisfies api.BlockerListResponse),
  );
  app.get(`${p}/pipelines/:slug/rollbacks`, viewer, async (c) =>
    c.json({ rollbacks: await listRollbacks(ctx, slugOf(c)) } satisfies api.RollbackListResponse),
  );

  // Deployments
  app.post(`${p}/pipelines/:slug/deployments`, deployer, async (c) => {
    const slug = slugOf(c);
    const request = await jsonBody(c, startDeploymentRequestSchema);
    const result = await startDeployment(ctx, slug, request, c.get('caller'));
    return c.json(result, result.created ? 201 : 200);
  });
  app.get(`${p}/pipelines/:slug/deployments`, viewer, async (c) =>
    c.json(await listDeployments(ctx, slugOf(c), queryOf(c, deploymentListQuerySchema))),
  );
  app.get(`${p}/pipelines/:slug/deployments/:revision`, viewer, async (c) =>
    c.json({
      deployment: await getDeployment(ctx, slugOf(c), revisionOf(c)),
    } satisfies api.DeploymentResponse),
  );
  app.get(`${p}/pipelines/:slug/deployments/:revision/stages/:stage`, viewer, async (c) =>
    c.json(await getStage(ctx, slugOf(c), revisionOf(c), paramOf(c, 'stage', nameParamSchema))),
  );
  app.get(
    `${p}/pipelines/:slug/deployments/:revision/stages/:stage/steps/:step`,
    viewer,
    async (c) =>
      c.json(
        await getStep(
          ctx,
          slugOf(c),
          revisionOf(c),
          paramOf(c, 'stage', nameParamSchema),
          paramOf(c, 'step', nameParamSchema),
        ),
      ),
  );

  // Logs
  app.get(`${p}/pipelines/:slug/deployments/:revision/logs`, viewer, async (c) => {
    const slug = slugOf(c);
    const query = queryOf(c, logQuerySchema);
    const summary = await requireDeploymentSummary(ctx, slug, revisionOf(c));
    const filter = logFilter(summary.id, query);
    const after = lastEventId(c.req.header('last-event-id')) ?? query.after ?? 0;
    if (wantsStream(c)) {
      return sseResponse<LogLineInfo>(
        {
          after,
          read: (from, limit) => readLogs(ctx, filter, from, limit),
          seqOf: (line) => line.seq,
          event: SSE_EVENTS.log,
          feed: ctx.logs,
          finalMessage: async () => {
            const status = await finishedStatus(ctx, summary.id);
            return status === undefined
              ? undefined
              : { event: SSE_EVENTS.end, data: JSON.stringify({ status }) };
          },
        },
        [c.req.raw.signal, ctx.shutdown],
        keepAliveMs,
      );
    }
    const lines = await readLogs(ctx, filter, after, query.limit ?? DEFAULT_LOG_PAGE);
    return c.json({
      lines,
      next: lines[lines.length - 1]?.seq ?? after,
    } satisfies api.LogListResponse);
  });

  // Events (the audit trail)
  app.get(`${p}/events`, viewer, async (c) => {
    const query = queryOf(c, eventQuerySchema);
    return eventsResponse(c, await eventFilter(ctx, query), query);
  });
  app.get(`${p}/pipelines/:slug/events`, viewer, async (c) => {
    const query = queryOf(c, eventQuerySchema.omit({ pipeline: true, revision: true }));
    return eventsResponse(c, await eventFilter(ctx, { pipeline: slugOf(c) }), query);
  });
  app.get(`${p}/pipelines/:slug/deployments/:revision/events`, viewer, async (c) => {
    const query = queryOf(c, eventQuerySchema.omit({ pipeline: true, revision: true }));
    const filter = await eventFilter(ctx, { pipeline: slugOf(c), revision: revisionOf(c) });
    return eventsResponse(c, filter, query);
  });

  // Approvals waiting for a person, across pipelines
  app.get(`${p}/approvals`, viewer, async (c) => {
    const { pipeline } = queryOf(c, approvalListQuerySchema);
    return c.json({
      approvals: await listApprovals(ctx, pipeline),
    } satisfies api.ApprovalListResponse);
  });

  // Operations
  app.post(`${p}/pipelines/:slug/operations`, deployer, async (c) => {
    const slug = slugOf(c);
    const request = await jsonBody(c, operationRequestSchema);
    return c.json(await applyOperation(ctx, slug, request, c.get('caller')));
  });

  // Tokens
  app.post(`${p}/tokens`, admin, async (c) => {
    const request = await jsonBody(c, createTokenRequestSchema);
    return c.json(await createToken(ctx.store, request), 201);
  });
  app.get(`${p}/tokens`, admin, async (c) =>
    c.json({ tokens: await listTokens(ctx.store) } satisfies api.TokenListResponse),
  );
  app.delete(`${p}/tokens/:id`, admin, async (c) => {
    const id = paramOf(c, 'id', nameParamSchema);
    await revokeToken(ctx.store, id);
    return c.json({ id, revoked: true } satisfies api.RevokeTokenResponse);
  });
}
