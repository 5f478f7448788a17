// Alarms as the API returns them (DescribeAlarms) and as history items describe them.
import type { AlarmRecord, CompositeAlarmRecord, MetricAlarmRecord } from './cloudwatch-state.js';

/** Fields that are sandbox bookkeeping, never shown. */
const INTERNAL = new Set(['type', 'sandbox', 'eventMetricId', 'childrenSeen']);

/** Timestamps stored as ISO strings, rendered as dates. */
const TIMESTAMPS = new Set([
  'AlarmConfigurationUpdatedTimestamp',
  'StateUpdatedTimestamp',
  'StateTransitionedTimestamp',
]);

/** Fields of the alarm's state rather than its configuration. */
const STATE_FIELDS = new Set([
  'StateValue',
  'StateReason',
  'StateReasonData',
  'StateUpdatedTimestamp',
  'StateTransitionedTimestamp',
  'AlarmConfigurationUpdatedTimestamp',
]);

/** A `MetricAlarm` or `CompositeAlarm` of DescribeAlarms. */
export function renderAlarm(alarm: AlarmRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(alarm)) {
    if (INTERNAL.has(key) || value === undefined) continue;
    out[key] = TIMESTAMPS.has(key) ? new Date(value as string) : value;
  }
  return out;
}

/**
 * A member name as CloudWatch's history JSON spells it (Jackson's default: the leading capitals
 * lowered), so `AlarmName` → `alarmName` and `OKActions` → `okactions`.
 */
function historyKey(key: string): string {
  const capitals = /^[A-Z]+/.exec(key)?.[0].length ?? 0;
  return key.slice(0, capitals).toLowerCase() + key.slice(capitals);
}

function historyValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(historyValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [historyKey(key), historyValue(child)]),
    );
  }
  return value;
}

/** An alarm's configuration as history items describe it. */
export function configurationOf(alarm: AlarmRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(alarm)) {
    if (INTERNAL.has(key) || STATE_FIELDS.has(key) || value === undefined) continue;
    out[historyKey(key)] = historyValue(value);
  }
  return out;
}

/** Metric alarms and composite alarms rendered, split by type. */
export function renderAlarmLists(alarms: readonly AlarmRecord[]): {
  MetricAlarms: Record<string, unknown>[];
  CompositeAlarms: Record<string, unknown>[];
} {
  return {
    MetricAlarms: alarms
      .filter((alarm): alarm is MetricAlarmRecord => alarm.type === 'MetricAlarm')
      .map(renderAlarm),
    CompositeAlarms: alarms
      .filter((alarm): alarm is CompositeAlarmRecord => alarm.type === 'CompositeAlarm')
      .map(renderAlarm),
  };
}
