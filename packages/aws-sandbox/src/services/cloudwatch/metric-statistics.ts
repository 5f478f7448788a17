// Turns raw data into statistics per period: periods align to multiples of their length since the
// epoch, as CloudWatch's do, and percentiles use the nearest-rank method over the raw values.
import type { StoredDatum } from './cloudwatch-state.js';

/** Everything one period's data yields. */
export interface PeriodAggregate {
  /** The period's start, epoch milliseconds. */
  start: number;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /** The unit of the first datum. */
  unit: string;
  /** `[value, count]` pairs of data that kept raw values (statistic sets do not). */
  values: [number, number][];
}

/** The start of the period holding `time` (epoch ms). */
export function periodStart(time: number, periodSeconds: number): number {
  const length = periodSeconds * 1000;
  return Math.floor(time / length) * length;
}

/**
 * The data in `[start, end)` grouped by period, optionally only data of one unit. Periods without
 * data are absent from the map.
 */
export function aggregateByPeriod(
  data: readonly StoredDatum[],
  periodSeconds: number,
  unit?: string,
): Map<number, PeriodAggregate> {
  const periods = new Map<number, PeriodAggregate>();
  for (const datum of data) {
    if (unit !== undefined && datum.unit !== unit) continue;
    const start = periodStart(datum.t, periodSeconds);
    let aggregate = periods.get(start);
    if (!aggregate) {
      aggregate = {
        start,
        sampleCount: 0,
        sum: 0,
        min: Infinity,
        max: -Infinity,
        unit: datum.unit,
        values: [],
      };
      periods.set(start, aggregate);
    }
    aggregate.sampleCount += datum.sampleCount;
    aggregate.sum += datum.sum;
    aggregate.min = Math.min(aggregate.min, datum.min);
    aggregate.max = Math.max(aggregate.max, datum.max);
    if (datum.values) {
      datum.values.forEach((value, index) => {
        aggregate.values.push([value, datum.counts?.[index] ?? 1]);
      });
    }
  }
  return periods;
}

/** The nearest-rank percentile of weighted values, or undefined without values. */
function percentile(values: readonly [number, number][], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted[sorted.length - 1]?.[0];
}

/**
 * One statistic of a period (`Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount`, `pNN`), or
 * undefined when it cannot be computed (a percentile of statistic sets).
 */
export function statisticOf(aggregate: PeriodAggregate, stat: string): number | undefined {
  switch (stat) {
    case 'Sum':
      return aggregate.sum;
    case 'Average':
      return aggregate.sampleCount === 0 ? undefined : aggregate.sum / aggregate.sampleCount;
    case 'Minimum':
      return aggregate.min;
    case 'Maximum':
      return aggregate.max;
    case 'SampleCount':
      return aggregate.sampleCount;
    default: {
      const match = /^p(\d+(?:\.\d+)?)$/.exec(stat);
      return match ? percentile(aggregate.values, Number(match[1])) : undefined;
    }
  }
}
