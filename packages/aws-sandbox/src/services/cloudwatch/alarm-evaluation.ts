// How a metric alarm decides its state from the datapoints of its evaluation range, following
// CloudWatch's documented rules: the most recent EvaluationPeriods datapoints decide when all are
// present; otherwise older real datapoints of the range stand in for missing ones; only when there
// are still too few does the missing-data treatment fill the gaps, as few times as possible.
import type { AlarmStateValue } from './cloudwatch-state.js';

/** The comparisons the sandbox evaluates (static thresholds). */
export const STATIC_COMPARISONS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;

/** A static comparison. */
export type Comparison = (typeof STATIC_COMPARISONS)[number];

/** Anomaly-detection comparisons: valid in AWS, refused by the sandbox. */
export const ANOMALY_COMPARISONS = [
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
] as const;

/** The missing-data treatments. */
export const MISSING_DATA_TREATMENTS = ['missing', 'notBreaching', 'breaching', 'ignore'] as const;

/** A missing-data treatment. */
export type MissingDataTreatment = (typeof MISSING_DATA_TREATMENTS)[number];

/**
 * How many periods beyond EvaluationPeriods the evaluation range reaches back. AWS does not
 * publish the figure; its documentation's example uses a range of 5 for 3 evaluation periods.
 */
export const EVALUATION_RANGE_EXTRA = 2;

/** One period of the evaluation range; `value` is absent when the period had no data. */
export interface RangeSlot {
  /** The period's start, epoch ms. */
  start: number;
  value?: number;
  sampleCount?: number;
}

/** A period with data. */
export type Datapoint = RangeSlot & { value: number };

/** What an evaluation needs. */
export interface EvaluationRequest {
  /** EvaluationPeriods + {@link EVALUATION_RANGE_EXTRA} slots, most recent first. */
  range: readonly RangeSlot[];
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: Comparison;
  treatMissingData: MissingDataTreatment;
}

/** The decision, and what it rests on. */
export type EvaluationOutcome =
  | { kind: 'retain' }
  | {
      kind: 'state';
      state: AlarmStateValue;
      /** The real datapoints evaluated, most recent first. */
      evaluated: Datapoint[];
      /** The missing slots filled by the treatment, most recent first. */
      filled: RangeSlot[];
      /** What filled slots counted as (`breaching` and `notBreaching` only). */
      filledAs?: 'Breaching' | 'NonBreaching';
    };

/** Whether a value breaches the threshold. */
export function breaches(value: number, threshold: number, comparison: Comparison): boolean {
  switch (comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    default: {
      const never: never = comparison;
      throw new Error(`unknown comparison ${String(never)}`);
    }
  }
}

const hasValue = (slot: RangeSlot): slot is Datapoint => slot.value !== undefined;

/** Decides the state (or to keep the current one) from an evaluation range. */
export function evaluateRange(request: EvaluationRequest): EvaluationOutcome {
  const n = request.evaluationPeriods;
  const m = request.datapointsToAlarm;
  const window = request.range.slice(0, n);
  const real = request.range.filter(hasValue);
  let evaluated: Datapoint[];
  let filled: RangeSlot[] = [];
  if (window.every(hasValue)) evaluated = window.filter(hasValue);
  else if (real.length >= n) evaluated = real.slice(0, n);
  else {
    evaluated = real;
    filled = request.range.filter((slot) => !hasValue(slot)).slice(0, n - real.length);
  }
  const breaching = evaluated.filter((point) =>
    breaches(point.value, request.threshold, request.comparison),
  ).length;
  const decided = (
    state: AlarmStateValue,
    filledAs?: 'Breaching' | 'NonBreaching',
  ): EvaluationOutcome => ({
    kind: 'state',
    state,
    evaluated,
    filled,
    ...(filledAs !== undefined ? { filledAs } : {}),
  });
  if (filled.length === 0) return decided(breaching >= m ? 'ALARM' : 'OK');
  switch (request.treatMissingData) {
    case 'breaching':
      return decided(breaching + filled.length >= m ? 'ALARM' : 'OK', 'Breaching');
    case 'notBreaching':
      return decided(breaching >= m ? 'ALARM' : 'OK', 'NonBreaching');
    case 'ignore':
      // Missing points are unknown: decide only when they could not change the outcome.
      if (breaching >= m) return decided('ALARM');
      if (breaching + filled.length < m) return decided('OK');
      return { kind: 'retain' };
    case 'missing':
      if (real.length === 0) return decided('INSUFFICIENT_DATA');
      // With too few real datapoints, the ones present decide (AWS's table: "- - X - -" is ALARM).
      return decided(breaching >= Math.min(m, real.length) ? 'ALARM' : 'OK');
    default: {
      const never: never = request.treatMissingData;
      throw new Error(`unknown treatment ${String(never)}`);
    }
  }
}
