// PutMetricData, GetMetricData, GetMetricStatistics and ListMetrics: metric data stored per account
// and region, read together with the metrics other services emit.
import type { Input, InputValue } from '../../framework/input.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import {
  invalidNextToken,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
} from './cloudwatch-errors.js';
import {
  checkLength,
  checkPeriod,
  dimensionsParam,
  doubleValue,
  enumValue,
  intInRange,
  isPercentile,
  requiredString,
  requiredTimestamp,
  SIMPLE_STATISTICS,
  timestampParam,
  UNITS,
} from './cloudwatch-input.js';
import {
  cloudWatchState,
  metricKey,
  sortedDimensions,
  type MetricShape,
  type StoredDatum,
} from './cloudwatch-state.js';
import { parseMetricDataQueries, runQueries } from './metric-queries.js';
import { insertDatum, metricReader } from './metric-source.js';
import { aggregateByPeriod, periodStart, statisticOf } from './metric-statistics.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long stored data is kept (CloudWatch keeps one-minute data 15 days). */
export const METRIC_RETENTION_MS = 15 * DAY_MS;
/** The largest magnitude CloudWatch accepts. */
const MAX_MAGNITUDE = 2 ** 360;

function sampleValue(value: InputValue | undefined, name: string): number {
  const num = doubleValue(value, name);
  if (num === undefined) throw missingParameter(name);
  if (Math.abs(num) > MAX_MAGNITUDE) {
    throw invalidParameterValue(`The value ${num} for parameter ${name} is out of range.`);
  }
  return num;
}

/** One MetricData entry as a stored datum. */
function datumOf(
  item: Input,
  prefix: string,
  namespace: string,
  now: number,
): { metric: MetricShape; datum: StoredDatum } {
  const metricName = requiredString(item, 'MetricName');
  checkLength('MetricName', metricName, 1, 255);
  const dimensions = dimensionsParam(item);
  const timestamp = timestampParam(item, 'Timestamp')?.getTime() ?? now;
  if (timestamp < now - 14 * DAY_MS) {
    throw invalidParameterValue(
      `The parameter ${prefix}.Timestamp must specify a time no more than two weeks in the past.`,
    );
  }
  if (timestamp > now + 2 * 60 * 60 * 1000) {
    throw invalidParameterValue(
      `The parameter ${prefix}.Timestamp must specify a time no more than two hours in the future.`,
    );
  }
  const unit = enumValue(item, 'Unit', UNITS) ?? 'None';
  const resolution = item.int('StorageResolution');
  if (resolution !== undefined && resolution !== 1 && resolution !== 60) {
    throw invalidParameterValue(`The parameter ${prefix}.StorageResolution must be 1 or 60.`);
  }
  const present = (name: string): boolean => {
    const raw = item.raw[name];
    return (
      raw !== undefined && raw !== null && raw !== '' && !(Array.isArray(raw) && raw.length === 0)
    );
  };
  const given = ['Value', 'Values', 'StatisticValues'].filter(present);
  if (given.length > 1) {
    throw invalidParameterCombination(
      `The parameters ${prefix}.${given[0] ?? ''} and ${prefix}.${given[1] ?? ''} are mutually exclusive and you have specified both.`,
    );
  }
  if (present('Counts') && !given.includes('Values')) {
    throw invalidParameterCombination(`The parameter ${prefix}.Counts requires ${prefix}.Values.`);
  }
  const metric = {
    Namespace: namespace,
    MetricName: metricName,
    Dimensions: sortedDimensions(dimensions),
  };
  const base = { t: timestamp, unit };
  if (given[0] === 'StatisticValues') {
    const set = item.obj('StatisticValues') as Input;
    const field = (name: string): number =>
      sampleValue(set.raw[name], `${prefix}.StatisticValues.${name}`);
    const stats = {
      sampleCount: field('SampleCount'),
      sum: field('Sum'),
      min: field('Minimum'),
      max: field('Maximum'),
    };
    if (stats.sampleCount <= 0 || stats.min > stats.max) {
      throw invalidParameterValue(
        `The parameter ${prefix}.StatisticValues must have a positive SampleCount and Minimum <= Maximum.`,
      );
    }
    return { metric, datum: { ...base, ...stats } };
  }
  if (given[0] === 'Values') {
    const rawValues = item.raw['Values'];
    const values = (Array.isArray(rawValues) ? rawValues : []).map((value, index) =>
      sampleValue(value, `${prefix}.Values.member.${index + 1}`),
    );
    if (values.length > 150) {
      throw invalidParameterValue(
        `The collection ${prefix}.Values must not have a size greater than 150.`,
      );
    }
    const rawCounts = item.raw['Counts'];
    const counts = Array.isArray(rawCounts)
      ? rawCounts.map((count, index) => sampleValue(count, `${prefix}.Counts.member.${index + 1}`))
      : values.map(() => 1);
    if (counts.length !== values.length) {
      throw invalidParameterValue(
        `The parameters ${prefix}.Values and ${prefix}.Counts must be of the same size.`,
      );
    }
    if (values.length === 0) throw missingParameter(`${prefix}.Values`);
    let sampleCount = 0;
    let sum = 0;
    values.forEach((value, index) => {
      const count = counts[index] ?? 1;
      sampleCount += count;
      sum += value * count;
    });
    return {
      metric,
      datum: {
        ...base,
        sampleCount,
        sum,
        min: Math.min(...values),
        max: Math.max(...values),
        values,
        counts,
      },
    };
  }
  const value = sampleValue(item.raw['Value'], `${prefix}.Value`);
  return {
    metric,
    datum: {
      ...base,
      sampleCount: 1,
      sum: value,
      min: value,
      max: value,
      values: [value],
      counts: [1],
    },
  };
}

function putMetricDataEntries(ctx: ActionContext): { metric: MetricShape; datum: StoredDatum }[] {
  const namespace = requiredString(ctx.input, 'Namespace');
  checkLength('Namespace', namespace, 1, 255);
  if (namespace.startsWith('AWS/')) {
    throw invalidParameterValue(`The value ${namespace} for parameter Namespace is invalid.`);
  }
  const items = ctx.input.list('MetricData');
  if (items.length === 0) throw missingParameter('MetricData');
  if (items.length > 1000) {
    throw invalidParameterValue(
      'The collection MetricData must not have a size greater than 1000.',
    );
  }
  const now = ctx.clock.now().getTime();
  return items.map((item, index) =>
    datumOf(item, `MetricData.member.${index + 1}`, namespace, now),
  );
}

/** The reader of the caller's account and region. */
function readerOf(ctx: ActionContext) {
  return metricReader(ctx.runtime, cloudWatchState(ctx), {
    accountId: ctx.accountId,
    region: ctx.region,
  });
}

function timeRange(ctx: ActionContext): { start: number; end: number } {
  const start = requiredTimestamp(ctx.input, 'StartTime').getTime();
  const end = requiredTimestamp(ctx.input, 'EndTime').getTime();
  if (start >= end) {
    throw invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
  }
  return { start, end };
}

function offsetToken(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

function tokenOffset(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw invalidNextToken();
  return Number(match[1]);
}

function getMetricStatistics(ctx: ActionContext): unknown {
  const input = ctx.input;
  const metric: MetricShape = {
    Namespace: requiredString(input, 'Namespace'),
    MetricName: requiredString(input, 'MetricName'),
    Dimensions: dimensionsParam(input),
  };
  const { start, end } = timeRange(ctx);
  const period = input.int('Period');
  if (period === undefined) throw missingParameter('Period');
  checkPeriod(period);
  const statistics = input.strList('Statistics');
  const extended = input.strList('ExtendedStatistics');
  if (statistics.length > 0 === extended.length > 0) {
    throw invalidParameterCombination(
      'Must specify either Statistics or ExtendedStatistics, but not both.',
    );
  }
  for (const stat of statistics) {
    if (!(SIMPLE_STATISTICS as readonly string[]).includes(stat)) {
      throw invalidParameterValue(
        `The value ${stat} for parameter Statistics is not a valid statistic.`,
      );
    }
  }
  for (const stat of extended) {
    if (!isPercentile(stat)) {
      throw invalidParameterValue(
        `The value ${stat} for parameter ExtendedStatistics is not supported.`,
      );
    }
  }
  const from = periodStart(start, period);
  const requested = Math.ceil((end - from) / (period * 1000));
  if (requested > 1440) {
    throw invalidParameterCombination(
      `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const unit = enumValue(input, 'Unit', UNITS);
  const aggregates = aggregateByPeriod(readerOf(ctx)(metric, from, end), period, unit);
  const datapoints = [...aggregates.values()]
    .sort((a, b) => a.start - b.start)
    .map((aggregate) => {
      const point: Record<string, unknown> = { Timestamp: new Date(aggregate.start) };
      for (const stat of statistics) point[stat] = statisticOf(aggregate, stat);
      if (extended.length > 0) {
        point['ExtendedStatistics'] = Object.fromEntries(
          extended.flatMap((stat) => {
            const value = statisticOf(aggregate, stat);
            return value === undefined ? [] : [[stat, value]];
          }),
        );
      }
      point['Unit'] = aggregate.unit;
      return point;
    });
  return { Label: metric.MetricName, Datapoints: datapoints };
}

function getMetricData(ctx: ActionContext): unknown {
  const input = ctx.input;
  const queries = parseMetricDataQueries(input.list('MetricDataQueries'), {
    name: 'MetricDataQueries',
    max: 500,
    forAlarm: false,
  });
  const { start, end } = timeRange(ctx);
  const scanBy = enumValue(input, 'ScanBy', ['TimestampDescending', 'TimestampAscending']);
  const max = intInRange(input, 'MaxDatapoints', 1, Number.MAX_SAFE_INTEGER) ?? 100_800;
  const results = runQueries(readerOf(ctx), queries, start, end);
  const returned = queries
    .filter((query) => query.ReturnData !== false)
    .map((query) => {
      let points = [...(results.get(query.Id)?.series ?? new Map<number, number>())].filter(
        ([time]) => time < end,
      );
      if (scanBy !== 'TimestampAscending') points = points.reverse();
      const label = query.Label ?? query.MetricStat?.Metric.MetricName ?? query.Id;
      return { query, label, points };
    });
  // Pages hold at most MaxDatapoints points, counted across the results in order.
  const offset = tokenOffset(input.str('NextToken'));
  let skipped = 0;
  let taken = 0;
  const metricDataResults = returned.map(({ query, label, points }) => {
    const first = Math.max(0, Math.min(points.length, offset - skipped));
    skipped += first;
    const count = Math.max(0, Math.min(points.length - first, max - taken));
    taken += count;
    const page = points.slice(first, first + count);
    return {
      Id: query.Id,
      Label: label,
      Timestamps: page.map(([time]) => new Date(time)),
      Values: page.map(([, value]) => value),
      StatusCode: first + count < points.length ? 'PartialData' : 'Complete',
      Messages: [],
    };
  });
  const total = returned.reduce((sum, result) => sum + result.points.length, 0);
  const next = offset + taken;
  return {
    MetricDataResults: metricDataResults,
    Messages: [],
    ...(next < total ? { NextToken: offsetToken(next) } : {}),
  };
}

function listMetrics(ctx: ActionContext): unknown {
  const input = ctx.input;
  const namespace = input.str('Namespace');
  const metricName = input.str('MetricName');
  const filters = input.list('Dimensions').map((filter) => ({
    name: requiredString(filter, 'Name'),
    value: filter.str('Value'),
  }));
  if (filters.length > 10) {
    throw invalidParameterValue('The collection Dimensions must not have a size greater than 10.');
  }
  const recent = enumValue(input, 'RecentlyActive', ['PT3H']);
  const now = ctx.clock.now().getTime();
  const since = now - (recent !== undefined ? 3 * 60 * 60 * 1000 : 14 * DAY_MS);
  const found = new Map<string, MetricShape>();
  for (const stored of Object.values(cloudWatchState(ctx).metrics)) {
    const last = stored.data[stored.data.length - 1];
    if (last !== undefined && last.t >= since) {
      const shape = {
        Namespace: stored.Namespace,
        MetricName: stored.MetricName,
        Dimensions: stored.Dimensions,
      };
      found.set(metricKey(shape), shape);
    }
  }
  for (const emitted of ctx.runtime.listEmittedMetrics(ctx.accountId, ctx.region)) {
    const shape = {
      Namespace: emitted.namespace,
      MetricName: emitted.metricName,
      Dimensions: sortedDimensions(
        Object.entries(emitted.dimensions).map(([Name, Value]) => ({ Name, Value })),
      ),
    };
    found.set(metricKey(shape), shape);
  }
  const matching = [...found.entries()]
    .filter(
      ([, metric]) =>
        (namespace === undefined || metric.Namespace === namespace) &&
        (metricName === undefined || metric.MetricName === metricName) &&
        filters.every((filter) =>
          metric.Dimensions.some(
            (d) =>
              d.Name === filter.name && (filter.value === undefined || d.Value === filter.value),
          ),
        ),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, metric]) => metric);
  const offset = tokenOffset(input.str('NextToken'));
  const page = matching.slice(offset, offset + 500);
  const next = offset + page.length;
  return {
    Metrics: page,
    ...(next < matching.length ? { NextToken: offsetToken(next) } : {}),
  };
}

/** The metric data actions. */
export const metricDataActions: Record<string, ActionDefinition> = {
  PutMetricData: {
    validate: (ctx) => {
      putMetricDataEntries(ctx);
    },
    context: (ctx) => ({ 'cloudwatch:namespace': ctx.input.str('Namespace') ?? '' }),
    handler: (ctx) => {
      const state = cloudWatchState(ctx);
      const cutoff = ctx.clock.now().getTime() - METRIC_RETENTION_MS;
      for (const { metric, datum } of putMetricDataEntries(ctx)) {
        const key = metricKey(metric);
        const stored = (state.metrics[key] ??= { ...metric, data: [] });
        insertDatum(stored.data, datum);
        const kept = stored.data.findIndex((entry) => entry.t >= cutoff);
        stored.data.splice(0, kept < 0 ? stored.data.length : kept);
      }
      return undefined;
    },
  },
  GetMetricData: { handler: getMetricData },
  GetMetricStatistics: { handler: getMetricStatistics },
  ListMetrics: { handler: listMetrics },
};
