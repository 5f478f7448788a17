/** A stage execution ending: success promotes the revision, failure ends the deployment. */
import type { Deployment, StageTrack } from '../model/pipeline-state.js';
import type { DecisionContext } from './decision-context.js';
import { finishDeployment } from './deployment-end.js';
import { trackOf } from './lookup.js';
import { dequeue, enqueueAtStage } from './stage-queue.js';
import { cancelStageSteps } from './step-control.js';

/** Frees the stage when `deploymentId` holds it. */
export function releaseStage(track: StageTrack, deploymentId: string): void {
  const occupant = track.occupant;
  if (
    occupant !== undefined &&
    'deploymentId' in occupant &&
    occupant.deploymentId === deploymentId
  )
    delete track.occupant;
}

/** The stage succeeded: it becomes the stage's last good revision and the deployment moves on. */
export function completeStage(ctx: DecisionContext, d: Deployment, stageIndex: number): void {
  const plan = d.plan.stages[stageIndex];
  const exec = d.stages[stageIndex];
  if (plan === undefined || exec === undefined) return;
  exec.status = 'succeeded';
  exec.finishedAt = ctx.now;
  ctx.touch(d);
  ctx.emit({
    type: 'stage.succeeded',
    deploymentId: d.id,
    stage: plan.name,
    data: { revision: d.revision, run: exec.run },
  });
  const track = trackOf(ctx.state, plan.name);
  releaseStage(track, d.id);
  const ref = { deploymentId: d.id, revision: d.revision };
  track.lastGood = ref;
  track.goodHistory = track.goodHistory.filter((g) => g.revision !== d.revision);
  track.goodHistory.push({ ...ref, at: ctx.now });
  track.goodHistory = track.goodHistory.slice(-ctx.config.rollbackTargetsPerStage);
  if (stageIndex + 1 < d.plan.stages.length) enqueueAtStage(ctx, d, stageIndex + 1);
  else finishDeployment(ctx, d, 'succeeded');
}

/** The stage failed: its steps stop and the deployment ends failed (a retry can start it again). */
export function failStage(
  ctx: DecisionContext,
  d: Deployment,
  stageIndex: number,
  error: string,
): void {
  const plan = d.plan.stages[stageIndex];
  const exec = d.stages[stageIndex];
  if (plan === undefined || exec === undefined) return;
  cancelStageSteps(ctx, d, stageIndex, 'stage failed');
  exec.status = 'failed';
  delete exec.waitingFor;
  exec.error = error;
  exec.finishedAt = ctx.now;
  const track = trackOf(ctx.state, plan.name);
  releaseStage(track, d.id);
  dequeue(track, d.id);
  ctx.emit({
    type: 'stage.failed',
    deploymentId: d.id,
    stage: plan.name,
    data: { revision: d.revision, run: exec.run, error },
  });
  finishDeployment(ctx, d, 'failed');
}
