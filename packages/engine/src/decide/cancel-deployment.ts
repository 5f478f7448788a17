/** cancel: stop a deployment wherever it is; running steps are cancelled and the stage is freed. */
import { isActiveStageStatus, isTerminalDeploymentStatus } from '../model/statuses.js';
import { cancelBuilds, endBeforeStages } from './artifact-builds.js';
import type { DecisionContext } from './decision-context.js';
import { finishDeployment } from './deployment-end.js';
import { findDeployment, trackOf } from './lookup.js';
import { rejection, type CancelOperation, type OperationResult } from './operations.js';
import { releaseStage } from './stage-end.js';
import { dequeue } from './stage-queue.js';
import { cancelStageSteps } from './step-control.js';

export function cancelDeployment(ctx: DecisionContext, op: CancelOperation): OperationResult {
  const d = findDeployment(ctx.state, op.deploymentId);
  if (d === undefined) return rejection('UNKNOWN_DEPLOYMENT', `no deployment "${op.deploymentId}"`);
  if (isTerminalDeploymentStatus(d.status))
    return rejection('DEPLOYMENT_FINISHED', `revision ${d.revision} already ended (${d.status})`);
  if (d.status === 'building') {
    cancelBuilds(ctx, d, 'cancelled');
    ctx.emit({
      type: 'operation.cancelled',
      deploymentId: d.id,
      actor: op.actor,
      reason: op.reason,
      data: { revision: d.revision },
    });
    endBeforeStages(ctx, d, 'cancelled');
    return { ok: true, kind: op.kind, deploymentId: d.id };
  }
  const plan = d.plan.stages[d.currentStage];
  const exec = d.stages[d.currentStage];
  if (plan === undefined || exec === undefined)
    return rejection('UNKNOWN_STAGE', `revision ${d.revision} has no current stage`);
  if (exec.status === 'rolling_back') {
    return rejection(
      'ROLLBACK_IN_PROGRESS',
      `stage "${plan.name}" is rolling back revision ${d.revision}; wait for the rollback to finish`,
    );
  }
  const track = trackOf(ctx.state, plan.name);
  if (isActiveStageStatus(exec.status)) cancelStageSteps(ctx, d, d.currentStage, 'cancelled');
  releaseStage(track, d.id);
  dequeue(track, d.id);
  exec.status = 'cancelled';
  delete exec.waitingFor;
  exec.finishedAt = ctx.now;
  exec.cancelledBy = { actor: op.actor, reason: op.reason, at: ctx.now };
  ctx.emit({
    type: 'operation.cancelled',
    deploymentId: d.id,
    stage: plan.name,
    actor: op.actor,
    reason: op.reason,
    data: { revision: d.revision },
  });
  ctx.emit({
    type: 'stage.cancelled',
    deploymentId: d.id,
    stage: plan.name,
    actor: op.actor,
    reason: op.reason,
    data: { revision: d.revision, run: exec.run },
  });
  finishDeployment(ctx, d, 'cancelled');
  return { ok: true, kind: op.kind, deploymentId: d.id };
}
