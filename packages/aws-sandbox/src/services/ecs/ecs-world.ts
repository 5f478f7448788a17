// The one accessor of ECS state: it first brings every cluster to the clock's now (service
// rollouts, task starts, log output), then drops what ECS forgets after an hour.
import type { SandboxRuntime } from '../../framework/runtime.js';
import { parseEcsArn } from './ecs-names.js';
import {
  ECS_SERVICE,
  initEcsState,
  type EcsCluster,
  type EcsState,
  type EcsTaskDefinition,
} from './ecs-state.js';
import { ownValue } from '../../state/own-record.js';
import { advanceService, type ServicePlace } from './rollout.js';
import { startTask, taskEnd } from './task-lifecycle.js';

/** How long stopped tasks and inactive services stay visible (ECS: at least an hour). */
export const RETENTION_MS = 60 * 60 * 1000;

/** The task definition an ARN names in this state, if any. */
export function definitionByArn(state: EcsState, arn: string): EcsTaskDefinition | undefined {
  const parsed = parseEcsArn(arn);
  const ref = parsed?.type === 'task-definition' ? parsed.path.join('/') : undefined;
  const match = ref !== undefined ? /^(.+):(\d+)$/.exec(ref) : null;
  if (!match) return undefined;
  return ownValue(state.families, match[1] ?? '')?.revisions[Number(match[2]) - 1];
}

/** The place a cluster's services and tasks run in. */
export function servicePlace(
  runtime: SandboxRuntime,
  accountId: string,
  region: string,
  state: EcsState,
  cluster: EcsCluster,
): ServicePlace {
  return {
    runtime,
    accountId,
    region,
    cluster,
    definition: (arn) => definitionByArn(state, arn),
  };
}

/** Brings a region's ECS state to `now`. */
export function advanceEcs(
  runtime: SandboxRuntime,
  accountId: string,
  region: string,
  state: EcsState,
  now: number,
): void {
  for (const cluster of Object.values(state.clusters)) {
    const place = servicePlace(runtime, accountId, region, state, cluster);
    for (const service of Object.values(cluster.services)) advanceService(place, service, now);
    for (const task of Object.values(cluster.tasks)) {
      if (task.serviceName !== undefined || task.outcome !== undefined) continue;
      const ready = Date.parse(task.readyAt);
      if (ready > now || (task.stop !== undefined && Date.parse(task.stop.at) <= ready)) continue;
      startTask(place, task);
    }
    for (const task of Object.values(cluster.tasks)) {
      const end = taskEnd(task);
      if (end !== undefined && end.at + RETENTION_MS <= now) delete cluster.tasks[task.taskId];
    }
    for (const service of Object.values(cluster.services)) {
      if (
        service.inactiveAt !== undefined &&
        Date.parse(service.inactiveAt) + RETENTION_MS <= now
      ) {
        delete cluster.services[service.serviceName];
      }
    }
  }
}

/** ECS's state in an account and region, advanced to the clock's now. */
export function ecsState(runtime: SandboxRuntime, accountId: string, region: string): EcsState {
  const state = runtime.serviceState(ECS_SERVICE, accountId, region, initEcsState);
  advanceEcs(runtime, accountId, region, state, runtime.clock.now().getTime());
  return state;
}
