// AWS/Lambda `Invocations` and `Errors` under the health model: every alias receives synthetic
// traffic at a fixed rate, served by the version(s) it pointed to at the time, and real `Invoke`
// calls are counted too. An invocation of a version whose code is marked unhealthy is an error.
import type {
  BackgroundContext,
  MetricIdentity,
  MetricQuery,
  MetricSample,
} from '../../framework/background.js';
import { routedVersion } from './alias-routing.js';
import { LAMBDA_SERVICE } from './function-lookup.js';
import type { AliasRecord, FunctionRecord, LambdaState, VersionRecord } from './lambda-state.js';
import { isUnhealthyAt } from './version-health.js';

/** Synthetic invocations each alias receives per minute of emulated time. */
export const SYNTHETIC_INVOCATIONS_PER_MINUTE = 12;
/** The spacing of synthetic invocations (ms): evenly over the minute, from its start. */
const SPACING_MS = 60_000 / SYNTHETIC_INVOCATIONS_PER_MINUTE;
/** Synthetic traffic one query covers at most (CloudWatch keeps 1-minute data for 15 days). */
const MAX_QUERY_MINUTES = 60 * 24 * 15;

const NAMESPACE = 'AWS/Lambda';
const METRICS = ['Invocations', 'Errors'] as const;

/** One invocation as the metrics see it. */
interface Counted {
  time: number;
  version: string;
  /** The alias or version the call named (the `Resource` dimension), if any. */
  qualifier?: string;
  error: boolean;
}

function versionOf(fn: FunctionRecord, version: string): VersionRecord | undefined {
  return version === '$LATEST' ? fn.latest : fn.versions.find((v) => v.version === version);
}

/** The synthetic invocations of one alias in `[start, end)`, never past `now`. */
function syntheticTraffic(
  ctx: BackgroundContext,
  fn: FunctionRecord,
  alias: AliasRecord,
  start: number,
  end: number,
  now: number,
): Counted[] {
  const out: Counted[] = [];
  const from = Math.max(start, Date.parse(alias.createdAt));
  const until = Math.min(end, now + 1);
  if (from >= until) return out;
  const health = ctx.runtime.state.health;
  const history = alias.history;
  let target = 0;
  const firstMinute = Math.floor(from / 60_000) * 60_000;
  const lastMinute = Math.min(until, firstMinute + MAX_QUERY_MINUTES * 60_000);
  for (let minute = firstMinute; minute < lastMinute; minute += 60_000) {
    for (let k = 0; k < SYNTHETIC_INVOCATIONS_PER_MINUTE; k += 1) {
      const time = minute + k * SPACING_MS;
      if (time < from || time >= until) continue;
      while (target + 1 < history.length && Date.parse(history[target + 1]?.at ?? '') <= time) {
        target += 1;
      }
      const pointed = history[target];
      if (!pointed || Date.parse(pointed.at) > time) continue;
      const version = routedVersion(pointed.functionVersion, pointed.weights, k);
      const record = versionOf(fn, version);
      if (!record) continue;
      out.push({
        time,
        version,
        qualifier: alias.name,
        error: isUnhealthyAt(health, record, time),
      });
    }
  }
  return out;
}

/** Every invocation of a function in `[start, end)`: synthetic per alias, and recorded calls. */
function traffic(
  ctx: BackgroundContext,
  fn: FunctionRecord,
  start: number,
  end: number,
): Counted[] {
  const now = ctx.clock.now().getTime();
  const out = Object.values(fn.aliases).flatMap((alias) =>
    syntheticTraffic(ctx, fn, alias, start, end, now),
  );
  for (const call of fn.invocations) {
    const time = Date.parse(call.at);
    if (time < start || time >= end) continue;
    out.push({
      time,
      version: call.version,
      ...(call.qualifier !== undefined ? { qualifier: call.qualifier } : {}),
      error: call.error,
    });
  }
  return out;
}

/** The filter a query's dimensions mean, or undefined for dimensions Lambda does not emit. */
function selector(
  functionName: string,
  dimensions: Record<string, string>,
): ((call: Counted) => boolean) | undefined {
  const keys = Object.keys(dimensions).sort().join(',');
  if (keys === 'FunctionName') return () => true;
  if (keys === 'FunctionName,Resource') {
    const resource = dimensions['Resource'] ?? '';
    return (call) =>
      call.qualifier !== undefined && `${functionName}:${call.qualifier}` === resource;
  }
  if (keys === 'ExecutedVersion,FunctionName') {
    const executed = dimensions['ExecutedVersion'];
    return (call) => call.qualifier !== undefined && call.version === executed;
  }
  return undefined;
}

/** `metricSamples`: one sample per invocation (Invocations = 1; Errors = 0 or 1). */
export function lambdaMetricSamples(ctx: BackgroundContext, query: MetricQuery): MetricSample[] {
  if (query.namespace !== NAMESPACE) return [];
  if (query.metricName !== 'Invocations' && query.metricName !== 'Errors') return [];
  const functionName = query.dimensions['FunctionName'];
  if (functionName === undefined) return [];
  const state = ctx.peekState<LambdaState>(LAMBDA_SERVICE, query.accountId, query.region);
  if (!state || !Object.hasOwn(state.functions, functionName)) return [];
  const fn = state.functions[functionName];
  const select = selector(functionName, query.dimensions);
  if (!fn || !select) return [];
  const errors = query.metricName === 'Errors';
  return traffic(ctx, fn, query.start.getTime(), query.end.getTime())
    .filter(select)
    .map((call) => ({
      timestamp: new Date(call.time),
      value: errors ? (call.error ? 1 : 0) : 1,
      unit: 'Count',
    }));
}

/** `listMetrics`: the dimension sets each function currently emits. */
export function lambdaListMetrics(
  ctx: BackgroundContext,
  accountId: string,
  region: string,
): MetricIdentity[] {
  const state = ctx.peekState<LambdaState>(LAMBDA_SERVICE, accountId, region);
  const out: MetricIdentity[] = [];
  for (const fn of Object.values(state?.functions ?? {})) {
    const resources = new Set<string>();
    const executed = new Set<string>();
    for (const alias of Object.values(fn.aliases)) {
      resources.add(alias.name);
      executed.add(alias.functionVersion);
      for (const version of Object.keys(alias.weights)) executed.add(version);
    }
    for (const call of fn.invocations) {
      if (call.qualifier === undefined) continue;
      resources.add(call.qualifier);
      executed.add(call.version);
    }
    if (resources.size === 0 && fn.invocations.length === 0) continue;
    const sets: Record<string, string>[] = [
      { FunctionName: fn.name },
      ...[...resources].sort().map((q) => ({ FunctionName: fn.name, Resource: `${fn.name}:${q}` })),
      ...[...executed].sort().map((v) => ({ FunctionName: fn.name, ExecutedVersion: v })),
    ];
    for (const dimensions of sets) {
      for (const metricName of METRICS) out.push({ namespace: NAMESPACE, metricName, dimensions });
    }
  }
  return out;
}
