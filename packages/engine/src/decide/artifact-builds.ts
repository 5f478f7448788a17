/**
 * The build phase of a deployment: its built-once artifacts are built into the CI/CD account, a
 * few at a time, before the first stage. A failed build ends the deployment before any stage
 * starts; when all succeed, the revision joins the first stage's queue.
 */
import type { ArtifactBuildSpec } from '../model/deployment-plan.js';
import type { ArtifactBuild, Deployment, PipelineState } from '../model/pipeline-state.js';
import type { PreviousBuildRef } from './commands.js';
import type { DecisionContext } from './decision-context.js';
import { finishDeployment, type FinalDeploymentStatus } from './deployment-end.js';
import { buildCommandId, cancelCommandId } from './ids.js';
import type { BuildOutcome } from './inputs.js';
import { findDeployment } from './lookup.js';
import { enqueueAtStage } from './stage-queue.js';

/** A build error keeps at most this many of its last lines (the builder's log tail). */
export const BUILD_ERROR_LINES = 20;
/** …and at most this many characters, so one long line cannot bloat the state. */
const BUILD_ERROR_CHARS = 8_000;

/** Whether the plan has artifacts to build before the first stage. */
export function hasBuildPhase(d: Deployment): boolean {
  return (d.plan.artifacts ?? []).length > 0;
}

/** Enters the build phase: every built-once artifact waits for a build slot. */
export function startBuilds(ctx: DecisionContext, d: Deployment): void {
  const artifacts = d.plan.artifacts ?? [];
  d.status = 'building';
  d.builds = artifacts.map((a, index) => ({ index, name: a.name, id: a.id, status: 'pending' }));
  ctx.touch(d);
  ctx.emit({
    type: 'deployment.building',
    deploymentId: d.id,
    data: { revision: d.revision, artifacts: artifacts.map((a) => a.name) },
  });
  // The builds themselves start on the reconcile pass that follows.
}

/**
 * Starts pending builds while fewer than `buildConcurrency` run, and moves the deployment on to
 * its first stage once every build succeeded. Returns whether anything changed.
 */
export function advanceBuilds(ctx: DecisionContext, d: Deployment): boolean {
  if (d.status !== 'building' || d.builds === undefined) return false;
  if (d.builds.every((b) => b.status === 'succeeded')) {
    d.status = 'running';
    ctx.touch(d);
    enqueueAtStage(ctx, d, 0);
    return true;
  }
  let changed = false;
  let running = d.builds.filter((b) => b.status === 'running').length;
  for (const build of d.builds) {
    if (running >= Math.max(1, ctx.config.buildConcurrency)) break;
    if (build.status !== 'pending') continue;
    const spec = d.plan.artifacts?.[build.index];
    if (spec === undefined) continue;
    build.status = 'running';
    build.startedAt = ctx.now;
    build.commandId = buildCommandId(d, build.index, build.attempt ?? 1);
    const previous = previousBuild(ctx.state, spec.id, spec);
    ctx.command({
      type: 'build-artifact',
      id: build.commandId,
      payload: {
        pipelineId: ctx.state.pipelineId,
        pipelineSlug: d.plan.pipelineSlug,
        deploymentId: d.id,
        revision: d.revision,
        commitSha: d.commitSha,
        index: build.index,
        artifact: structuredClone(spec),
        ...(previous === undefined ? {} : { previous }),
      },
    });
    ctx.emit({
      type: 'artifact.build_started',
      deploymentId: d.id,
      data: { revision: d.revision, artifact: build.name, type: spec.type },
    });
    running += 1;
    changed = true;
  }
  if (changed) ctx.touch(d);
  return changed;
}

/** Whether `d` ended failed or cancelled in its build phase (no stage was reached). */
export function endedWhileBuilding(d: Deployment): boolean {
  return (
    (d.status === 'failed' || d.status === 'cancelled') &&
    (d.builds ?? []).some((b) => b.status === 'failed' || b.status === 'cancelled') &&
    d.stages.every((s) => s.status === 'not_reached')
  );
}

/**
 * Starts the build phase of `d` again (a retry): the builds that did not succeed run once more
 * under new command ids; the ones that succeeded keep their copies. The first stage follows as
 * usual once all are built.
 */
export function retryBuilds(ctx: DecisionContext, d: Deployment): void {
  d.status = 'building';
  delete d.finishedAt;
  delete d.error;
  for (const stage of d.stages) {
    stage.status = 'waiting';
    stage.waitingFor = 'previous_stage';
    delete stage.finishedAt;
    delete stage.error;
  }
  const again: string[] = [];
  for (const build of d.builds ?? []) {
    if (build.status === 'succeeded') continue;
    build.status = 'pending';
    build.attempt = (build.attempt ?? 1) + 1;
    for (const key of ['commandId', 'startedAt', 'finishedAt', 'error'] as const) delete build[key];
    again.push(build.name);
  }
  ctx.touch(d);
  ctx.emit({
    type: 'deployment.building',
    deploymentId: d.id,
    data: { revision: d.revision, artifacts: again, retry: true },
  });
}

/** A build command reported back. Stale reports (a cancelled or superseded build) are ignored. */
export function onArtifactBuilt(
  ctx: DecisionContext,
  commandId: string,
  deploymentId: string,
  index: number,
  outcome: BuildOutcome,
): void {
  const d = findDeployment(ctx.state, deploymentId);
  const build = d?.builds?.[index];
  const spec = d?.plan.artifacts?.[index];
  if (d === undefined || build === undefined || spec === undefined) return;
  if (d.status !== 'building' || build.status !== 'running' || build.commandId !== commandId)
    return;
  build.finishedAt = ctx.now;
  ctx.touch(d);
  if (outcome.kind === 'failed') {
    failBuild(ctx, d, build, outcome.message);
    return;
  }
  build.status = 'succeeded';
  build.fields = { ...outcome.fields };
  if (outcome.reusedFrom !== undefined) build.reusedFrom = { ...outcome.reusedFrom };
  recordBuild(ctx, spec.id, d, spec, build.fields);
  reportBuilt(ctx, d, spec, build.fields, outcome.reusedFrom, undefined);
}

/** Stops the builds of `d` that have not ended: running ones get a cancel command. */
export function cancelBuilds(ctx: DecisionContext, d: Deployment, reason: string): void {
  for (const build of d.builds ?? []) {
    if (build.status !== 'pending' && build.status !== 'running') continue;
    if (build.status === 'running' && build.commandId !== undefined) {
      ctx.command({
        type: 'cancel-step',
        id: cancelCommandId(build.commandId),
        payload: { targetCommandId: build.commandId, reason },
      });
    }
    build.status = 'cancelled';
    build.finishedAt = ctx.now;
    ctx.emit({
      type: 'artifact.build_cancelled',
      deploymentId: d.id,
      data: { revision: d.revision, artifact: build.name, reason },
    });
  }
  ctx.touch(d);
}

/** Ends a deployment still in its build phase: no stage was reached. */
export function endBeforeStages(
  ctx: DecisionContext,
  d: Deployment,
  status: FinalDeploymentStatus,
  data: Record<string, string | number> = {},
): void {
  for (const stage of d.stages) {
    stage.status = 'not_reached';
    delete stage.waitingFor;
  }
  finishDeployment(ctx, d, status, data);
}

/** The CI/CD copies' fields per artifact id: what `pipeline.pre_mirror_artifacts[...]` reads. */
export function preMirrorFields(d: Deployment): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const build of d.builds ?? []) if (build.fields !== undefined) out[build.id] = build.fields;
  return out;
}

/**
 * The last successful build under `key` when it was built from the same spec (a changed param,
 * type, platform, path list or destination always builds again).
 */
export function previousBuild(
  state: PipelineState,
  key: string,
  spec: ArtifactBuildSpec,
): PreviousBuildRef | undefined {
  if (spec.rebuildWhenChanged === undefined || spec.rebuildWhenChanged.length === 0)
    return undefined;
  const last = state.lastBuilds?.[key];
  if (last === undefined || stableJson(last.spec) !== stableJson(spec)) return undefined;
  return {
    deploymentId: last.deploymentId,
    revision: last.revision,
    commitSha: last.commitSha,
    fields: { ...last.fields },
  };
}

/** Remembers a successful build (a reused one too: it is as good for this commit). */
export function recordBuild(
  ctx: DecisionContext,
  key: string,
  d: Deployment,
  spec: ArtifactBuildSpec,
  fields: Record<string, string>,
): void {
  ctx.state.lastBuilds ??= {};
  ctx.state.lastBuilds[key] = {
    deploymentId: d.id,
    revision: d.revision,
    commitSha: d.commitSha,
    fields: { ...fields },
    spec: structuredClone(spec),
    at: ctx.now,
  };
}

/** `artifact.built`, or `artifact.reused` saying which build was reused and why. */
export function reportBuilt(
  ctx: DecisionContext,
  d: Deployment,
  spec: ArtifactBuildSpec,
  fields: Record<string, string>,
  reusedFrom: { revision: number; commitSha: string } | undefined,
  stage: string | undefined,
): void {
  const base = {
    deploymentId: d.id,
    ...(stage === undefined ? {} : { stage }),
  };
  if (reusedFrom === undefined) {
    ctx.emit({
      type: 'artifact.built',
      ...base,
      data: { revision: d.revision, artifact: spec.name, fields: { ...fields } },
    });
    return;
  }
  ctx.emit({
    type: 'artifact.reused',
    ...base,
    data: {
      revision: d.revision,
      artifact: spec.name,
      fields: { ...fields },
      reusedRevision: reusedFrom.revision,
      reusedCommitSha: reusedFrom.commitSha,
      message: reuseMessage(reusedFrom, spec.rebuildWhenChanged ?? []),
    },
  });
}

/** "reused build of revision 3 (commit abc1234): no change under app/, package.json". */
export function reuseMessage(
  reusedFrom: { revision: number; commitSha: string },
  paths: readonly string[],
): string {
  return `reused build of revision ${reusedFrom.revision} (commit ${reusedFrom.commitSha.slice(0, 7)}): no change under ${paths.join(', ')}`;
}

/** The last {@link BUILD_ERROR_LINES} lines of a build error, without trailing blank lines. */
export function buildErrorTail(message: string): string {
  const lines = message.replace(/\s+$/, '').split(/\r?\n/);
  const tail = lines.slice(-BUILD_ERROR_LINES).join('\n');
  return tail.length > BUILD_ERROR_CHARS ? `…${tail.slice(-BUILD_ERROR_CHARS)}` : tail;
}

function failBuild(
  ctx: DecisionContext,
  d: Deployment,
  build: ArtifactBuild,
  message: string,
): void {
  build.status = 'failed';
  build.error = buildErrorTail(message);
  ctx.emit({
    type: 'artifact.build_failed',
    deploymentId: d.id,
    data: { revision: d.revision, artifact: build.name, error: build.error },
  });
  cancelBuilds(ctx, d, `artifact "${build.name}" failed to build`);
  d.error = `artifact "${build.name}" failed to build: ${build.error}`;
  endBeforeStages(ctx, d, 'failed', { artifact: build.name, error: d.error });
}

/** JSON with object keys sorted, so equal specs compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}
