/**
 * A deployment reaching a stage joins the stage's queue. Only the newest waiting revision may
 * enter: a newer one supersedes older waiting ones, and a revision older than what the stage
 * already runs successfully never enters.
 */
import type { Deployment, StageTrack } from '../model/pipeline-state.js';
import type { DecisionContext } from './decision-context.js';
import { finishDeployment } from './deployment-end.js';
import { findDeployment, trackOf } from './lookup.js';

/** Puts `d` in the queue of its stage `stageIndex` (status `waiting`); the gate decides when it enters. */
export function enqueueAtStage(ctx: DecisionContext, d: Deployment, stageIndex: number): void {
  const plan = d.plan.stages[stageIndex];
  const exec = d.stages[stageIndex];
  if (plan === undefined || exec === undefined) return;
  d.currentStage = stageIndex;
  exec.status = 'waiting';
  // The gate sets the reason on this decision's reconcile pass (and reports it).
  delete exec.waitingFor;
  exec.reachedAt = ctx.now;
  ctx.touch(d);
  const track = trackOf(ctx.state, plan.name);
  if (track.lastGood !== undefined && track.lastGood.revision > d.revision) {
    supersede(ctx, d, stageIndex, track.lastGood.revision);
    return;
  }
  for (const queuedId of [...track.queued]) {
    if (queuedId === d.id) continue;
    const queued = findDeployment(ctx.state, queuedId);
    if (queued === undefined) {
      dequeue(track, queuedId);
    } else if (queued.revision < d.revision) {
      supersede(ctx, queued, queued.currentStage, d.revision);
    } else {
      supersede(ctx, d, stageIndex, queued.revision);
      return;
    }
  }
  if (!track.queued.includes(d.id)) track.queued.push(d.id);
}

export function dequeue(track: StageTrack, deploymentId: string): void {
  track.queued = track.queued.filter((id) => id !== deploymentId);
}

/** Ends a waiting deployment because a newer revision took its place. */
export function supersede(
  ctx: DecisionContext,
  d: Deployment,
  stageIndex: number,
  byRevision: number,
): void {
  const plan = d.plan.stages[stageIndex];
  const exec = d.stages[stageIndex];
  if (plan === undefined || exec === undefined) return;
  dequeue(trackOf(ctx.state, plan.name), d.id);
  exec.status = 'superseded';
  delete exec.waitingFor;
  exec.finishedAt = ctx.now;
  ctx.emit({
    type: 'stage.superseded',
    deploymentId: d.id,
    stage: plan.name,
    data: { revision: d.revision, byRevision },
  });
  finishDeployment(ctx, d, 'superseded', { byRevision });
}
