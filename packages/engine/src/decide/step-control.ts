/** Ending steps: one at a time (succeed, fail) or all of a stage at once (cancel). */
import type { Deployment, StepError, StepExecution } from '../model/pipeline-state.js';
import { isActiveStepStatus, isTerminalStepStatus } from '../model/statuses.js';
import { cancelCommandId } from './ids.js';
import type { DecisionContext } from './decision-context.js';
import type { JsonObject } from '../model/deployment-plan.js';

/** Drops the pending approvals of one step (or of every step of a stage when `step` is absent). */
export function removeApprovals(
  ctx: DecisionContext,
  deploymentId: string,
  stage: string,
  step?: string,
): void {
  ctx.state.approvals = ctx.state.approvals.filter(
    (a) =>
      !(
        a.deploymentId === deploymentId &&
        a.stage === stage &&
        (step === undefined || a.step === step)
      ),
  );
}

/** Asks the runtime to stop the command a step has in flight, if any. */
export function cancelStepCommand(ctx: DecisionContext, step: StepExecution, reason: string): void {
  if (step.commandId === undefined) return;
  ctx.command({
    type: 'cancel-step',
    id: cancelCommandId(step.commandId),
    payload: { targetCommandId: step.commandId, reason },
  });
  delete step.commandId;
}

export function succeedStep(
  ctx: DecisionContext,
  d: Deployment,
  stageIndex: number,
  step: StepExecution,
  outputs: JsonObject,
): void {
  const stage = d.plan.stages[stageIndex]?.name ?? '';
  step.status = 'succeeded';
  step.outputs = outputs;
  step.finishedAt = ctx.now;
  delete step.commandId;
  removeApprovals(ctx, d.id, stage, step.name);
  ctx.touch(d);
  ctx.emit({
    type: 'step.succeeded',
    deploymentId: d.id,
    stage,
    step: step.name,
    data: { attempt: step.attempt, outputs },
  });
}

/** Marks a step failed; the stage fails on the next reconcile pass. Cancels its command. */
export function failStep(
  ctx: DecisionContext,
  d: Deployment,
  stageIndex: number,
  step: StepExecution,
  error: StepError,
  actor?: string,
): void {
  const stage = d.plan.stages[stageIndex]?.name ?? '';
  cancelStepCommand(ctx, step, error.code);
  step.status = 'failed';
  step.error = error;
  step.finishedAt = ctx.now;
  removeApprovals(ctx, d.id, stage, step.name);
  ctx.touch(d);
  ctx.emit({
    type: 'step.failed',
    deploymentId: d.id,
    stage,
    step: step.name,
    ...(actor === undefined ? {} : { actor }),
    data: { attempt: step.attempt, code: error.code, message: error.message },
  });
}

/** Cancels every step of a stage that has not ended, stopping the commands in flight. */
export function cancelStageSteps(
  ctx: DecisionContext,
  d: Deployment,
  stageIndex: number,
  reason: string,
): void {
  const stage = d.plan.stages[stageIndex]?.name ?? '';
  for (const step of d.stages[stageIndex]?.steps ?? []) {
    if (isTerminalStepStatus(step.status)) continue;
    if (isActiveStepStatus(step.status)) cancelStepCommand(ctx, step, reason);
    step.status = 'cancelled';
    step.finishedAt = ctx.now;
    ctx.emit({
      type: 'step.cancelled',
      deploymentId: d.id,
      stage,
      step: step.name,
      data: { attempt: step.attempt, reason },
    });
  }
  removeApprovals(ctx, d.id, stage);
  ctx.touch(d);
}
