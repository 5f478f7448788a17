// Where metric data comes from: what PutMetricData stored, plus the samples other services emit
// (ECS and Lambda under the health model) through the runtime's metric sources.
import type { SandboxRuntime } from '../../framework/runtime.js';
import {
  dimensionRecord,
  metricKey,
  type CloudWatchState,
  type MetricShape,
  type StoredDatum,
} from './cloudwatch-state.js';

/** The account and region whose data is read. */
export interface MetricWhere {
  accountId: string;
  region: string;
}

/** Reads the data of one metric in `[start, end)`, oldest first. */
export type MetricReader = (metric: MetricShape, start: number, end: number) => StoredDatum[];

/** The first index whose datum is at or after `time` (data is in time order). */
function lowerBound(data: readonly StoredDatum[], time: number): number {
  let low = 0;
  let high = data.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((data[mid]?.t ?? Infinity) < time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Inserts a datum keeping the data in time order (late data lands in its place). */
export function insertDatum(data: StoredDatum[], datum: StoredDatum): void {
  data.splice(lowerBound(data, datum.t + 1), 0, datum);
}

/** A reader over the stored data of `state` and every service's emitted samples. */
export function metricReader(
  runtime: SandboxRuntime,
  state: CloudWatchState | undefined,
  where: MetricWhere,
): MetricReader {
  return (metric, start, end) => {
    const stored = state?.metrics[metricKey(metric)]?.data ?? [];
    const own = stored.slice(lowerBound(stored, start), lowerBound(stored, end));
    const emitted = runtime
      .metricSamples({
        accountId: where.accountId,
        region: where.region,
        namespace: metric.Namespace,
        metricName: metric.MetricName,
        dimensions: dimensionRecord(metric.Dimensions),
        start: new Date(start),
        end: new Date(end),
      })
      .filter((sample) => {
        const time = sample.timestamp.getTime();
        return time >= start && time < end && Number.isFinite(sample.value);
      })
      .map((sample): StoredDatum => ({
        t: sample.timestamp.getTime(),
        unit: sample.unit ?? 'None',
        sampleCount: 1,
        sum: sample.value,
        min: sample.value,
        max: sample.value,
        values: [sample.value],
        counts: [1],
      }));
    if (emitted.length === 0) return own;
    return [...own, ...emitted].sort((a, b) => a.t - b.t);
  };
}
