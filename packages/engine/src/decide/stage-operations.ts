/** stop / resume (a manual blocker), window override, and manual rollback of a stage. */
import { isTerminalDeploymentStatus } from '../model/statuses.js';
import { addManualBlocker, removeBlockers } from './blockers.js';
import type { DecisionContext } from './decision-context.js';
import { findDeployment, stageIndexOf, trackOf } from './lookup.js';
import {
  rejection,
  type OperationResult,
  type OverrideWindowOperation,
  type ResumeOperation,
  type RollbackOperation,
  type StopOperation,
} from './operations.js';
import { startManualRollback } from './rollback.js';

/** Whether any known deployment's plan has `stage` (a stage can be stopped before a revision reaches it). */
function knownStage(ctx: DecisionContext, stage: string): boolean {
  return (
    ctx.state.tracks[stage] !== undefined ||
    ctx.state.deployments.some((d) => d.plan.stages.some((s) => s.name === stage))
  );
}

export function stopStage(ctx: DecisionContext, op: StopOperation): OperationResult {
  if (!knownStage(ctx, op.stage)) return rejection('UNKNOWN_STAGE', `no stage "${op.stage}"`);
  const track = trackOf(ctx.state, op.stage);
  const existing = track.blockers.find((b) => b.kind === 'manual' && b.origin === 'stop');
  if (existing !== undefined) {
    return rejection(
      'ALREADY_STOPPED',
      `stage "${op.stage}" was already stopped by ${existing.actor}: ${existing.reason}`,
    );
  }
  addManualBlocker(ctx, track, 'stop', op.actor, op.reason);
  ctx.emit({ type: 'operation.stopped', stage: op.stage, actor: op.actor, reason: op.reason });
  return { ok: true, kind: op.kind };
}

export function resumeStage(ctx: DecisionContext, op: ResumeOperation): OperationResult {
  const track = ctx.state.tracks[op.stage];
  if (track === undefined && !knownStage(ctx, op.stage))
    return rejection('UNKNOWN_STAGE', `no stage "${op.stage}"`);
  const removed =
    track === undefined
      ? []
      : removeBlockers(ctx, track, (b) => b.kind === 'manual' && b.origin === 'stop', op);
  if (removed.length === 0) return rejection('NOT_STOPPED', `stage "${op.stage}" is not stopped`);
  ctx.emit({ type: 'operation.resumed', stage: op.stage, actor: op.actor, reason: op.reason });
  return { ok: true, kind: op.kind };
}

export function overrideWindow(ctx: DecisionContext, op: OverrideWindowOperation): OperationResult {
  const d = findDeployment(ctx.state, op.deploymentId);
  if (d === undefined) return rejection('UNKNOWN_DEPLOYMENT', `no deployment "${op.deploymentId}"`);
  const exec = d.stages[stageIndexOf(d, op.stage)];
  if (exec === undefined)
    return rejection('UNKNOWN_STAGE', `revision ${d.revision} has no stage "${op.stage}"`);
  if (isTerminalDeploymentStatus(d.status) || exec.status !== 'waiting') {
    return rejection(
      'STAGE_NOT_WAITING',
      `stage "${op.stage}" of revision ${d.revision} is ${exec.status}; a window override applies to a waiting stage`,
    );
  }
  exec.windowOverride = { actor: op.actor, reason: op.reason, at: ctx.now };
  ctx.touch(d);
  ctx.emit({
    type: 'operation.window_overridden',
    deploymentId: d.id,
    stage: op.stage,
    actor: op.actor,
    reason: op.reason,
    data: { revision: d.revision },
  });
  return { ok: true, kind: op.kind, deploymentId: d.id };
}

export function rollbackStage(ctx: DecisionContext, op: RollbackOperation): OperationResult {
  const track = ctx.state.tracks[op.stage];
  if (track === undefined)
    return rejection('UNKNOWN_STAGE', `no revision has reached stage "${op.stage}" yet`);
  if (track.occupant !== undefined) {
    return rejection(
      'STAGE_BUSY',
      `stage "${op.stage}" is busy; cancel the deployment there or wait before rolling back`,
    );
  }
  const good = track.goodHistory.map((g) => g.revision);
  const entry = track.goodHistory.find((g) => g.revision === op.toRevision);
  const to = entry === undefined ? undefined : findDeployment(ctx.state, entry.deploymentId);
  if (to === undefined || stageIndexOf(to, op.stage) < 0) {
    return rejection(
      'REVISION_NOT_GOOD',
      `revision ${op.toRevision} is not a good revision of stage "${op.stage}" (good: ${good.join(', ') || 'none'})`,
    );
  }
  if (track.lastGood?.revision === op.toRevision) {
    return rejection(
      'ALREADY_DEPLOYED',
      `revision ${op.toRevision} is what stage "${op.stage}" runs already`,
    );
  }
  const from =
    track.lastGood === undefined
      ? undefined
      : findDeployment(ctx.state, track.lastGood.deploymentId);
  addManualBlocker(
    ctx,
    track,
    'rollback',
    op.actor,
    `rolled back to revision ${op.toRevision}: ${op.reason}`,
  );
  const rb = startManualRollback(ctx, op.stage, to, from, op);
  ctx.emit({
    type: 'operation.rolled_back',
    stage: op.stage,
    actor: op.actor,
    reason: op.reason,
    data: {
      rollbackId: rb.id,
      toRevision: op.toRevision,
      ...(from === undefined ? {} : { fromRevision: from.revision }),
    },
  });
  return { ok: true, kind: op.kind, rollbackId: rb.id, deploymentId: to.id };
}
