/** A pipeline's overview: stages as they stand, blockers, approvals, recent deployments and rollbacks. */
import type { PipelineState, StageTrack } from '@rampart/engine';
import type * as api from '@rampart/protocol';
import {
  blockersOf,
  revisionOfDeploymentId,
  toApproval,
  toBlocker,
  toDeploymentSummary,
  toRollback,
} from './deployment-views.js';
import { requirePipeline, toPipelineInfo } from './pipelines-service.js';
import type { ServerContext } from './server-context.js';

const RECENT_FINISHED = 10;
const RECENT_ROLLBACKS = 10;

/** Stage names in pipeline order: the newest deployment's plan, then any other known stage. */
function stageOrder(state: PipelineState): string[] {
  const newest = state.deployments[state.deployments.length - 1];
  const names = newest?.plan.stages.map((s) => s.name) ?? [];
  for (const name of Object.keys(state.tracks)) if (!names.includes(name)) names.push(name);
  return names;
}

function revisionOf(state: PipelineState, deploymentId: string): number | undefined {
  return (
    state.deployments.find((d) => d.id === deploymentId)?.revision ??
    revisionOfDeploymentId(deploymentId)
  );
}

function toTrack(
  state: PipelineState,
  name: string,
  track: StageTrack | undefined,
): api.StageTrackInfo {
  const alarms = Object.values(state.alarms)
    .filter((a) => a.stage === name)
    .map((a) => ({
      name: a.name,
      state: a.state,
      changedAt: a.changedAt,
      observedAt: a.observedAt,
    }));
  const occupant = track?.occupant;
  return {
    stage: name,
    alarms,
    goodRevisions: track?.goodHistory.map((g) => g.revision) ?? [],
    queued: (track?.queued ?? []).flatMap((id) => revisionOf(state, id) ?? []),
    blockers: track?.blockers.map((b) => toBlocker(name, b)) ?? [],
    ...(track?.target === undefined
      ? {}
      : { accountId: track.target.accountId, region: track.target.region }),
    ...(track?.lastGood === undefined
      ? {}
      : {
          lastGood: {
            revision: track.lastGood.revision,
            deploymentId: track.lastGood.deploymentId,
          },
        }),
    ...(occupant === undefined
      ? {}
      : {
          occupant:
            'rollbackId' in occupant
              ? { rollbackId: occupant.rollbackId }
              : {
                  deploymentId: occupant.deploymentId,
                  ...(revisionOf(state, occupant.deploymentId) === undefined
                    ? {}
                    : { revision: revisionOf(state, occupant.deploymentId) }),
                },
        }),
  };
}

export async function getPipelineStatus(
  ctx: Pick<ServerContext, 'runtime' | 'store'>,
  slug: string,
): Promise<api.PipelineStatusResponse> {
  const pipeline = await requirePipeline(ctx, slug);
  const state = await ctx.runtime.getPipelineState(slug);
  // Deployments still building their artifacts are in progress too.
  const running = (
    await Promise.all(
      (['building', 'running'] as const).map((status) =>
        ctx.runtime.listDeployments({ pipelineId: slug, status, limit: 200 }),
      ),
    )
  ).flat();
  const recent = await ctx.runtime.listDeployments({ pipelineId: slug, limit: RECENT_FINISHED });
  const seen = new Set<string>();
  const deployments = [...running, ...recent]
    .filter((d) => !seen.has(d.id) && seen.add(d.id))
    .sort((a, b) => b.revision - a.revision)
    .map(toDeploymentSummary);
  if (state === undefined) {
    return {
      pipeline: toPipelineInfo(pipeline),
      stages: [],
      approvals: [],
      deployments,
      rollbacks: [],
    };
  }
  return {
    pipeline: toPipelineInfo(pipeline),
    stages: stageOrder(state).map((name) => toTrack(state, name, state.tracks[name])),
    approvals: state.approvals.map(toApproval),
    deployments,
    rollbacks: state.rollbacks.slice(-RECENT_ROLLBACKS).reverse().map(toRollback),
  };
}

/** Every blocker on the pipeline's stages. */
export async function listBlockers(
  ctx: Pick<ServerContext, 'runtime' | 'store'>,
  slug: string,
): Promise<api.BlockerInfo[]> {
  await requirePipeline(ctx, slug);
  const state = await ctx.runtime.getPipelineState(slug);
  return state === undefined ? [] : blockersOf(state);
}

/** The rollbacks the engine keeps for the pipeline, newest first. */
export async function listRollbacks(
  ctx: Pick<ServerContext, 'runtime' | 'store'>,
  slug: string,
): Promise<api.RollbackInfo[]> {
  await requirePipeline(ctx, slug);
  const state = await ctx.runtime.getPipelineState(slug);
  return state === undefined ? [] : [...state.rollbacks].reverse().map(toRollback);
}

/** Running deployments per pipeline, those building their artifacts included (the metrics gauge). */
export async function runningDeployments(
  ctx: Pick<ServerContext, 'runtime'>,
): Promise<Record<string, number>> {
  const rows = (
    await Promise.all(
      (['building', 'running'] as const).map((status) =>
        ctx.runtime.listDeployments({ status, limit: 10_000 }),
      ),
    )
  ).flat();
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.pipelineId] = (counts[row.pipelineId] ?? 0) + 1;
  return counts;
}
