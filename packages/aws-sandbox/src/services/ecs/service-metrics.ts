// The metrics ECS services emit under the health model, per minute of emulated time: every
// running task serves REQUESTS_PER_TASK_MINUTE requests a minute, and a task running an image
// marked unhealthy answers them with 5xx. Services with target groups emit `AWS/ApplicationELB`
// `RequestCount` / `HTTPCode_Target_5XX_Count` by `{ TargetGroup }`; services without one emit
// the same names under `AWS/ECS` by `{ ClusterName, ServiceName }` (a sandbox convention).
import type {
  BackgroundContext,
  MetricIdentity,
  MetricQuery,
  MetricSample,
} from '../../framework/background.js';
import type { SandboxRuntime } from '../../framework/runtime.js';
import { ECS_SERVICE, type EcsCluster, type EcsService, type EcsState } from './ecs-state.js';
import { advanceEcs } from './ecs-world.js';
import { unhealthySince } from './image-health.js';
import { targetGroupOf } from './service-input.js';
import { taskEnd } from './task-lifecycle.js';

/** Requests each running task serves per minute. */
export const REQUESTS_PER_TASK_MINUTE = 60;
/** The share of its requests a task running an unhealthy image answers with a 5xx. */
export const UNHEALTHY_ERROR_RATE = 1;

const MINUTE = 60_000;
const ELB = 'AWS/ApplicationELB';
const ECS = 'AWS/ECS';
const METRICS = ['RequestCount', 'HTTPCode_Target_5XX_Count'];

/** `targetgroup/<name>/<id>`, the TargetGroup dimension of a target group ARN. */
export function targetGroupDimension(arn: string): string {
  return arn.split(':').slice(5).join(':');
}

function targetGroups(service: EcsService): string[] {
  return service.loadBalancers.flatMap((balancer) => {
    const arn = targetGroupOf(balancer);
    return arn !== undefined ? [targetGroupDimension(arn)] : [];
  });
}

function sameDimensions(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** The services a query's dimensions select, with their clusters. */
function selected(
  state: EcsState,
  query: MetricQuery,
): { cluster: EcsCluster; service: EcsService }[] {
  const out: { cluster: EcsCluster; service: EcsService }[] = [];
  for (const cluster of Object.values(state.clusters)) {
    for (const service of Object.values(cluster.services)) {
      const groups = targetGroups(service);
      const matches =
        query.namespace === ELB
          ? groups.some((group) => sameDimensions(query.dimensions, { TargetGroup: group }))
          : groups.length === 0 &&
            sameDimensions(query.dimensions, {
              ClusterName: cluster.clusterName,
              ServiceName: service.serviceName,
            });
      if (matches) out.push({ cluster, service });
    }
  }
  return out;
}

function overlap(from: number, to: number, start: number, end: number): number {
  return Math.max(0, Math.min(to, end) - Math.max(from, start));
}

/** Request and 5xx counts of one service in one minute. */
function minuteOf(
  runtime: SandboxRuntime,
  cluster: EcsCluster,
  service: EcsService,
  minute: number,
): { requests: number; errors: number } {
  let requests = 0;
  let errors = 0;
  for (const task of Object.values(cluster.tasks)) {
    if (task.serviceName !== service.serviceName) continue;
    if (task.outcome === undefined || task.outcome.kind === 'failed') continue;
    const from = Date.parse(task.readyAt);
    const to = taskEnd(task)?.at ?? Infinity;
    const ran = overlap(from, to, minute, minute + MINUTE);
    if (ran === 0) continue;
    requests += ran;
    const since = unhealthySince(runtime, task);
    if (since !== undefined) errors += overlap(Math.max(from, since), to, minute, minute + MINUTE);
  }
  const perMs = REQUESTS_PER_TASK_MINUTE / MINUTE;
  return {
    requests: Math.round(requests * perMs),
    errors: Math.round(errors * perMs * UNHEALTHY_ERROR_RATE),
  };
}

/** The samples ECS services emit for a query: one per complete minute they existed in. */
export function serviceMetricSamples(ctx: BackgroundContext, query: MetricQuery): MetricSample[] {
  if ((query.namespace !== ELB && query.namespace !== ECS) || !METRICS.includes(query.metricName)) {
    return [];
  }
  const state = ctx.peekState<EcsState>(ECS_SERVICE, query.accountId, query.region);
  if (!state) return [];
  const now = ctx.clock.now().getTime();
  advanceEcs(ctx.runtime, query.accountId, query.region, state, now);
  const services = selected(state, query);
  if (services.length === 0) return [];
  const byMinute = new Map<number, number>();
  const first = Math.ceil(query.start.getTime() / MINUTE) * MINUTE;
  const last = Math.min(query.end.getTime(), now - MINUTE + 1);
  for (const { cluster, service } of services) {
    const born = Math.floor(Date.parse(service.createdAt) / MINUTE) * MINUTE;
    const gone = service.inactiveAt !== undefined ? Date.parse(service.inactiveAt) : Infinity;
    for (let minute = Math.max(first, born); minute < last && minute < gone; minute += MINUTE) {
      const counts = minuteOf(ctx.runtime, cluster, service, minute);
      const value = query.metricName === 'RequestCount' ? counts.requests : counts.errors;
      byMinute.set(minute, (byMinute.get(minute) ?? 0) + value);
    }
  }
  return [...byMinute]
    .sort(([a], [b]) => a - b)
    .map(([minute, value]) => ({ timestamp: new Date(minute), value, unit: 'Count' }));
}

/** The metrics ECS services emit in an account and region. */
export function serviceMetricList(
  ctx: BackgroundContext,
  accountId: string,
  region: string,
): MetricIdentity[] {
  const state = ctx.peekState<EcsState>(ECS_SERVICE, accountId, region);
  if (!state) return [];
  const seen = new Map<string, MetricIdentity>();
  for (const cluster of Object.values(state.clusters)) {
    for (const service of Object.values(cluster.services)) {
      const groups = targetGroups(service);
      const identities: { namespace: string; dimensions: Record<string, string> }[] =
        groups.length > 0
          ? groups.map((group) => ({ namespace: ELB, dimensions: { TargetGroup: group } }))
          : [
              {
                namespace: ECS,
                dimensions: { ClusterName: cluster.clusterName, ServiceName: service.serviceName },
              },
            ];
      for (const identity of identities) {
        for (const metricName of METRICS) {
          const key = JSON.stringify([identity.namespace, metricName, identity.dimensions]);
          seen.set(key, { ...identity, metricName });
        }
      }
    }
  }
  return [...seen.values()];
}
