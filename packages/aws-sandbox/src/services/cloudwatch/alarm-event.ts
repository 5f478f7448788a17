// The "CloudWatch Alarm State Change" event, shaped as AWS documents it: EventBridge rules match it
// and API destinations receive it.
import type { SandboxEvent } from '../../framework/background.js';
import {
  dimensionRecord,
  type AlarmRecord,
  type AlarmStateValue,
  type MetricAlarmRecord,
  type MetricDataQueryShape,
} from './cloudwatch-state.js';
import { javaTimestamp } from './reason-format.js';

/** A state in the event's `state` / `previousState`. */
export interface EventState {
  value: AlarmStateValue;
  reason: string;
  reasonData?: string;
  /** ISO time of the state. */
  timestamp: string;
}

function eventState(state: EventState): Record<string, unknown> {
  return {
    value: state.value,
    reason: state.reason,
    ...(state.reasonData !== undefined ? { reasonData: state.reasonData } : {}),
    timestamp: javaTimestamp(state.timestamp),
  };
}

function queryMetric(query: MetricDataQueryShape): Record<string, unknown> {
  const stat = query.MetricStat;
  return {
    id: query.Id,
    ...(stat
      ? {
          metricStat: {
            metric: {
              namespace: stat.Metric.Namespace,
              name: stat.Metric.MetricName,
              dimensions: dimensionRecord(stat.Metric.Dimensions),
            },
            period: stat.Period,
            stat: stat.Stat,
            ...(stat.Unit !== undefined ? { unit: stat.Unit } : {}),
          },
        }
      : {}),
    ...(query.Expression !== undefined ? { expression: query.Expression } : {}),
    ...(query.Label !== undefined ? { label: query.Label } : {}),
    ...(query.Period !== undefined ? { period: query.Period } : {}),
    returnData: query.ReturnData ?? true,
  };
}

/** The `metrics` of a metric alarm's configuration. */
function eventMetrics(alarm: MetricAlarmRecord): Record<string, unknown>[] {
  if (alarm.Metrics) return alarm.Metrics.map(queryMetric);
  return [
    queryMetric({
      Id: alarm.eventMetricId,
      MetricStat: {
        Metric: {
          Namespace: alarm.Namespace ?? '',
          MetricName: alarm.MetricName ?? '',
          Dimensions: alarm.Dimensions ?? [],
        },
        Period: alarm.Period ?? 60,
        Stat: alarm.Statistic ?? alarm.ExtendedStatistic ?? '',
        ...(alarm.Unit !== undefined ? { Unit: alarm.Unit } : {}),
      },
      ReturnData: true,
    }),
  ];
}

function configuration(alarm: AlarmRecord): Record<string, unknown> {
  const description =
    alarm.AlarmDescription !== undefined ? { description: alarm.AlarmDescription } : {};
  if (alarm.type === 'MetricAlarm') return { ...description, metrics: eventMetrics(alarm) };
  return {
    alarmRule: alarm.AlarmRule,
    ...(alarm.ActionsSuppressor !== undefined
      ? {
          actionsSuppressor: alarm.ActionsSuppressor,
          actionsSuppressorWaitPeriod: alarm.ActionsSuppressorWaitPeriod,
          actionsSuppressorExtensionPeriod: alarm.ActionsSuppressorExtensionPeriod,
        }
      : {}),
    ...description,
  };
}

/** The event of one state change (the alarm already holds its new state). */
export function alarmStateChangeEvent(
  alarm: AlarmRecord,
  previous: EventState,
  where: { accountId: string; region: string },
  time: Date,
): SandboxEvent {
  return {
    accountId: where.accountId,
    region: where.region,
    source: 'aws.cloudwatch',
    detailType: 'CloudWatch Alarm State Change',
    time: time.toISOString(),
    resources: [alarm.AlarmArn],
    detail: {
      alarmName: alarm.AlarmName,
      state: eventState({
        value: alarm.StateValue,
        reason: alarm.StateReason,
        ...(alarm.StateReasonData !== undefined ? { reasonData: alarm.StateReasonData } : {}),
        timestamp: alarm.StateUpdatedTimestamp,
      }),
      previousState: eventState(previous),
      configuration: configuration(alarm),
    },
  };
}
