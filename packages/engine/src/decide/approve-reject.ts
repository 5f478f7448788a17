/** approve / reject: decide on a bake, an `APPROVAL:MANUAL` step, or a step that asked for approval. */
import type { Attribution, Deployment, StepExecution } from '../model/pipeline-state.js';
import type { DecisionContext } from './decision-context.js';
import { BAKE_TYPE, MANUAL_APPROVAL_TYPE, findDeployment, stageIndexOf } from './lookup.js';
import {
  rejection,
  type ApproveOperation,
  type OperationResult,
  type RejectOperation,
} from './operations.js';
import { failStep, removeApprovals, succeedStep } from './step-control.js';
import { issueStepCall } from './step-dag.js';

interface Target {
  d: Deployment;
  stageIndex: number;
  step: StepExecution;
}

function findTarget(
  ctx: DecisionContext,
  op: ApproveOperation | RejectOperation,
): Target | OperationResult {
  const d = findDeployment(ctx.state, op.deploymentId);
  if (d === undefined) return rejection('UNKNOWN_DEPLOYMENT', `no deployment "${op.deploymentId}"`);
  const stageIndex = stageIndexOf(d, op.stage);
  const exec = d.stages[stageIndex];
  if (exec === undefined)
    return rejection('UNKNOWN_STAGE', `revision ${d.revision} has no stage "${op.stage}"`);
  const step = exec.steps.find((s) => s.name === op.step);
  const planned = d.plan.stages[stageIndex]?.steps.some((s) => s.name === op.step) ?? false;
  if (step === undefined && !planned)
    return rejection('UNKNOWN_STEP', `stage "${op.stage}" has no step "${op.step}"`);
  const waiting =
    step !== undefined &&
    d.currentStage === stageIndex &&
    (step.status === 'waiting_for_approval' ||
      (step.status === 'running' && step.type === BAKE_TYPE));
  if (step === undefined || !waiting) {
    return rejection(
      'STEP_NOT_AWAITING_DECISION',
      `step "${op.step}" of stage "${op.stage}" in revision ${d.revision} is ${step?.status ?? 'not started'}, not waiting for approval or baking`,
    );
  }
  return { d, stageIndex, step };
}

export function approve(ctx: DecisionContext, op: ApproveOperation): OperationResult {
  const found = findTarget(ctx, op);
  if ('ok' in found) return found;
  const { d, stageIndex, step } = found;
  const by: Attribution = { actor: op.actor, reason: op.reason, at: ctx.now };
  step.approvedBy = by;
  ctx.emit({
    type: 'operation.approved',
    deploymentId: d.id,
    stage: op.stage,
    step: op.step,
    actor: op.actor,
    reason: op.reason,
    data: {
      revision: d.revision,
      kind:
        step.type === BAKE_TYPE ? 'bake' : step.type === MANUAL_APPROVAL_TYPE ? 'manual' : 'step',
    },
  });
  if (step.type === BAKE_TYPE) {
    succeedStep(ctx, d, stageIndex, step, {});
  } else if (step.type === MANUAL_APPROVAL_TYPE) {
    succeedStep(ctx, d, stageIndex, step, { approved_by: op.actor });
  } else {
    // The step asked to be approved: call it again, telling it who approved.
    step.status = 'running';
    removeApprovals(ctx, d.id, op.stage, op.step);
    issueStepCall(ctx, d, stageIndex, step, { approval: by });
  }
  return { ok: true, kind: op.kind, deploymentId: d.id };
}

export function reject(ctx: DecisionContext, op: RejectOperation): OperationResult {
  const found = findTarget(ctx, op);
  if ('ok' in found) return found;
  const { d, stageIndex, step } = found;
  step.rejectedBy = { actor: op.actor, reason: op.reason, at: ctx.now };
  ctx.emit({
    type: 'operation.rejected',
    deploymentId: d.id,
    stage: op.stage,
    step: op.step,
    actor: op.actor,
    reason: op.reason,
    data: { revision: d.revision },
  });
  failStep(
    ctx,
    d,
    stageIndex,
    step,
    { code: 'rejected', message: `rejected by ${op.actor}: ${op.reason}` },
    op.actor,
  );
  return { ok: true, kind: op.kind, deploymentId: d.id };
}
