// CloudWatch's state in one account and region: alarms (in the API's own shape, so describing them
// is a copy), alarm history, and the metric data PutMetricData stored.
import type { ActionContext } from '../../framework/service.js';

/** The state key (the SigV4 signing name). */
export const SERVICE = 'monitoring';

/** An alarm's state. */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** The states, for validation. */
export const ALARM_STATES: readonly AlarmStateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/** A metric dimension. */
export interface Dimension {
  Name: string;
  Value: string;
}

/** A metric: namespace, name and its exact set of dimensions. */
export interface MetricShape {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
}

/** One `MetricDataQuery` as the API spells it (alarms store them so). */
export interface MetricDataQueryShape {
  Id: string;
  MetricStat?: { Metric: MetricShape; Period: number; Stat: string; Unit?: string };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
  AccountId?: string;
}

/** What every alarm has, in the API's field names (timestamps as ISO strings). */
interface AlarmFields {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  AlarmConfigurationUpdatedTimestamp: string;
  StateValue: AlarmStateValue;
  StateReason: string;
  StateReasonData?: string;
  StateUpdatedTimestamp: string;
  StateTransitionedTimestamp: string;
  /** Sandbox bookkeeping, never rendered. */
  sandbox: {
    tags: { Key: string; Value: string }[];
    /** When the alarm was last evaluated (ISO); absent until its first evaluation. */
    evaluatedAt?: string;
  };
}

/** A metric alarm. */
export interface MetricAlarmRecord extends AlarmFields {
  type: 'MetricAlarm';
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: Dimension[];
  Period?: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  Metrics?: MetricDataQueryShape[];
  ThresholdMetricId?: string;
  /** The id the state-change event gives a single-metric alarm's metric. */
  eventMetricId: string;
}

/** A composite alarm. */
export interface CompositeAlarmRecord extends AlarmFields {
  type: 'CompositeAlarm';
  AlarmRule: string;
  ActionsSuppressor?: string;
  ActionsSuppressorWaitPeriod?: number;
  ActionsSuppressorExtensionPeriod?: number;
  /** The children's states the rule last saw: the alarm re-evaluates when they change. */
  childrenSeen?: string;
}

/** Any alarm. */
export type AlarmRecord = MetricAlarmRecord | CompositeAlarmRecord;

/** The kinds of history items. */
export type HistoryItemType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action';

/** One `AlarmHistoryItem`. */
export interface HistoryRecord {
  AlarmName: string;
  AlarmType: AlarmRecord['type'];
  Timestamp: string;
  HistoryItemType: HistoryItemType;
  HistorySummary: string;
  HistoryData: string;
}

/**
 * One stored datum: a value, a set of values with counts, or a statistic set, reduced to what
 * every statistic needs. `values`/`counts` are kept for percentiles (absent for statistic sets).
 */
export interface StoredDatum {
  /** Epoch milliseconds. */
  t: number;
  unit: string;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  values?: number[];
  counts?: number[];
}

/** A metric PutMetricData created, with its data in time order. */
export interface StoredMetric extends MetricShape {
  data: StoredDatum[];
}

/** CloudWatch's data in one account and region. */
export interface CloudWatchState {
  alarms: Record<string, AlarmRecord>;
  /** Oldest first. */
  history: HistoryRecord[];
  /** By {@link metricKey}. */
  metrics: Record<string, StoredMetric>;
}

/** An empty state. */
export function emptyState(): CloudWatchState {
  return { alarms: {}, history: [], metrics: {} };
}

/** The caller's CloudWatch state (or another region's). */
export function cloudWatchState(ctx: ActionContext, region?: string): CloudWatchState {
  return ctx.state(emptyState, region !== undefined ? { region } : {});
}

/** An alarm's ARN. */
export function alarmArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
}

/** Dimensions sorted by name: the identity of a metric does not depend on their order. */
export function sortedDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** The key of a metric in {@link CloudWatchState.metrics}. */
export function metricKey(metric: MetricShape): string {
  return JSON.stringify([
    metric.Namespace,
    metric.MetricName,
    sortedDimensions(metric.Dimensions).map((d) => [d.Name, d.Value]),
  ]);
}

/** Dimensions as a `{ name: value }` record (metric sources and events use that form). */
export function dimensionRecord(dimensions: readonly Dimension[]): Record<string, string> {
  return Object.fromEntries(sortedDimensions(dimensions).map((d) => [d.Name, d.Value]));
}

/** The caller's CloudWatch state if it exists, without creating it (authorization reads it). */
export function peekCloudWatchState(ctx: ActionContext): CloudWatchState | undefined {
  return ctx.world.accounts[ctx.accountId]?.services[SERVICE]?.[ctx.region] as
    CloudWatchState | undefined;
}
