// The configuration PutMetricAlarm and PutCompositeAlarm accept, validated as CloudWatch does
// (missing parameters, enums, combinations, limits), in the alarm record's own field names.
import type { Input } from '../../framework/input.js';
import {
  ANOMALY_COMPARISONS,
  MISSING_DATA_TREATMENTS,
  STATIC_COMPARISONS,
} from './alarm-evaluation.js';
import { AlarmRuleError, parseAlarmRule, ruleReferences } from './alarm-rule.js';
import {
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  validationError,
} from './cloudwatch-errors.js';
import {
  checkLength,
  dimensionsParam,
  doubleParam,
  enumValue,
  isPercentile,
  requiredString,
  SIMPLE_STATISTICS,
  UNITS,
} from './cloudwatch-input.js';
import type { CompositeAlarmRecord, MetricAlarmRecord } from './cloudwatch-state.js';
import { parseMetricDataQueries } from './metric-queries.js';

/** What every alarm's input holds besides its kind-specific configuration. */
export interface AlarmCommonInput {
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  tags: { Key: string; Value: string }[];
}

/** A metric alarm's configuration (no state, no ARN). */
export type MetricAlarmConfig = Pick<
  MetricAlarmRecord,
  | 'MetricName'
  | 'Namespace'
  | 'Statistic'
  | 'ExtendedStatistic'
  | 'Dimensions'
  | 'Period'
  | 'Unit'
  | 'EvaluationPeriods'
  | 'DatapointsToAlarm'
  | 'Threshold'
  | 'ComparisonOperator'
  | 'TreatMissingData'
  | 'EvaluateLowSampleCountPercentile'
  | 'Metrics'
>;

/** A composite alarm's configuration. */
export type CompositeAlarmConfig = Pick<
  CompositeAlarmRecord,
  | 'AlarmRule'
  | 'ActionsSuppressor'
  | 'ActionsSuppressorWaitPeriod'
  | 'ActionsSuppressorExtensionPeriod'
>;

/** The alarm name, checked (validation runs before authorization, which needs it). */
export function alarmNameParam(input: Input): string {
  const name = requiredString(input, 'AlarmName');
  checkLength('AlarmName', name, 1, 255);
  return name;
}

function actionList(input: Input, name: string): string[] {
  const actions = input.strList(name);
  if (actions.length > 5) {
    throw validationError(
      `1 validation error detected: Value at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must have length less than or equal to 5`,
    );
  }
  for (const action of actions) {
    checkLength(name, action, 1, 1024);
    if (!/^arn:[^:]+:[^:]+:/.test(action)) {
      throw validationError(`Invalid arn syntax: ${action}`);
    }
  }
  return actions;
}

/** The input every alarm shares. */
export function commonAlarmInput(input: Input): AlarmCommonInput {
  const description = input.str('AlarmDescription');
  checkLength('AlarmDescription', description, 0, 1024);
  const tags = input.tags();
  if (tags.length > 50) {
    throw invalidParameterValue('The collection Tags must not have a size greater than 50.');
  }
  return {
    AlarmName: alarmNameParam(input),
    ...(description !== undefined ? { AlarmDescription: description } : {}),
    ActionsEnabled: input.bool('ActionsEnabled') ?? true,
    OKActions: actionList(input, 'OKActions'),
    AlarmActions: actionList(input, 'AlarmActions'),
    InsufficientDataActions: actionList(input, 'InsufficientDataActions'),
    tags,
  };
}

/** Every action ARN of an alarm input (the `cloudwatch:AlarmActions` condition key). */
export function allActions(input: Input): string[] {
  return ['OKActions', 'AlarmActions', 'InsufficientDataActions'].flatMap((name) =>
    input.strList(name),
  );
}

/** An alarm period: 10, 20, 30 or a multiple of 60 seconds. */
function checkAlarmPeriod(period: number): void {
  if ([10, 20, 30].includes(period) || (period > 0 && period % 60 === 0)) return;
  throw invalidParameterValue(
    `The parameter Period must be 10, 20, 30 or a multiple of 60 for an alarm (got ${period}).`,
  );
}

function comparison(input: Input): string {
  const operator = requiredString(input, 'ComparisonOperator');
  if ((ANOMALY_COMPARISONS as readonly string[]).includes(operator)) {
    throw invalidParameterValue(
      `ComparisonOperator ${operator} needs an anomaly detection band, which the sandbox does not emulate: use ${STATIC_COMPARISONS.join(', ')}.`,
    );
  }
  return (
    enumValue(input, 'ComparisonOperator', [...STATIC_COMPARISONS, ...ANOMALY_COMPARISONS]) ??
    operator
  );
}

const SINGLE_METRIC_FIELDS = [
  'MetricName',
  'Namespace',
  'Statistic',
  'ExtendedStatistic',
  'Period',
  'Unit',
] as const;

function singleMetric(input: Input): Partial<MetricAlarmConfig> {
  const statistic = enumValue(input, 'Statistic', SIMPLE_STATISTICS);
  const extended = input.str('ExtendedStatistic');
  if ((statistic === undefined) === (extended === undefined)) {
    throw invalidParameterCombination(
      'Exactly one of Statistic and ExtendedStatistic must be specified.',
    );
  }
  if (extended !== undefined && !isPercentile(extended)) {
    throw invalidParameterValue(
      `The value ${extended} for parameter ExtendedStatistic is not supported: use a percentile from p0 to p100.`,
    );
  }
  const period = input.int('Period');
  if (period === undefined) throw missingParameter('Period');
  checkAlarmPeriod(period);
  const unit = enumValue(input, 'Unit', UNITS);
  const namespace = requiredString(input, 'Namespace');
  const metricName = requiredString(input, 'MetricName');
  checkLength('Namespace', namespace, 1, 255);
  checkLength('MetricName', metricName, 1, 255);
  return {
    MetricName: metricName,
    Namespace: namespace,
    ...(statistic !== undefined ? { Statistic: statistic } : {}),
    ...(extended !== undefined ? { ExtendedStatistic: extended } : {}),
    Dimensions: dimensionsParam(input),
    Period: period,
    ...(unit !== undefined ? { Unit: unit } : {}),
  };
}

function metricsArray(input: Input): Partial<MetricAlarmConfig> {
  const used = SINGLE_METRIC_FIELDS.filter((name) => input.has(name));
  if (used.length > 0 || input.list('Dimensions').length > 0) {
    throw invalidParameterCombination(
      'The parameters MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions, Period and Unit cannot be used with Metrics.',
    );
  }
  const metrics = parseMetricDataQueries(input.list('Metrics'), {
    name: 'Metrics',
    max: 10,
    forAlarm: true,
  });
  const periods = new Set<number>();
  for (const query of metrics) {
    const period = query.MetricStat?.Period ?? query.Period;
    if (period === undefined) continue;
    checkAlarmPeriod(period);
    periods.add(period);
  }
  if (periods.size > 1) {
    throw invalidParameterValue('All the metrics of an alarm must have the same Period.');
  }
  return { Metrics: metrics };
}

/** PutMetricAlarm's configuration. */
export function metricAlarmConfig(input: Input): MetricAlarmConfig {
  const evaluationPeriods = input.int('EvaluationPeriods');
  if (evaluationPeriods === undefined) throw missingParameter('EvaluationPeriods');
  if (evaluationPeriods < 1) {
    throw validationError(
      `1 validation error detected: Value '${evaluationPeriods}' at 'evaluationPeriods' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  }
  const operator = comparison(input);
  if (input.has('ThresholdMetricId')) {
    throw invalidParameterValue(
      'ThresholdMetricId names an anomaly detection band, which the sandbox does not emulate.',
    );
  }
  const threshold = doubleParam(input, 'Threshold');
  if (threshold === undefined) throw missingParameter('Threshold');
  const datapoints = input.int('DatapointsToAlarm');
  if (datapoints !== undefined && (datapoints < 1 || datapoints > evaluationPeriods)) {
    throw validationError(
      `DatapointsToAlarm (${datapoints}) must be between 1 and EvaluationPeriods (${evaluationPeriods}).`,
    );
  }
  const treatMissingData = input.str('TreatMissingData');
  if (
    treatMissingData !== undefined &&
    !(MISSING_DATA_TREATMENTS as readonly string[]).includes(treatMissingData)
  ) {
    throw validationError(
      `Option ${treatMissingData} is not a valid value for TreatMissingData. Valid values: ${MISSING_DATA_TREATMENTS.join(', ')}.`,
    );
  }
  const lowSample = input.str('EvaluateLowSampleCountPercentile');
  if (lowSample !== undefined && lowSample !== 'evaluate' && lowSample !== 'ignore') {
    throw validationError(
      `Option ${lowSample} is not a valid value for EvaluateLowSampleCountPercentile. Valid values: evaluate, ignore.`,
    );
  }
  const metric = input.list('Metrics').length > 0 ? metricsArray(input) : singleMetric(input);
  const period =
    metric.Period ??
    metric.Metrics?.map((query) => query.MetricStat?.Period ?? query.Period).find(
      (value) => value !== undefined,
    ) ??
    60;
  const limit = period >= 3600 ? 7 * 86400 : 86400;
  if (period * evaluationPeriods > limit) {
    throw invalidParameterValue(
      `The product of Period and EvaluationPeriods (${period * evaluationPeriods} seconds) must not exceed ${limit} seconds.`,
    );
  }
  return {
    ...metric,
    EvaluationPeriods: evaluationPeriods,
    ...(datapoints !== undefined ? { DatapointsToAlarm: datapoints } : {}),
    Threshold: threshold,
    ComparisonOperator: operator,
    ...(treatMissingData !== undefined ? { TreatMissingData: treatMissingData } : {}),
    ...(lowSample !== undefined ? { EvaluateLowSampleCountPercentile: lowSample } : {}),
  };
}

/** PutCompositeAlarm's configuration; the rule's alarm references are checked by the caller. */
export function compositeAlarmConfig(
  input: Input,
): CompositeAlarmConfig & { references: string[] } {
  const rule = requiredString(input, 'AlarmRule');
  checkLength('AlarmRule', rule, 1, 10240);
  let references: string[];
  try {
    references = ruleReferences(parseAlarmRule(rule));
  } catch (error: unknown) {
    if (error instanceof AlarmRuleError) {
      throw invalidParameterValue(`Error in alarm rule: ${error.message}`);
    }
    throw error;
  }
  if (references.length > 100) {
    throw invalidParameterValue('An alarm rule may reference at most 100 alarms.');
  }
  const suppressor = input.str('ActionsSuppressor');
  const wait = input.int('ActionsSuppressorWaitPeriod');
  const extension = input.int('ActionsSuppressorExtensionPeriod');
  if (suppressor === undefined && (wait !== undefined || extension !== undefined)) {
    throw invalidParameterCombination(
      'ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod require ActionsSuppressor.',
    );
  }
  return {
    AlarmRule: rule,
    ...(suppressor !== undefined
      ? {
          ActionsSuppressor: suppressor,
          ActionsSuppressorWaitPeriod: wait ?? 60,
          ActionsSuppressorExtensionPeriod: extension ?? 60,
        }
      : {}),
    references,
  };
}
