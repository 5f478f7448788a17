/** Blockers: flags on a stage that keep new revisions out (an alarm in ALARM, a stop, a manual rollback). */
import type { Blocker, StageTrack } from '../model/pipeline-state.js';
import type { ManualBlockerOrigin } from '../model/statuses.js';
import type { DecisionContext } from './decision-context.js';
import { blockerId } from './ids.js';

/** Blocks `track` until `alarm` of `alarmStage` is OK again; a second call for the same alarm does nothing. */
export function addAlarmBlocker(
  ctx: DecisionContext,
  track: StageTrack,
  alarm: string,
  alarmStage: string,
): void {
  const exists = track.blockers.some(
    (b) => b.kind === 'alarm' && b.alarm?.name === alarm && b.alarm.stage === alarmStage,
  );
  if (exists) return;
  track.blockerSeq += 1;
  add(ctx, track, {
    id: blockerId(track.stage, track.blockerSeq),
    kind: 'alarm',
    alarm: { name: alarm, stage: alarmStage },
    actor: `alarm:${alarm}`,
    reason: `alarm "${alarm}" of stage "${alarmStage}" is in ALARM`,
    since: ctx.now,
  });
}

export function addManualBlocker(
  ctx: DecisionContext,
  track: StageTrack,
  origin: ManualBlockerOrigin,
  actor: string,
  reason: string,
): Blocker {
  track.blockerSeq += 1;
  const blocker: Blocker = {
    id: blockerId(track.stage, track.blockerSeq),
    kind: 'manual',
    origin,
    actor,
    reason,
    since: ctx.now,
  };
  add(ctx, track, blocker);
  return blocker;
}

/** Removes the blockers `match` selects and reports each; returns them. */
export function removeBlockers(
  ctx: DecisionContext,
  track: StageTrack,
  match: (b: Blocker) => boolean,
  by: { actor: string; reason: string },
): Blocker[] {
  const removed = track.blockers.filter(match);
  if (removed.length === 0) return removed;
  track.blockers = track.blockers.filter((b) => !match(b));
  for (const b of removed) {
    ctx.emit({
      type: 'blocker.removed',
      stage: track.stage,
      actor: by.actor,
      reason: by.reason,
      data: describe(b),
    });
  }
  return removed;
}

function add(ctx: DecisionContext, track: StageTrack, blocker: Blocker): void {
  track.blockers.push(blocker);
  ctx.emit({
    type: 'blocker.added',
    stage: track.stage,
    actor: blocker.actor,
    reason: blocker.reason,
    data: describe(blocker),
  });
}

function describe(b: Blocker): { [key: string]: string } {
  return {
    id: b.id,
    kind: b.kind,
    ...(b.origin === undefined ? {} : { origin: b.origin }),
    ...(b.alarm === undefined ? {} : { alarm: b.alarm.name, alarmStage: b.alarm.stage }),
  };
}
