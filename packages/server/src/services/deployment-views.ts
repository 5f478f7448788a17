/**
 * The engine's records as the API shows them (protocol shapes): deployments with every planned
 * step, blockers, approvals and rollbacks. Nothing here reads the store; secrets never leave.
 */
import { describeWindow } from '@rampart/core';
import {
  DEPLOYMENT_STATUSES,
  type ArtifactBuild,
  type Blocker,
  type Deployment,
  type DeploymentStatus,
  type DeploymentSummary,
  type DeploymentStepPlan,
  type EngineEvent,
  type JsonValue,
  type PendingApproval,
  type PipelineState,
  type RollbackRecord,
  type StepExecution,
} from '@rampart/engine';
import type * as api from '@rampart/protocol';
import { RampartError } from '@rampart/core';

/** Output names whose values are never shown: they look like credentials. */
const SECRET_NAME = /secret|password|passwd|token|credential|private[-_]?key|api[-_]?key/i;

/** What the API shows instead of a value that looks secret. */
export const REDACTED = '[REDACTED]';

/** `value` with every value under a secret-looking name replaced by {@link REDACTED}. */
export function redactSecrets(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value))
      out[k] = SECRET_NAME.test(k) ? REDACTED : redactSecrets(v);
    return out;
  }
  return value;
}

function redactObject(value: { [key: string]: JsonValue }): { [key: string]: JsonValue } {
  return redactSecrets(value) as { [key: string]: JsonValue };
}

/** The revision in an engine deployment id (`<pipeline>:<revision>`). */
export function revisionOfDeploymentId(id: string): number | undefined {
  const match = /:(\d+)$/.exec(id);
  return match === null ? undefined : Number(match[1]);
}

function deploymentStatus(status: string): DeploymentStatus {
  if ((DEPLOYMENT_STATUSES as readonly string[]).includes(status))
    return status as DeploymentStatus;
  throw new RampartError('INTERNAL', `the store holds an unknown deployment status "${status}"`, {
    source: 'system',
  });
}

function durationOf(startedAt?: string, finishedAt?: string): { durationMs?: number } {
  if (startedAt === undefined || finishedAt === undefined) return {};
  return { durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)) };
}

/** Copies the keys of `source` that are set. */
function defined<T extends object>(source: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

export function toDeploymentSummary(summary: DeploymentSummary): api.DeploymentSummary {
  return {
    id: summary.id,
    pipeline: summary.pipelineId,
    revision: summary.revision,
    commitSha: summary.commitSha,
    status: deploymentStatus(summary.status),
    trigger: summary.trigger,
    createdAt: summary.createdAt,
    updatedAt: summary.updatedAt,
  };
}

function toStepDetail(plan: DeploymentStepPlan, run: StepExecution | undefined): api.StepDetail {
  const status = run?.status ?? (plan.skipped ? 'skipped' : 'pending');
  return {
    name: plan.name,
    key: plan.key,
    type: plan.type,
    status,
    dependsOn: [...plan.dependsOn],
    skipped: plan.skipped,
    attempt: run?.attempt ?? 0,
    params: redactObject(run?.params ?? plan.params),
    ...defined({
      startedAt: run?.startedAt,
      finishedAt: run?.finishedAt,
      timeoutMinutes: plan.timeoutMinutes,
      outputs: run?.outputs === undefined ? undefined : redactObject(run.outputs),
      error: run?.error,
      bakeEndsAt: run?.bakeEndsAt,
      approvalMessage: run?.approvalMessage,
      approvedBy: run?.approvedBy,
      rejectedBy: run?.rejectedBy,
    }),
    ...durationOf(run?.startedAt, run?.finishedAt),
  };
}

function toBuildDetail(build: ArtifactBuild): api.BuildDetail {
  return {
    name: build.name,
    id: build.id,
    status: build.status,
    ...defined({
      startedAt: build.startedAt,
      finishedAt: build.finishedAt,
      fields: build.fields,
      reusedFrom: build.reusedFrom,
      error: build.error,
    }),
    ...durationOf(build.startedAt, build.finishedAt),
  };
}

/** One stage of a deployment, with every planned step (those not started yet are `pending`). */
export function toStageDetail(d: Deployment, index: number): api.StageDetail | undefined {
  const plan = d.plan.stages[index];
  const run = d.stages[index];
  if (plan === undefined || run === undefined) return undefined;
  const steps = plan.steps.map((step, i) =>
    toStepDetail(
      step,
      run.steps.find((s) => s.index === i) ?? run.steps.find((s) => s.name === step.name),
    ),
  );
  return {
    name: run.name,
    accountId: plan.accountId,
    region: plan.region,
    status: run.status,
    run: run.run,
    window: describeWindow(plan.window),
    alarms: [...plan.alarms],
    steps,
    ...defined({
      waitingFor: run.waitingFor,
      reachedAt: run.reachedAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      windowOpensAt: run.windowOpensAt,
      windowOverride: run.windowOverride,
      rollbackId: run.rollbackId,
      error: run.error,
      cancelledBy: run.cancelledBy,
    }),
    ...durationOf(run.startedAt, run.finishedAt),
  };
}

export function toBlocker(stage: string, blocker: Blocker): api.BlockerInfo {
  return {
    id: blocker.id,
    stage,
    kind: blocker.kind,
    actor: blocker.actor,
    reason: blocker.reason,
    since: blocker.since,
    ...defined({ alarm: blocker.alarm, origin: blocker.origin }),
  };
}

/** Every blocker of the pipeline, stage by stage. */
export function blockersOf(state: PipelineState): api.BlockerInfo[] {
  return Object.values(state.tracks).flatMap((track) =>
    track.blockers.map((b) => toBlocker(track.stage, b)),
  );
}

export function toApproval(approval: PendingApproval): api.ApprovalInfo {
  return {
    kind: approval.kind,
    deploymentId: approval.deploymentId,
    revision: approval.revision,
    stage: approval.stage,
    step: approval.step,
    since: approval.since,
    ...defined({ until: approval.until, message: approval.message }),
  };
}

export function toRollback(record: RollbackRecord): api.RollbackInfo {
  return {
    id: record.id,
    kind: record.kind,
    stage: record.stage,
    status: record.status,
    toRevision: record.toRevision,
    toDeploymentId: record.toDeploymentId,
    actor: record.actor,
    reason: record.reason,
    decidedAt: record.decidedAt,
    steps: record.steps.map((s) => ({
      name: s.name,
      type: s.type,
      status: s.status,
      ...defined({ startedAt: s.startedAt, finishedAt: s.finishedAt, error: s.error }),
    })),
    ...defined({
      fromRevision: record.fromRevision,
      fromDeploymentId: record.fromDeploymentId,
      alarm: record.alarm,
      finishedAt: record.finishedAt,
      timeToDetectMs: record.timeToDetectMs,
      timeToRestoreMs: record.timeToRestoreMs,
      error: record.error,
    }),
  };
}

/** A deployment the engine still holds, with its stages, steps and what holds it. */
export function toDeploymentDetail(d: Deployment, state: PipelineState): api.DeploymentDetail {
  const stageNames = new Set(d.plan.stages.map((s) => s.name));
  return {
    id: d.id,
    pipeline: state.pipelineId,
    revision: d.revision,
    commitSha: d.commitSha,
    status: d.status,
    trigger: d.trigger,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    actor: d.actor,
    archived: false,
    currentStage: d.plan.stages[d.currentStage]?.name,
    stages: d.plan.stages.flatMap((_, i) => toStageDetail(d, i) ?? []),
    approvals: state.approvals.filter((a) => a.deploymentId === d.id).map(toApproval),
    blockers: blockersOf(state).filter((b) => stageNames.has(b.stage)),
    rollbacks: state.rollbacks
      .filter((r) => r.fromDeploymentId === d.id || r.toDeploymentId === d.id)
      .map(toRollback),
    ...defined({
      reason: d.reason,
      branch: d.branch,
      finishedAt: d.finishedAt,
      builds: d.builds?.map(toBuildDetail),
      error: d.error,
    }),
  };
}

/** A deployment the engine pruned from its state: only its summary row is left. */
export function toArchivedDetail(summary: DeploymentSummary): api.DeploymentDetail {
  return {
    ...toDeploymentSummary(summary),
    actor: 'unknown',
    archived: true,
    stages: [],
    approvals: [],
    blockers: [],
    rollbacks: [],
  };
}

/** An engine event as the API shows it; step outputs in its data are redacted like outputs. */
export function toEventInfo(event: EngineEvent): api.EngineEventInfo {
  const revision =
    event.deploymentId === undefined ? undefined : revisionOfDeploymentId(event.deploymentId);
  return {
    seq: event.seq,
    type: event.type,
    at: event.at,
    pipeline: event.pipelineId,
    actor: event.actor ?? 'system',
    ...defined({
      deploymentId: event.deploymentId,
      revision,
      stage: event.stage,
      step: event.step,
      reason: event.reason,
      data: event.data === undefined ? undefined : redactSecrets(event.data),
    }),
  };
}
