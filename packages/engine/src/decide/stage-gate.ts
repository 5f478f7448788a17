/**
 * The gate of a stage: the newest queued revision enters once the stage is free, unblocked and
 * inside its window (or the window was overridden). A closed window sets a timer for its opening.
 */
import { windowStatus } from '@rampart/core';
import type { Deployment, StageExecution, StageTrack } from '../model/pipeline-state.js';
import type { StageWaitReason } from '../model/statuses.js';
import type { DecisionContext } from './decision-context.js';
import { windowTimerId } from './ids.js';
import { findDeployment } from './lookup.js';
import { dequeue } from './stage-queue.js';
import { startStage } from './stage-run.js';

/** Lets the head of the queue in, or records why it waits; returns whether anything changed. */
export function advanceTrack(ctx: DecisionContext, track: StageTrack): boolean {
  const id = track.queued[track.queued.length - 1];
  if (id === undefined) return false;
  const d = findDeployment(ctx.state, id);
  const exec = d?.stages[d.currentStage];
  if (d === undefined || exec === undefined || exec.status !== 'waiting') {
    dequeue(track, id);
    return true;
  }
  const wait = waitReason(ctx, track, d, exec);
  if (wait === undefined) {
    dequeue(track, d.id);
    startStage(ctx, d, d.currentStage);
    return true;
  }
  if (exec.waitingFor === wait.reason && exec.windowOpensAt === wait.opensAt) return false;
  exec.waitingFor = wait.reason;
  if (wait.opensAt === undefined) delete exec.windowOpensAt;
  else exec.windowOpensAt = wait.opensAt;
  ctx.touch(d);
  ctx.emit({
    type: 'stage.waiting',
    deploymentId: d.id,
    stage: track.stage,
    data: {
      revision: d.revision,
      reason: wait.reason,
      ...(wait.opensAt === undefined ? {} : { opensAt: wait.opensAt }),
      ...(wait.detail === undefined ? {} : { detail: wait.detail }),
    },
  });
  if (wait.opensAt !== undefined) {
    ctx.command({
      type: 'set-timer',
      id: windowTimerId(d, d.currentStage, exec.run, wait.opensAt),
      dueAt: wait.opensAt,
      payload: { timer: { kind: 'window-opens', deploymentId: d.id, stageIndex: d.currentStage } },
    });
  }
  return true;
}

interface Wait {
  reason: StageWaitReason;
  opensAt?: string;
  detail?: string;
}

function waitReason(
  ctx: DecisionContext,
  track: StageTrack,
  d: Deployment,
  exec: StageExecution,
): Wait | undefined {
  if (track.occupant !== undefined) return { reason: 'stage_busy' };
  if (track.blockers.length > 0)
    return { reason: 'blocked', detail: track.blockers.map((b) => b.reason).join('; ') };
  if (exec.windowOverride !== undefined) return undefined;
  const window = d.plan.stages[d.currentStage]?.window;
  if (window === undefined) return undefined;
  const status = windowStatus(window, new Date(ctx.nowMs));
  if (status.open) return undefined;
  const wait: Wait = { reason: 'window', detail: status.reason ?? 'closed' };
  if (status.opensAt !== undefined) wait.opensAt = status.opensAt.toISOString();
  return wait;
}
