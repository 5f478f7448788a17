/**
 * Alarm states, from polls, pushed events and the check before a stage starts. ALARM blocks the
 * stage; while a revision deploys there it also rolls the stage back and blocks the next stage;
 * before the steps it sends the revision back to waiting. OK lifts the alarm's blockers.
 */
import type { AlarmObservation, AlarmReading } from './inputs.js';
import { isDeployingStageStatus, isPreparingStageStatus } from '../model/statuses.js';
import { addAlarmBlocker, removeBlockers } from './blockers.js';
import type { DecisionContext } from './decision-context.js';
import { pollCommandId } from './ids.js';
import { occupantDeployment, trackOf } from './lookup.js';
import { autoRollback } from './rollback.js';
import { releaseStage } from './stage-end.js';
import { enqueueAtStage } from './stage-queue.js';

/** Applies one reading of an alarm of `stage`; older readings than the one known are ignored. */
export function applyAlarmReading(
  ctx: DecisionContext,
  stage: string,
  reading: AlarmReading,
): void {
  const key = `${stage}/${reading.alarm}`;
  const known = ctx.state.alarms[key];
  if (known !== undefined && Date.parse(reading.changedAt) < Date.parse(known.changedAt)) return;
  ctx.state.alarms[key] = {
    stage,
    name: reading.alarm,
    state: reading.state,
    changedAt: reading.changedAt,
    observedAt: ctx.now,
  };
  if (known?.state !== reading.state) {
    ctx.emit({
      type: 'alarm.state_changed',
      stage,
      actor: `alarm:${reading.alarm}`,
      data: {
        alarm: reading.alarm,
        from: known?.state ?? 'UNKNOWN',
        to: reading.state,
        changedAt: reading.changedAt,
      },
    });
  }
  if (reading.state === 'ALARM') onAlarm(ctx, stage, reading.alarm, reading.changedAt);
  else if (reading.state === 'OK') onOk(ctx, stage, reading.alarm);
  // INSUFFICIENT_DATA neither trips nor lifts: only a real OK clears a blocker.
}

/** A pushed state change: applies to every stage watching that alarm in that account and region. */
export function applyAlarmObservation(ctx: DecisionContext, observation: AlarmObservation): void {
  for (const track of Object.values(ctx.state.tracks)) {
    const target = track.target;
    if (
      target?.accountId === observation.accountId &&
      target.region === observation.region &&
      track.alarms.includes(observation.alarm)
    ) {
      applyAlarmReading(ctx, track.stage, {
        alarm: observation.alarm,
        state: observation.state,
        changedAt: observation.changedAt,
      });
    }
  }
}

function onAlarm(ctx: DecisionContext, stage: string, alarm: string, changedAt: string): void {
  const track = trackOf(ctx.state, stage);
  addAlarmBlocker(ctx, track, alarm, stage);
  const d = occupantDeployment(ctx.state, track);
  const exec = d?.stages[d.currentStage];
  if (d === undefined || exec === undefined || d.plan.stages[d.currentStage]?.name !== stage)
    return;
  if (isPreparingStageStatus(exec.status)) {
    // Nothing deployed yet: back in the queue until the alarm is OK.
    releaseStage(track, d.id);
    delete exec.checkCommandId;
    delete exec.mirrorCommandId;
    enqueueAtStage(ctx, d, d.currentStage);
  } else if (isDeployingStageStatus(exec.status)) {
    autoRollback(ctx, d, d.currentStage, alarm, changedAt);
  }
}

function onOk(ctx: DecisionContext, stage: string, alarm: string): void {
  for (const track of Object.values(ctx.state.tracks)) {
    removeBlockers(
      ctx,
      track,
      (b) => b.kind === 'alarm' && b.alarm?.name === alarm && b.alarm.stage === stage,
      { actor: `alarm:${alarm}`, reason: `alarm "${alarm}" of stage "${stage}" is OK` },
    );
  }
}

/** A periodic poll came back: apply it unless it is not the poll in flight. */
export function onAlarmsPolled(
  ctx: DecisionContext,
  stage: string,
  commandId: string,
  readings: readonly AlarmReading[],
): void {
  const track = ctx.state.tracks[stage];
  if (track?.poll?.commandId !== commandId) return;
  delete track.poll;
  for (const reading of readings)
    if (track.alarms.includes(reading.alarm)) applyAlarmReading(ctx, stage, reading);
}

/**
 * Keeps one poll in flight for each watched stage: one with alarms that holds a revision, has
 * run a good one (an alarm after success blocks it), or is blocked by its own alarm.
 */
export function ensureAlarmPolls(ctx: DecisionContext): void {
  for (const track of Object.values(ctx.state.tracks)) {
    const target = track.target;
    if (target === undefined || track.alarms.length === 0 || track.poll !== undefined) continue;
    const watched =
      track.occupant !== undefined ||
      track.lastGood !== undefined ||
      track.blockers.some((b) => b.kind === 'alarm' && b.alarm?.stage === track.stage);
    if (!watched) continue;
    track.pollSeq += 1;
    const poll = {
      seq: track.pollSeq,
      commandId: pollCommandId(ctx.state.pipelineId, track.stage, track.pollSeq),
      dueAt: ctx.after(ctx.config.alarmPollIntervalMs),
    };
    track.poll = poll;
    ctx.command({
      type: 'poll-alarms',
      id: poll.commandId,
      dueAt: poll.dueAt,
      payload: { target, seq: poll.seq, alarms: [...track.alarms] },
    });
  }
}
