/** Results of step commands and step timers. A result for anything but the call in flight is ignored. */
import type { Deployment, StepExecution } from '../model/pipeline-state.js';
import { isActiveStepStatus, isDeployingStageStatus } from '../model/statuses.js';
import type { DecisionContext } from './decision-context.js';
import type { StepOutcome } from './inputs.js';
import { findDeployment } from './lookup.js';
import { succeedStep, failStep } from './step-control.js';
import { awaitApproval, issueStepCall } from './step-dag.js';
import type { StepRef, Timer } from './timers.js';

interface Located {
  d: Deployment;
  step: StepExecution;
}

/** The step `ref` names, when its stage is still deploying and the attempt is the current one. */
export function locateStep(ctx: DecisionContext, ref: StepRef): Located | undefined {
  const d = findDeployment(ctx.state, ref.deploymentId);
  const exec = d?.stages[ref.stageIndex];
  const step = exec?.steps[ref.stepIndex];
  if (d === undefined || exec === undefined || step === undefined) return undefined;
  if (d.currentStage !== ref.stageIndex || !isDeployingStageStatus(exec.status)) return undefined;
  if (step.attempt !== ref.attempt) return undefined;
  return { d, step };
}

export function onStepFinished(
  ctx: DecisionContext,
  commandId: string,
  ref: StepRef,
  outcome: StepOutcome,
): void {
  const found = locateStep(ctx, ref);
  if (found === undefined) return;
  const { d, step } = found;
  if (step.status !== 'running' || step.commandId !== commandId) return;
  switch (outcome.kind) {
    case 'succeeded':
      succeedStep(ctx, d, ref.stageIndex, step, outcome.outputs);
      return;
    case 'failed':
      delete step.commandId;
      failStep(ctx, d, ref.stageIndex, step, {
        code: outcome.code ?? 'executor',
        message: outcome.message,
      });
      return;
    case 'approval-required':
      delete step.commandId;
      awaitApproval(ctx, d, ref.stageIndex, step, 'step', undefined, outcome.message);
      return;
    case 'poll-again': {
      const state = outcome.pollingState;
      if (state === undefined) delete step.pollingState;
      else step.pollingState = state;
      issueStepCall(ctx, d, ref.stageIndex, step, {
        dueAt: ctx.after(Math.max(0, outcome.afterMs)),
        ...(state === undefined ? {} : { pollingState: state }),
      });
      return;
    }
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

/** A step timer fired: a bake ends, a step or an approval timed out. */
export function onStepTimer(
  ctx: DecisionContext,
  timer: Exclude<Timer, { kind: 'window-opens' }>,
): void {
  const found = locateStep(ctx, timer);
  if (found === undefined) return;
  const { d, step } = found;
  switch (timer.kind) {
    case 'bake-ends':
      if (step.status === 'running' && step.bakeEndsAt !== undefined)
        succeedStep(ctx, d, timer.stageIndex, step, {});
      return;
    case 'step-timeout': {
      if (!isActiveStepStatus(step.status)) return;
      const minutes = d.plan.stages[timer.stageIndex]?.steps[timer.stepIndex]?.timeoutMinutes;
      failStep(ctx, d, timer.stageIndex, step, {
        code: 'timeout',
        message: `timed out after ${minutes ?? '?'} minutes`,
      });
      return;
    }
    case 'approval-timeout':
      if (step.status !== 'waiting_for_approval') return;
      failStep(ctx, d, timer.stageIndex, step, {
        code: 'approval-timeout',
        message: 'nobody approved or rejected it in time',
      });
      return;
    default: {
      const unreachable: never = timer;
      return unreachable;
    }
  }
}
