/** retry and roll forward: a deployment that ended starts again at one stage with the same revision. */
import type { Deployment } from '../model/pipeline-state.js';
import { isActiveStageStatus, isTerminalDeploymentStatus } from '../model/statuses.js';
import { endedWhileBuilding, retryBuilds } from './artifact-builds.js';
import { removeBlockers } from './blockers.js';
import type { DecisionContext } from './decision-context.js';
import { findDeployment, occupantDeployment, stageIndexOf, trackOf } from './lookup.js';
import {
  rejection,
  type OperationResult,
  type RetryOperation,
  type RollForwardOperation,
} from './operations.js';
import { enqueueAtStage } from './stage-queue.js';

export function retryStage(ctx: DecisionContext, op: RetryOperation): OperationResult {
  const d = findDeployment(ctx.state, op.deploymentId);
  if (d === undefined) return rejection('UNKNOWN_DEPLOYMENT', `no deployment "${op.deploymentId}"`);
  const index = stageIndexOf(d, op.stage);
  const exec = d.stages[index];
  if (exec === undefined)
    return rejection('UNKNOWN_STAGE', `revision ${d.revision} has no stage "${op.stage}"`);
  if (d.status === 'failed' && endedWhileBuilding(d)) return retryFailedBuilds(ctx, d, op, index);
  if (exec.status !== 'failed' || d.status !== 'failed') {
    return rejection(
      'STAGE_NOT_FAILED',
      `stage "${op.stage}" of revision ${d.revision} is ${exec.status}; only a failed stage can be retried`,
    );
  }
  const newer = newerRevisionAt(ctx, op.stage, d.revision);
  if (newer !== undefined) {
    return rejection(
      'NEWER_REVISION',
      `revision ${newer} already reached stage "${op.stage}"; deploy it or a newer revision instead of retrying ${d.revision}`,
    );
  }
  revive(ctx, d, index);
  ctx.emit({
    type: 'operation.retried',
    deploymentId: d.id,
    stage: op.stage,
    actor: op.actor,
    reason: op.reason,
    data: { revision: d.revision },
  });
  return { ok: true, kind: op.kind, deploymentId: d.id };
}

/** A deployment whose build failed: its builds run again, then it starts at its first stage. */
function retryFailedBuilds(
  ctx: DecisionContext,
  d: Deployment,
  op: RetryOperation,
  index: number,
): OperationResult {
  const first = d.plan.stages[0]?.name ?? '';
  if (index !== 0) {
    return rejection(
      'STAGE_NOT_FAILED',
      `revision ${d.revision} failed while building its artifacts and never reached stage "${op.stage}"; retry it at its first stage "${first}"`,
    );
  }
  const newer = newerRevisionAt(ctx, first, d.revision);
  if (newer !== undefined) {
    return rejection(
      'NEWER_REVISION',
      `revision ${newer} already reached stage "${first}"; deploy it or a newer revision instead of retrying ${d.revision}`,
    );
  }
  retryBuilds(ctx, d);
  ctx.emit({
    type: 'operation.retried',
    deploymentId: d.id,
    stage: op.stage,
    actor: op.actor,
    reason: op.reason,
    data: { revision: d.revision, builds: true },
  });
  return { ok: true, kind: op.kind, deploymentId: d.id };
}

/**
 * Lifts the blocker a manual rollback left and deploys the newest revision again: the queued one
 * proceeds, or else the newest finished revision newer than the one deployed starts over at this
 * stage.
 */
export function rollForward(ctx: DecisionContext, op: RollForwardOperation): OperationResult {
  const track = ctx.state.tracks[op.stage];
  if (track === undefined)
    return rejection('UNKNOWN_STAGE', `no revision has reached stage "${op.stage}" yet`);
  if (track.occupant !== undefined) {
    return rejection('STAGE_BUSY', `stage "${op.stage}" is busy; roll forward once it is free`);
  }
  const lifted = removeBlockers(ctx, track, (b) => b.kind === 'manual' && b.origin === 'rollback', {
    actor: op.actor,
    reason: op.reason,
  });
  const base = track.lastGood?.revision ?? 0;
  const candidate =
    track.queued.length > 0
      ? undefined
      : [...ctx.state.deployments]
          .reverse()
          .find(
            (d) =>
              d.revision > base &&
              isTerminalDeploymentStatus(d.status) &&
              d.status !== 'superseded' &&
              reachedStage(d, op.stage),
          );
  if (candidate === undefined && lifted.length === 0 && track.queued.length === 0) {
    return rejection(
      'NOTHING_TO_ROLL_FORWARD',
      `stage "${op.stage}" has no rollback blocker and no revision newer than ${base} to deploy`,
    );
  }
  if (candidate !== undefined) revive(ctx, candidate, stageIndexOf(candidate, op.stage));
  ctx.emit({
    type: 'operation.rolled_forward',
    stage: op.stage,
    actor: op.actor,
    reason: op.reason,
    ...(candidate === undefined ? {} : { deploymentId: candidate.id }),
    data: {
      ...(candidate === undefined ? {} : { revision: candidate.revision }),
      liftedBlockers: lifted.length,
    },
  });
  return {
    ok: true,
    kind: op.kind,
    ...(candidate === undefined ? {} : { deploymentId: candidate.id }),
  };
}

function reachedStage(d: Deployment, stage: string): boolean {
  const exec = d.stages[stageIndexOf(d, stage)];
  return exec !== undefined && exec.run > 0;
}

/** The newest revision newer than `revision` that runs, waits at or succeeded in `stage`. */
function newerRevisionAt(
  ctx: DecisionContext,
  stage: string,
  revision: number,
): number | undefined {
  const track = trackOf(ctx.state, stage);
  const candidates: number[] = [];
  const occupant = occupantDeployment(ctx.state, track);
  if (occupant !== undefined) candidates.push(occupant.revision);
  for (const id of track.queued) {
    const queued = findDeployment(ctx.state, id);
    if (queued !== undefined) candidates.push(queued.revision);
  }
  if (track.lastGood !== undefined) candidates.push(track.lastGood.revision);
  const newer = candidates.filter((r) => r > revision);
  return newer.length === 0 ? undefined : Math.max(...newer);
}

/** Starts `d` again at stage `index`: that stage and the ones after it wait once more. */
function revive(ctx: DecisionContext, d: Deployment, index: number): void {
  d.status = 'running';
  delete d.finishedAt;
  d.stages.forEach((exec, k) => {
    if (k < index || isActiveStageStatus(exec.status)) return;
    exec.status = 'waiting';
    exec.waitingFor = 'previous_stage';
    for (const key of [
      'error',
      'finishedAt',
      'rollbackId',
      'windowOverride',
      'cancelledBy',
    ] as const)
      delete exec[key];
  });
  ctx.emit({
    type: 'deployment.resumed',
    deploymentId: d.id,
    stage: d.plan.stages[index]?.name ?? '',
    data: { revision: d.revision },
  });
  enqueueAtStage(ctx, d, index);
}
