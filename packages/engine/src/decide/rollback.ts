/**
 * Rollbacks: restoring a stage to a good revision, one `rollback-step` command at a time in DAG
 * order. Only steps whose type restores something (`rollback: redeploy`) run; Terraform is
 * skipped. An automatic rollback records time-to-detect and time-to-restore.
 */
import { RampartError } from '@rampart/core';
import type { DeploymentStepPlan } from '../model/deployment-plan.js';
import type {
  Deployment,
  RollbackRecord,
  RollbackStepExecution,
  StageTarget,
} from '../model/pipeline-state.js';
import { addAlarmBlocker } from './blockers.js';
import type { DecisionContext } from './decision-context.js';
import { finishDeployment } from './deployment-end.js';
import { rollbackId, rollbackStepId } from './ids.js';
import { findDeployment, stageIndexOf, stageTarget, trackOf } from './lookup.js';
import { failStage, releaseStage } from './stage-end.js';
import { cancelStageSteps } from './step-control.js';

/**
 * An alarm went to ALARM while `d` deployed stage `stageIndex`: stop its steps, block this stage
 * and the next, and restore the stage's last good revision (no good revision: the stage fails).
 */
export function autoRollback(
  ctx: DecisionContext,
  d: Deployment,
  stageIndex: number,
  alarm: string,
  changedAt: string,
): void {
  const plan = d.plan.stages[stageIndex];
  const exec = d.stages[stageIndex];
  if (plan === undefined || exec === undefined) return;
  const reason = `alarm "${alarm}" is in ALARM`;
  cancelStageSteps(ctx, d, stageIndex, reason);
  const next = d.plan.stages[stageIndex + 1];
  if (next !== undefined) addAlarmBlocker(ctx, trackOf(ctx.state, next.name), alarm, plan.name);
  const track = trackOf(ctx.state, plan.name);
  const lastGood = track.lastGood;
  const good =
    lastGood === undefined ? undefined : findDeployment(ctx.state, lastGood.deploymentId);
  if (lastGood === undefined || good === undefined || lastGood.revision >= d.revision) {
    failStage(
      ctx,
      d,
      stageIndex,
      `${reason} and the stage has no earlier good revision to restore`,
    );
    return;
  }
  const started = plan.steps.filter(
    (step, index) => step.rollback === 'redeploy' && exec.steps[index]?.startedAt !== undefined,
  );
  const rb = newRollback(ctx, {
    kind: 'auto',
    stage: plan.name,
    target: stageTarget(ctx.state, d, plan),
    from: d,
    to: good,
    actor: `alarm:${alarm}`,
    reason,
    alarm: { name: alarm, changedAt },
  });
  rb.steps = inDagOrder(started).map((step, k) =>
    rollbackStep(rb.id, k, step, good, plan.name, exec.steps[plan.steps.indexOf(step)]?.outputs),
  );
  exec.status = 'rolling_back';
  exec.rollbackId = rb.id;
  ctx.touch(d);
  ctx.emit({
    type: 'stage.rolling_back',
    deploymentId: d.id,
    stage: plan.name,
    actor: rb.actor,
    reason,
    data: { revision: d.revision, toRevision: good.revision, rollbackId: rb.id },
  });
  emitStarted(ctx, rb);
}

/**
 * Starts a manual rollback of `stage` from its last good revision to `to`, a revision that
 * succeeded there (the caller checks). Restores the steps that succeeded in `to`.
 */
export function startManualRollback(
  ctx: DecisionContext,
  stage: string,
  to: Deployment,
  from: Deployment | undefined,
  by: { actor: string; reason: string },
): RollbackRecord {
  const toIndex = stageIndexOf(to, stage);
  const toPlan = to.plan.stages[toIndex];
  const toExec = to.stages[toIndex];
  if (toPlan === undefined) {
    throw new RampartError('INTERNAL', `revision ${to.revision} has no stage "${stage}"`, {
      source: 'system',
    });
  }
  const track = trackOf(ctx.state, stage);
  const target = stageTarget(ctx.state, to, toPlan);
  const rb = newRollback(ctx, {
    kind: 'manual',
    stage,
    target,
    from,
    to,
    actor: by.actor,
    reason: by.reason,
  });
  const restorable = (toPlan?.steps ?? []).filter(
    (step, index) =>
      step.rollback === 'redeploy' && !step.skipped && toExec?.steps[index]?.status === 'succeeded',
  );
  const fromIndex = from === undefined ? -1 : stageIndexOf(from, stage);
  rb.steps = inDagOrder(restorable).map((step, k) => {
    const fromExec = from?.stages[fromIndex]?.steps.find((s) => s.name === step.name);
    return rollbackStep(rb.id, k, step, to, stage, fromExec?.outputs);
  });
  track.occupant = { rollbackId: rb.id };
  emitStarted(ctx, rb);
  return rb;
}

/** Starts the next step of a running rollback, or finishes it; returns whether anything changed. */
export function advanceRollback(ctx: DecisionContext, rb: RollbackRecord): boolean {
  if (rb.status !== 'running') return false;
  if (rb.steps.some((s) => s.status === 'running')) return false;
  const next = rb.steps.find((s) => s.status === 'pending');
  if (next === undefined) {
    finishRollback(ctx, rb, 'succeeded');
    return true;
  }
  next.status = 'running';
  next.startedAt = ctx.now;
  ctx.command({
    type: 'rollback-step',
    id: next.commandId,
    payload: {
      target: rb.target,
      rollbackId: rb.id,
      stepIndex: rb.steps.indexOf(next),
      step: { name: next.name, type: next.type },
      toDeploymentId: rb.toDeploymentId,
      toRevision: rb.toRevision,
      journalKey: next.commandId,
      ...(next.targetParams === undefined ? {} : { targetParams: next.targetParams }),
      ...(next.targetOutputs === undefined ? {} : { targetOutputs: next.targetOutputs }),
      ...(next.failedOutputs === undefined ? {} : { failedOutputs: next.failedOutputs }),
    },
  });
  return true;
}

/** A rollback step ended; stale results (not the step in flight) are ignored. */
export function onRollbackStepFinished(
  ctx: DecisionContext,
  rollbackId: string,
  commandId: string,
  outcome:
    | { kind: 'succeeded'; outputs: RollbackStepExecution['outputs'] }
    | { kind: 'failed'; message: string },
): void {
  const rb = ctx.state.rollbacks.find((r) => r.id === rollbackId);
  const step = rb?.steps.find((s) => s.commandId === commandId);
  if (
    rb === undefined ||
    step === undefined ||
    step.status !== 'running' ||
    rb.status !== 'running'
  )
    return;
  step.finishedAt = ctx.now;
  if (outcome.kind === 'succeeded') {
    step.status = 'succeeded';
    if (outcome.outputs !== undefined) step.outputs = outcome.outputs;
    return;
  }
  step.status = 'failed';
  step.error = { code: 'executor', message: outcome.message };
  finishRollback(ctx, rb, 'failed', `step "${step.name}" failed: ${outcome.message}`);
}

function finishRollback(
  ctx: DecisionContext,
  rb: RollbackRecord,
  status: 'succeeded' | 'failed',
  error?: string,
): void {
  rb.status = status;
  rb.finishedAt = ctx.now;
  rb.timeToRestoreMs = Math.max(0, ctx.nowMs - Date.parse(rb.decidedAt));
  if (error !== undefined) rb.error = error;
  for (const step of rb.steps) if (step.status === 'pending') step.status = 'cancelled';
  ctx.emit({
    type: status === 'succeeded' ? 'rollback.succeeded' : 'rollback.failed',
    stage: rb.stage,
    actor: rb.actor,
    reason: rb.reason,
    ...(rb.fromDeploymentId === undefined ? {} : { deploymentId: rb.fromDeploymentId }),
    data: {
      rollbackId: rb.id,
      kind: rb.kind,
      toRevision: rb.toRevision,
      timeToRestoreMs: rb.timeToRestoreMs,
      ...(rb.timeToDetectMs === undefined ? {} : { timeToDetectMs: rb.timeToDetectMs }),
      ...(error === undefined ? {} : { error }),
    },
  });
  const track = trackOf(ctx.state, rb.stage);
  if (rb.kind === 'manual') {
    if (
      track.occupant !== undefined &&
      'rollbackId' in track.occupant &&
      track.occupant.rollbackId === rb.id
    )
      delete track.occupant;
    if (status === 'succeeded')
      track.lastGood = { deploymentId: rb.toDeploymentId, revision: rb.toRevision };
    return;
  }
  const d =
    rb.fromDeploymentId === undefined ? undefined : findDeployment(ctx.state, rb.fromDeploymentId);
  if (d === undefined) return;
  const exec = d.stages[d.currentStage];
  if (exec !== undefined) {
    exec.status = status === 'succeeded' ? 'rolled_back' : 'failed';
    exec.finishedAt = ctx.now;
    if (error !== undefined) exec.error = `rollback failed: ${error}`;
    ctx.emit({
      type: status === 'succeeded' ? 'stage.rolled_back' : 'stage.failed',
      deploymentId: d.id,
      stage: rb.stage,
      actor: rb.actor,
      reason: rb.reason,
      data: { revision: d.revision, toRevision: rb.toRevision, rollbackId: rb.id },
    });
  }
  releaseStage(track, d.id);
  finishDeployment(ctx, d, status === 'succeeded' ? 'rolled_back' : 'failed');
}

function newRollback(
  ctx: DecisionContext,
  spec: {
    kind: RollbackRecord['kind'];
    stage: string;
    target: StageTarget;
    from: Deployment | undefined;
    to: Deployment;
    actor: string;
    reason: string;
    alarm?: { name: string; changedAt: string };
  },
): RollbackRecord {
  ctx.state.rollbackSeq += 1;
  const rb: RollbackRecord = {
    id: rollbackId(ctx.state.pipelineId, ctx.state.rollbackSeq),
    kind: spec.kind,
    stage: spec.stage,
    status: 'running',
    target: spec.target,
    toDeploymentId: spec.to.id,
    toRevision: spec.to.revision,
    actor: spec.actor,
    reason: spec.reason,
    decidedAt: ctx.now,
    steps: [],
  };
  if (spec.from !== undefined) {
    rb.fromDeploymentId = spec.from.id;
    rb.fromRevision = spec.from.revision;
  }
  if (spec.alarm !== undefined) {
    rb.alarm = spec.alarm;
    // An alarm stamped after our clock (skew) counts as detected at once.
    rb.timeToDetectMs = Math.max(0, ctx.nowMs - Date.parse(spec.alarm.changedAt));
  }
  ctx.state.rollbacks.push(rb);
  return rb;
}

function emitStarted(ctx: DecisionContext, rb: RollbackRecord): void {
  ctx.emit({
    type: 'rollback.started',
    stage: rb.stage,
    actor: rb.actor,
    reason: rb.reason,
    ...(rb.fromDeploymentId === undefined ? {} : { deploymentId: rb.fromDeploymentId }),
    data: {
      rollbackId: rb.id,
      kind: rb.kind,
      toRevision: rb.toRevision,
      steps: rb.steps.map((s) => s.name),
      ...(rb.fromRevision === undefined ? {} : { fromRevision: rb.fromRevision }),
      ...(rb.alarm === undefined
        ? {}
        : { alarm: rb.alarm.name, alarmChangedAt: rb.alarm.changedAt }),
      ...(rb.timeToDetectMs === undefined ? {} : { timeToDetectMs: rb.timeToDetectMs }),
    },
  });
}

function rollbackStep(
  id: string,
  k: number,
  step: DeploymentStepPlan,
  to: Deployment,
  stage: string,
  failedOutputs: RollbackStepExecution['failedOutputs'],
): RollbackStepExecution {
  const toIndex = stageIndexOf(to, stage);
  const toPlan = to.plan.stages[toIndex];
  const toStepIndex = toPlan?.steps.findIndex((s) => s.name === step.name) ?? -1;
  const toStepPlan = toPlan?.steps[toStepIndex];
  const toExec = to.stages[toIndex]?.steps[toStepIndex];
  const out: RollbackStepExecution = {
    name: step.name,
    type: step.type,
    status: 'pending',
    commandId: rollbackStepId(id, k),
  };
  const targetParams = toExec?.params ?? toStepPlan?.params;
  if (targetParams !== undefined && toStepPlan?.skipped !== true) out.targetParams = targetParams;
  if (toExec?.outputs !== undefined) out.targetOutputs = toExec.outputs;
  if (failedOutputs !== undefined) out.failedOutputs = failedOutputs;
  return out;
}

function inDagOrder(steps: DeploymentStepPlan[]): DeploymentStepPlan[] {
  return steps
    .map((step, order) => ({ step, order }))
    .sort((a, b) => (a.step.level ?? 0) - (b.step.level ?? 0) || a.order - b.order)
    .map((x) => x.step);
}
