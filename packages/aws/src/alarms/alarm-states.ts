// Reads the current state of a stage's rollback alarms (CloudWatch DescribeAlarms with the
// stage's credentials): the polling half of alarm watching.
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';

/** An alarm state as Rampart uses it; `MISSING` when no alarm has that name. */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' | 'MISSING';

/** One alarm's state. */
export interface AlarmState {
  name: string;
  state: AlarmStateValue;
  reason?: string;
  /** ISO time of the last state change. */
  updatedAt?: string;
}

/** DescribeAlarms takes at most 100 names per call. */
const NAMES_PER_CALL = 100;

/** The states of the named alarms (metric and composite), in the order asked. */
export async function describeAlarmStates(
  cloudWatch: CloudWatchClient,
  names: readonly string[],
): Promise<AlarmState[]> {
  // Loaded on first use, not with the module: see AwsClientFactory.
  const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
  const found = new Map<string, AlarmState>();
  for (let start = 0; start < names.length; start += NAMES_PER_CALL) {
    const batch = names.slice(start, start + NAMES_PER_CALL);
    let nextToken: string | undefined;
    do {
      const out = await cloudWatch.send(
        new DescribeAlarmsCommand({
          AlarmNames: batch,
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      );
      for (const alarm of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
        if (alarm.AlarmName === undefined) continue;
        found.set(alarm.AlarmName, {
          name: alarm.AlarmName,
          state: stateOf(alarm.StateValue),
          ...(alarm.StateReason === undefined ? {} : { reason: alarm.StateReason }),
          ...(alarm.StateUpdatedTimestamp === undefined
            ? {}
            : { updatedAt: alarm.StateUpdatedTimestamp.toISOString() }),
        });
      }
      nextToken = out.NextToken;
    } while (nextToken !== undefined);
  }
  return names.map((name) => found.get(name) ?? { name, state: 'MISSING' });
}

function stateOf(value: string | undefined): AlarmStateValue {
  return value === 'OK' || value === 'ALARM' || value === 'INSUFFICIENT_DATA' ? value : 'MISSING';
}
