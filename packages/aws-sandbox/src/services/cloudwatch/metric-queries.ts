// MetricDataQueries, shared by GetMetricData and alarms on `Metrics`: validation as CloudWatch
// does it, and evaluation of MetricStat queries and arithmetic expressions over them.
import type { Input } from '../../framework/input.js';
import { invalidParameterValue, missingParameter } from './cloudwatch-errors.js';
import {
  checkLength,
  checkPeriod,
  checkStat,
  dimensionsParam,
  enumValue,
  requiredString,
  UNITS,
} from './cloudwatch-input.js';
import type { MetricDataQueryShape } from './cloudwatch-state.js';
import {
  evaluateExpression,
  MetricMathError,
  parseExpression,
  referencedIds,
  type MathNode,
  type Series,
} from './metric-math.js';
import type { MetricReader } from './metric-source.js';
import { aggregateByPeriod, periodStart, statisticOf } from './metric-statistics.js';

const ID = /^[a-z][a-zA-Z0-9_]*$/;

/** Reads and validates `MetricDataQueries` (or an alarm's `Metrics`). */
export function parseMetricDataQueries(
  list: readonly Input[],
  options: { name: string; max: number; forAlarm: boolean },
): MetricDataQueryShape[] {
  if (list.length === 0) throw missingParameter(options.name);
  if (list.length > options.max) {
    throw invalidParameterValue(
      `The collection ${options.name} must not have a size greater than ${options.max}.`,
    );
  }
  const queries = list.map((item): MetricDataQueryShape => {
    const id = requiredString(item, 'Id');
    checkLength('Id', id, 1, 255);
    if (!ID.test(id)) {
      throw invalidParameterValue(
        `The value ${id} for parameter ${options.name}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
      );
    }
    const stat = item.obj('MetricStat');
    const expression = item.str('Expression');
    if ((stat === undefined) === (expression === undefined)) {
      throw invalidParameterValue(
        `Exactly one of MetricStat and Expression must be specified for the query ${id}.`,
      );
    }
    const query: MetricDataQueryShape = { Id: id };
    if (stat !== undefined) {
      const metric = stat.obj('Metric');
      if (metric === undefined) throw missingParameter(`${options.name}.MetricStat.Metric`);
      const period = stat.int('Period');
      if (period === undefined) throw missingParameter(`${options.name}.MetricStat.Period`);
      checkPeriod(period, 'MetricStat.Period');
      const statName = requiredString(stat, 'Stat');
      checkStat(statName, 'MetricStat.Stat');
      const unit = enumValue(stat, 'Unit', UNITS);
      query.MetricStat = {
        Metric: {
          Namespace: requiredString(metric, 'Namespace'),
          MetricName: requiredString(metric, 'MetricName'),
          Dimensions: dimensionsParam(metric),
        },
        Period: period,
        Stat: statName,
        ...(unit !== undefined ? { Unit: unit } : {}),
      };
    }
    if (expression !== undefined) {
      checkLength('Expression', expression, 1, 2048);
      query.Expression = expression;
      const period = item.int('Period');
      if (period !== undefined) {
        checkPeriod(period);
        query.Period = period;
      }
    }
    const label = item.str('Label');
    if (label !== undefined) query.Label = label;
    const returnData = item.bool('ReturnData');
    if (returnData !== undefined) query.ReturnData = returnData;
    const accountId = item.str('AccountId');
    if (accountId !== undefined) query.AccountId = accountId;
    return query;
  });
  const ids = new Set<string>();
  for (const query of queries) {
    if (ids.has(query.Id)) {
      throw invalidParameterValue(`The Id ${query.Id} is used by more than one query.`);
    }
    ids.add(query.Id);
  }
  expressionsOf(queries);
  if (options.forAlarm) {
    const returning = queries.filter((query) => query.ReturnData !== false);
    if (returning.length !== 1) {
      throw invalidParameterValue('Exactly one element of the metrics list should return data.');
    }
  }
  return queries;
}

/** The parsed expression of every expression query; refuses unknown ids and cycles. */
function expressionsOf(queries: readonly MetricDataQueryShape[]): Map<string, MathNode> {
  const parsed = new Map<string, MathNode>();
  for (const query of queries) {
    if (query.Expression === undefined) continue;
    let node: MathNode;
    try {
      node = parseExpression(query.Expression);
    } catch (error: unknown) {
      if (error instanceof MetricMathError) {
        throw invalidParameterValue(
          `Invalid metrics list: the expression of ${query.Id}: ${error.message}`,
        );
      }
      throw error;
    }
    const refs = referencedIds(node);
    if (refs.length === 0) {
      throw invalidParameterValue(
        `Invalid metrics list: the expression of ${query.Id} must reference at least one metric.`,
      );
    }
    for (const ref of refs) {
      if (!queries.some((other) => other.Id === ref)) {
        throw invalidParameterValue(
          `Invalid metrics list: the expression of ${query.Id} references the unknown id ${ref}.`,
        );
      }
    }
    parsed.set(query.Id, node);
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string): void => {
    if (done.has(id)) return;
    if (visiting.has(id)) {
      throw invalidParameterValue(
        `Invalid metrics list: the expressions reference each other in a cycle through ${id}.`,
      );
    }
    visiting.add(id);
    const node = parsed.get(id);
    if (node) for (const ref of referencedIds(node)) visit(ref);
    visiting.delete(id);
    done.add(id);
  };
  for (const id of parsed.keys()) visit(id);
  return parsed;
}

/** One query's result: values and, for MetricStat queries, sample counts, by period start. */
export interface QueryResult {
  series: Series;
  sampleCounts?: Map<number, number>;
}

/** The period a query produces points for (expressions take their operands'). */
export function queryPeriod(
  query: MetricDataQueryShape,
  queries: readonly MetricDataQueryShape[],
): number {
  if (query.MetricStat) return query.MetricStat.Period;
  if (query.Period !== undefined) return query.Period;
  const first = queries.find((other) => other.MetricStat !== undefined);
  return first?.MetricStat?.Period ?? 60;
}

/**
 * Runs every query over `[start, end)` (epoch ms): MetricStat queries aggregate their metric per
 * period (periods starting from `start` aligned down), expressions combine the results.
 */
export function runQueries(
  reader: MetricReader,
  queries: readonly MetricDataQueryShape[],
  start: number,
  end: number,
): Map<string, QueryResult> {
  const expressions = expressionsOf(queries);
  const results = new Map<string, QueryResult>();
  const resolve = (id: string): QueryResult | undefined => {
    const cached = results.get(id);
    if (cached) return cached;
    const query = queries.find((candidate) => candidate.Id === id);
    if (!query) return undefined;
    let result: QueryResult;
    if (query.MetricStat) {
      const { Metric, Period, Stat, Unit } = query.MetricStat;
      const from = periodStart(start, Period);
      const series: Series = new Map();
      const sampleCounts = new Map<number, number>();
      for (const aggregate of aggregateByPeriod(reader(Metric, from, end), Period, Unit).values()) {
        const value = statisticOf(aggregate, Stat);
        if (value === undefined) continue;
        series.set(aggregate.start, value);
        sampleCounts.set(aggregate.start, aggregate.sampleCount);
      }
      result = { series: new Map([...series].sort((a, b) => a[0] - b[0])), sampleCounts };
    } else {
      const node = expressions.get(id);
      if (!node) return undefined;
      const value = evaluateExpression(node, (ref) => resolve(ref)?.series);
      const series = typeof value === 'number' ? new Map<number, number>() : value;
      result = { series: new Map([...series].sort((a, b) => a[0] - b[0])) };
    }
    results.set(id, result);
    return result;
  };
  for (const query of queries) resolve(query.Id);
  return results;
}
