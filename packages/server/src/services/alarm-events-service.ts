/** Alarm state changes pushed by EventBridge (an API destination), handed to the engine. */
import { AlarmEventError, parseAlarmStateChange, type PushedAlarmState } from '@rampart/aws';
import type { AlarmObservation } from '@rampart/engine';
import { RampartError } from '@rampart/core';

/** Parses an EventBridge "CloudWatch Alarm State Change" body into what the engine observes. */
export function alarmObservationOf(body: unknown): {
  pushed: PushedAlarmState;
  observation: AlarmObservation;
} {
  let pushed: PushedAlarmState;
  try {
    pushed = parseAlarmStateChange(body);
  } catch (error) {
    if (!(error instanceof AlarmEventError)) throw error;
    throw new RampartError(
      'ALARM_EVENT_INVALID',
      `not an alarm state change event: ${error.message}`,
      {
        hint: "Send the EventBridge event unchanged (the rule's target is the API destination, without an input transformer).",
      },
    );
  }
  const { state } = pushed;
  if (state === 'MISSING') {
    throw new RampartError('ALARM_EVENT_INVALID', 'an alarm state change event names no state', {});
  }
  return {
    pushed,
    observation: {
      accountId: pushed.accountId,
      region: pushed.region,
      alarm: pushed.alarmName,
      state,
      changedAt: pushed.changedAt,
    },
  };
}
