// The StateReason and StateReasonData CloudWatch writes when an evaluation changes a metric
// alarm's state: "Threshold Crossed: …" sentences and the JSON with the recent datapoints.
import {
  breaches,
  type Comparison,
  type Datapoint,
  type EvaluationOutcome,
  type EvaluationRequest,
} from './alarm-evaluation.js';
import type { AlarmStateValue } from './cloudwatch-state.js';
import { javaDouble, javaTimestamp, plural, reasonDate } from './reason-format.js';

const PHRASES: Record<Comparison, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** What the reason data names besides the datapoints. */
export interface ReasonContext {
  now: number;
  period: number;
  statistic?: string;
  unit?: string;
}

type Decided = Extract<EvaluationOutcome, { kind: 'state' }>;

const point = (datapoint: Datapoint): string =>
  `${javaDouble(datapoint.value)} (${reasonDate(datapoint.start)})`;

/** The sentence of a state change from `from` to the outcome's state. */
export function stateReason(
  outcome: Decided,
  request: EvaluationRequest,
  from: AlarmStateValue,
): string {
  const n = request.evaluationPeriods;
  const filled = outcome.filled.length;
  if (outcome.state === 'INSUFFICIENT_DATA') {
    return `Insufficient Data: ${plural(n, 'datapoint')} ${n === 1 ? 'was' : 'were'} unknown.`;
  }
  const treated =
    filled > 0 && outcome.filledAs !== undefined
      ? `${plural(filled, 'missing datapoint')} ${filled === 1 ? 'was' : 'were'} treated as [${outcome.filledAs}]`
      : undefined;
  if (outcome.evaluated.length === 0 && treated !== undefined) {
    return `Threshold Crossed: no datapoints were received for ${plural(filled, 'period')} and ${treated}.`;
  }
  const alarm = outcome.state === 'ALARM';
  const listed = outcome.evaluated.filter(
    (datapoint) => breaches(datapoint.value, request.threshold, request.comparison) === alarm,
  );
  const minimum = alarm ? request.datapointsToAlarm : n - request.datapointsToAlarm + 1;
  return (
    `Threshold Crossed: ${listed.length} out of the last ${n} datapoints ` +
    `[${listed.map(point).join(', ')}] ${listed.length === 1 ? 'was' : 'were'} ` +
    `${alarm ? '' : 'not '}${PHRASES[request.comparison]} the threshold (${javaDouble(request.threshold)}) ` +
    `(minimum ${plural(minimum, 'datapoint')} for ${from} -> ${outcome.state} transition).` +
    (treated !== undefined ? ` ${treated.charAt(0).toUpperCase()}${treated.slice(1)}.` : '')
  );
}

/** The JSON CloudWatch stores as StateReasonData for an evaluation. */
export function stateReasonData(
  outcome: Decided,
  request: EvaluationRequest,
  context: ReasonContext,
): string {
  const slots = [...outcome.evaluated, ...outcome.filled].sort((a, b) => b.start - a.start);
  const oldest = slots[slots.length - 1]?.start ?? context.now;
  const data = {
    version: '1.0',
    queryDate: javaTimestamp(context.now),
    startDate: javaTimestamp(oldest),
    ...(context.unit !== undefined ? { unit: context.unit } : {}),
    ...(context.statistic !== undefined ? { statistic: context.statistic } : {}),
    period: context.period,
    recentDatapoints: [...outcome.evaluated].reverse().map((datapoint) => datapoint.value),
    threshold: request.threshold,
    evaluatedDatapoints: slots.map((slot) => ({
      timestamp: javaTimestamp(slot.start),
      ...(slot.sampleCount !== undefined ? { sampleCount: slot.sampleCount } : {}),
      ...(slot.value !== undefined ? { value: slot.value } : {}),
    })),
  };
  return JSON.stringify(data);
}
