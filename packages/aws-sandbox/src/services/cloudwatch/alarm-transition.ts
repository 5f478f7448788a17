// One alarm state change, wherever it comes from (evaluation, SetAlarmState, a composite's rule):
// the alarm takes the state, history records it, and the state-change event is published.
import type { SandboxRuntime } from '../../framework/runtime.js';
import { alarmStateChangeEvent, type EventState } from './alarm-event.js';
import { recordHistory, stateUpdateItem } from './alarm-history.js';
import type { AlarmRecord, AlarmStateValue, CloudWatchState } from './cloudwatch-state.js';

/** The state an alarm moves to. */
export interface NewState {
  value: AlarmStateValue;
  reason: string;
  reasonData?: string;
}

/** Applies a state change and publishes its event; resolves once every listener took it. */
export async function changeAlarmState(
  runtime: SandboxRuntime,
  where: { accountId: string; region: string },
  state: CloudWatchState,
  alarm: AlarmRecord,
  next: NewState,
): Promise<void> {
  const now = runtime.clock.now();
  const previous: EventState = {
    value: alarm.StateValue,
    reason: alarm.StateReason,
    ...(alarm.StateReasonData !== undefined ? { reasonData: alarm.StateReasonData } : {}),
    timestamp: alarm.StateUpdatedTimestamp,
  };
  alarm.StateValue = next.value;
  alarm.StateReason = next.reason;
  if (next.reasonData !== undefined) alarm.StateReasonData = next.reasonData;
  else delete alarm.StateReasonData;
  alarm.StateUpdatedTimestamp = now.toISOString();
  alarm.StateTransitionedTimestamp = now.toISOString();
  recordHistory(state, stateUpdateItem(alarm, previous, next, now), now);
  await runtime.publishEvent(alarmStateChangeEvent(alarm, previous, where, now));
}
