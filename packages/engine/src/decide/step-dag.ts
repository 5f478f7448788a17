/**
 * The step DAG of a running stage: a step starts once every step it goes after succeeded (or
 * was skipped), so independent branches run in parallel; the stage succeeds when all steps did
 * and fails as soon as one failed.
 */
import type { JsonValue } from '../ports/engine-store.js';
import type { Deployment, StepExecution } from '../model/pipeline-state.js';
import { isDeployingStageStatus, isStepDoneForDependents } from '../model/statuses.js';
import type { ApprovalGrant } from './commands.js';
import type { DecisionContext } from './decision-context.js';
import { stepAttemptKey, stepCallId, stepJournalKey, stepTimerId } from './ids.js';
import { BAKE_TYPE, MANUAL_APPROVAL_TYPE, stageTarget } from './lookup.js';
import { preMirrorFields } from './artifact-builds.js';
import { fillMarkers } from './markers.js';
import { completeStage, failStage } from './stage-end.js';
import { failStep } from './step-control.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** `APPROVAL:MANUAL` waits this long by default (FORMAT.md: `timeout_hours`, default 168). */
const DEFAULT_APPROVAL_HOURS = 168;

/** Moves a running stage forward; returns whether anything changed. */
export function advanceSteps(ctx: DecisionContext, d: Deployment, stageIndex: number): boolean {
  const plan = d.plan.stages[stageIndex];
  const exec = d.stages[stageIndex];
  if (plan === undefined || exec === undefined || !isDeployingStageStatus(exec.status))
    return false;
  const failed = exec.steps.find((s) => s.status === 'failed');
  if (failed !== undefined) {
    failStage(
      ctx,
      d,
      stageIndex,
      `step "${failed.name}" failed: ${failed.error?.message ?? 'failed'}`,
    );
    return true;
  }
  let changed = false;
  const byName = new Map(exec.steps.map((s) => [s.name, s]));
  for (const step of exec.steps) {
    if (step.status !== 'pending') continue;
    const deps = plan.steps[step.index]?.dependsOn ?? [];
    if (deps.every((name) => isStepDoneForDependents(byName.get(name)?.status ?? 'skipped'))) {
      startStep(ctx, d, stageIndex, step);
      changed = true;
    }
  }
  if (changed) return true;
  if (exec.steps.every((s) => isStepDoneForDependents(s.status))) {
    completeStage(ctx, d, stageIndex);
    return true;
  }
  return updateBaking(ctx, d, stageIndex);
}

/** `baking` while only bakes run, `running_steps` otherwise; returns whether it changed. */
function updateBaking(ctx: DecisionContext, d: Deployment, stageIndex: number): boolean {
  const exec = d.stages[stageIndex];
  if (exec === undefined) return false;
  const active = exec.steps.filter(
    (s) => s.status === 'running' || s.status === 'waiting_for_approval',
  );
  const baking =
    active.length > 0 && active.every((s) => s.type === BAKE_TYPE && s.status === 'running');
  const status = baking ? 'baking' : 'running_steps';
  if (exec.status === status) return false;
  exec.status = status;
  ctx.touch(d);
  ctx.emit({
    type: baking ? 'stage.baking' : 'stage.running_steps',
    deploymentId: d.id,
    stage: exec.name,
    data: { run: exec.run },
  });
  return true;
}

function startStep(
  ctx: DecisionContext,
  d: Deployment,
  stageIndex: number,
  step: StepExecution,
): void {
  const stage = d.plan.stages[stageIndex];
  const plan = stage?.steps[step.index];
  if (stage === undefined || plan === undefined) return;
  step.status = 'running';
  step.startedAt = ctx.now;
  ctx.touch(d);
  ctx.emit({
    type: 'step.started',
    deploymentId: d.id,
    stage: stage.name,
    step: step.name,
    data: { attempt: step.attempt, type: step.type },
  });
  const attemptKey = stepAttemptKey(d.id, stageIndex, step.attempt, step.index);
  const ref = { deploymentId: d.id, stageIndex, stepIndex: step.index, attempt: step.attempt };
  if (plan.timeoutMinutes !== undefined) {
    ctx.command({
      type: 'set-timer',
      id: stepTimerId(attemptKey, 'timeout'),
      dueAt: ctx.after(plan.timeoutMinutes * MINUTE_MS),
      payload: { timer: { kind: 'step-timeout', ...ref } },
    });
  }
  if (step.type === BAKE_TYPE) {
    const minutes = plan.params['duration_minutes'];
    if (typeof minutes !== 'number' || !(minutes > 0)) {
      failStep(ctx, d, stageIndex, step, {
        code: 'params',
        message: `duration_minutes must be a positive number, got ${JSON.stringify(minutes ?? null)}`,
      });
      return;
    }
    step.bakeEndsAt = ctx.after(minutes * MINUTE_MS);
    ctx.command({
      type: 'set-timer',
      id: stepTimerId(attemptKey, 'bake'),
      dueAt: step.bakeEndsAt,
      payload: { timer: { kind: 'bake-ends', ...ref } },
    });
    ctx.state.approvals.push({
      kind: 'bake',
      deploymentId: d.id,
      revision: d.revision,
      stage: stage.name,
      step: step.name,
      since: ctx.now,
      until: step.bakeEndsAt,
    });
    return;
  }
  if (step.type === MANUAL_APPROVAL_TYPE) {
    const raw = plan.params['timeout_hours'];
    const hours = typeof raw === 'number' && raw > 0 ? raw : DEFAULT_APPROVAL_HOURS;
    const until = ctx.after(hours * HOUR_MS);
    ctx.command({
      type: 'set-timer',
      id: stepTimerId(attemptKey, 'approval-timeout'),
      dueAt: until,
      payload: { timer: { kind: 'approval-timeout', ...ref } },
    });
    awaitApproval(ctx, d, stageIndex, step, 'manual', until);
    return;
  }
  issueStepCall(ctx, d, stageIndex, step, {});
}

/** Puts a step in `waiting_for_approval` and lists it among the pending approvals. */
export function awaitApproval(
  ctx: DecisionContext,
  d: Deployment,
  stageIndex: number,
  step: StepExecution,
  kind: 'manual' | 'step',
  until?: string,
  message?: string,
): void {
  const stage = d.plan.stages[stageIndex]?.name ?? '';
  step.status = 'waiting_for_approval';
  if (message !== undefined) step.approvalMessage = message;
  ctx.state.approvals.push({
    kind,
    deploymentId: d.id,
    revision: d.revision,
    stage,
    step: step.name,
    since: ctx.now,
    ...(until === undefined ? {} : { until }),
    ...(message === undefined ? {} : { message }),
  });
  ctx.touch(d);
  const data = { attempt: step.attempt, kind, ...(message === undefined ? {} : { message }) };
  ctx.emit({ type: 'step.waiting_for_approval', deploymentId: d.id, stage, step: step.name, data });
  ctx.emit({ type: 'approval.required', deploymentId: d.id, stage, step: step.name, data });
}

/** Issues the next call of a step to its executor. */
export function issueStepCall(
  ctx: DecisionContext,
  d: Deployment,
  stageIndex: number,
  step: StepExecution,
  extra: { approval?: ApprovalGrant; pollingState?: JsonValue; dueAt?: string },
): void {
  const stage = d.plan.stages[stageIndex];
  const plan = stage?.steps[step.index];
  const exec = d.stages[stageIndex];
  if (stage === undefined || plan === undefined || exec === undefined) return;
  step.calls += 1;
  const attemptKey = stepAttemptKey(d.id, stageIndex, step.attempt, step.index);
  const journalKey = stepJournalKey(attemptKey);
  step.commandId = stepCallId(attemptKey, step.calls);
  const preMirror = preMirrorFields(d);
  const params = fillMarkers(plan.params, (kind, name, field) => {
    if (kind === 'ARTIFACT') return exec.artifacts?.[name]?.[field];
    if (kind === 'PRE_MIRROR_ARTIFACT') return preMirror[name]?.[field];
    const source = exec.steps.find((s) => (stage.steps[s.index]?.key ?? s.name) === name);
    return source?.outputs?.[field];
  });
  ctx.command({
    type: 'execute-step',
    id: step.commandId,
    ...(extra.dueAt === undefined ? {} : { dueAt: extra.dueAt }),
    payload: {
      target: stageTarget(ctx.state, d, stage),
      ref: { deploymentId: d.id, stageIndex, stepIndex: step.index, attempt: step.attempt },
      revision: d.revision,
      commitSha: d.commitSha,
      step: { name: step.name, key: plan.key, type: step.type },
      journalKey,
      call: step.calls,
      params,
      // Vars may read artifacts too (never step outputs).
      vars: fillMarkers(stage.vars, (kind, name, field) =>
        kind === 'ARTIFACT'
          ? exec.artifacts?.[name]?.[field]
          : kind === 'PRE_MIRROR_ARTIFACT'
            ? preMirror[name]?.[field]
            : undefined,
      ),
      ...(extra.approval === undefined ? {} : { approval: extra.approval }),
      ...(extra.pollingState === undefined ? {} : { pollingState: extra.pollingState }),
    },
  });
  step.params = params;
  ctx.touch(d);
}
