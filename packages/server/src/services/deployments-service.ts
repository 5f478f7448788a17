/** Starting deployments, and reading them: lists, one deployment, one stage, one step. */
import { RampartError } from '@rampart/core';
import type { DeploymentSummary } from '@rampart/engine';
import type * as api from '@rampart/protocol';
import type { Caller } from './caller.js';
import { toArchivedDetail, toDeploymentDetail, toDeploymentSummary } from './deployment-views.js';
import { EngineRefusal } from './detailed-error.js';
import { requirePipeline } from './pipelines-service.js';
import type { ServerContext } from './server-context.js';
import { requireOrganization, synthesizeRevision } from './synthesize-revision.js';
import { requirePlanSecrets } from '../secrets/plan-secrets.js';

const DEFAULT_PAGE = 20;

/** The summary row of revision `revision` of pipeline `slug`, or `DEPLOYMENT_NOT_FOUND`. */
export async function requireDeploymentSummary(
  ctx: Pick<ServerContext, 'runtime'>,
  slug: string,
  revision: number,
): Promise<DeploymentSummary> {
  const [summary] = await ctx.runtime.listDeployments({
    pipelineId: slug,
    beforeRevision: revision + 1,
    limit: 1,
  });
  if (summary?.revision !== revision) {
    throw new RampartError(
      'DEPLOYMENT_NOT_FOUND',
      `pipeline "${slug}" has no deployment with revision ${revision}`,
      { hint: `List its deployments: GET /api/v1/pipelines/${slug}/deployments.` },
    );
  }
  return summary;
}

/**
 * Synthesizes the requested revision and hands it to the engine. Requests of one pipeline are
 * taken one at a time, so the revision number the plan sees is the one the engine gives.
 */
export async function startDeployment(
  ctx: ServerContext,
  slug: string,
  request: api.StartDeploymentRequest,
  caller: Caller,
): Promise<api.StartDeploymentResponse> {
  const pipeline = await requirePipeline(ctx, slug);
  const organization = requireOrganization(ctx.config.organization);
  return ctx.synthesis.run(slug, async () => {
    if (request.requestId !== undefined) {
      const earlier = (await ctx.runtime.getPipelineState(slug))?.deployments.find(
        (d) => d.requestId === request.requestId,
      );
      if (earlier !== undefined) {
        const summary = await requireDeploymentSummary(ctx, slug, earlier.revision);
        return { deployment: toDeploymentSummary(summary), created: false };
      }
    }
    let sha = request.sha;
    let branch = request.branch;
    if (request.revision !== undefined) {
      const earlier = await requireDeploymentSummary(ctx, slug, request.revision);
      sha = earlier.commitSha;
      branch = (await ctx.runtime.getDeployment(earlier.id))?.branch;
    }
    const state = await ctx.runtime.getPipelineState(slug);
    const synthesized = await synthesizeRevision({
      pipeline,
      ...(sha === undefined ? {} : { sha }),
      ...(sha === undefined && branch !== undefined ? { branch } : {}),
      workDir: ctx.workDir,
      organization,
      revision: state?.nextRevision ?? 1,
      at: ctx.clock.now(),
      ...(ctx.config.issuer_url === undefined ? {} : { issuerUrl: ctx.config.issuer_url }),
      ...(ctx.checkPlan === undefined ? {} : { checkPlan: ctx.checkPlan }),
    });
    // Refused before its first stage: a secret that is missing now would fail a step later.
    await requirePlanSecrets(ctx.secrets, synthesized.plan, slug);
    ctx.models.remember(synthesized.model);
    const branchName = branch ?? synthesized.branch;
    const result = await ctx.runtime.requestDeployment(slug, {
      commitSha: synthesized.commitSha,
      trigger: request.trigger ?? 'api',
      actor: caller.actor,
      plan: synthesized.plan,
      ...(request.reason === undefined ? {} : { reason: request.reason }),
      ...(branchName === undefined ? {} : { branch: branchName }),
      ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
    });
    if (!result.ok) throw new EngineRefusal(result.code, result.message, 422);
    const summary = await requireDeploymentSummary(ctx, slug, result.revision);
    return {
      deployment: toDeploymentSummary(summary),
      created: result.created,
      ...(synthesized.warnings.length === 0 ? {} : { warnings: synthesized.warnings }),
    };
  });
}

/** A page of a pipeline's deployments, newest first. */
export async function listDeployments(
  ctx: Pick<ServerContext, 'runtime' | 'store'>,
  slug: string,
  query: api.DeploymentListQuery,
): Promise<api.DeploymentListResponse> {
  await requirePipeline(ctx, slug);
  const limit = query.limit ?? DEFAULT_PAGE;
  // One more than asked tells whether another page follows.
  const rows = await ctx.runtime.listDeployments({
    pipelineId: slug,
    limit: limit + 1,
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.before === undefined ? {} : { beforeRevision: query.before }),
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    deployments: page.map(toDeploymentSummary),
    ...(rows.length > limit && last !== undefined ? { nextBefore: last.revision } : {}),
  };
}

/** One deployment in full (or its summary, when the engine no longer keeps its details). */
export async function getDeployment(
  ctx: Pick<ServerContext, 'runtime' | 'store'>,
  slug: string,
  revision: number,
): Promise<api.DeploymentDetail> {
  await requirePipeline(ctx, slug);
  const summary = await requireDeploymentSummary(ctx, slug, revision);
  const state = await ctx.runtime.getPipelineState(slug);
  const deployment = state?.deployments.find((d) => d.id === summary.id);
  if (state === undefined || deployment === undefined) return toArchivedDetail(summary);
  return toDeploymentDetail(deployment, state);
}

/** One stage of a deployment. */
export async function getStage(
  ctx: Pick<ServerContext, 'runtime' | 'store'>,
  slug: string,
  revision: number,
  stage: string,
): Promise<api.StageResponse> {
  const detail = await getDeployment(ctx, slug, revision);
  const found = detail.stages.find((s) => s.name === stage);
  if (found === undefined) {
    const names = detail.stages.map((s) => s.name).join(', ') || 'none kept';
    throw new RampartError(
      'API_NOT_FOUND',
      `revision ${revision} of "${slug}" has no stage "${stage}" (stages: ${names})`,
    );
  }
  return { deploymentId: detail.id, revision, stage: found };
}

/** One step of one stage of a deployment. */
export async function getStep(
  ctx: Pick<ServerContext, 'runtime' | 'store'>,
  slug: string,
  revision: number,
  stage: string,
  step: string,
): Promise<api.StepResponse> {
  const found = await getStage(ctx, slug, revision, stage);
  const match = found.stage.steps.find((s) => s.name === step);
  if (match === undefined) {
    const names = found.stage.steps.map((s) => s.name).join(', ');
    throw new RampartError(
      'API_NOT_FOUND',
      `stage "${stage}" of revision ${revision} has no step "${step}" (steps: ${names})`,
    );
  }
  return { deploymentId: found.deploymentId, revision, stage, step: match };
}
