// A service's scheduler on the sandbox clock. Tasks start one after another (each takes
// `ecs.task-start`); every task of the PRIMARY deployment that starts healthy stops one task of
// an older deployment; once the PRIMARY deployment runs all its desired tasks, the older ones are
// drained and dropped and its rollout is COMPLETED. The deployment circuit breaker counts tasks
// that fail to start (image missing or not pullable) or fail health checks (image marked
// unhealthy: they run for `ecs.health-check-failure`, then stop) and fails the rollout at its
// threshold, rolling back to the last COMPLETED deployment when asked. Work is done lazily: every
// read first advances the service to the clock's now, event by event.
import { randomUUID } from 'node:crypto';
import { ecsDelay, HEALTH_CHECK_DELAY, TASK_START_DELAY } from './ecs-delays.js';
import { newDeploymentId } from './ecs-names.js';
import type { EcsDeployment, EcsService, EcsTask, EcsTaskDefinition } from './ecs-state.js';
import { isUnhealthyAt } from './image-health.js';
import { ownValue } from '../../state/own-record.js';
import { createTask, startTask, stopTask, taskEnd, type TaskPlace } from './task-lifecycle.js';

/** Service events ECS keeps. */
const MAX_EVENTS = 100;
/** Events one advance may process (a runaway guard; a day of 5 s failures is ~17 000). */
const MAX_STEPS = 200_000;
/** Events one instant may hold (a guard against an event that does not progress). */
const MAX_SAME_INSTANT = 1_000;

/** Where a service runs, and how to find its task definitions. */
export interface ServicePlace extends TaskPlace {
  definition(arn: string): EcsTaskDefinition | undefined;
}

/** The circuit breaker's failed-task threshold: half the desired count, within [3, 200]. */
export function failureThreshold(desiredCount: number): number {
  return Math.min(Math.max(Math.ceil(desiredCount / 2), 3), 200);
}

const iso = (at: number): string => new Date(at).toISOString();

/** Adds a service event (newest first). */
export function serviceEvent(service: EcsService, at: number, message: string): void {
  service.events.unshift({ id: randomUUID(), createdAt: iso(at), message });
  if (service.events.length > MAX_EVENTS) service.events.length = MAX_EVENTS;
}

/**
 * The service's tasks that have not stopped by `at` (launching ones included). Times only move
 * forward, so tasks found stopped leave the service's index for good.
 */
export function liveTasks(place: TaskPlace, service: EcsService, at: number): EcsTask[] {
  const live: EcsTask[] = [];
  for (const id of service.liveTaskIds) {
    const task = ownValue(place.cluster.tasks, id);
    const end = task ? taskEnd(task) : undefined;
    if (task && (end === undefined || end.at > at)) live.push(task);
  }
  service.liveTaskIds = live.map((task) => task.taskId);
  return live;
}

const ofDeployment = (tasks: EcsTask[], id: string): EcsTask[] =>
  tasks.filter((task) => task.deploymentId === id);

const started = (task: EcsTask): boolean => task.outcome !== undefined;
const healthy = (task: EcsTask): boolean => task.outcome?.kind === 'running';

function taskList(tasks: readonly EcsTask[]): string {
  return tasks.map((task) => `(task ${task.taskId})`).join(' ');
}

function stopAll(service: EcsService, tasks: EcsTask[], at: number, reason: string): void {
  if (tasks.length === 0) return;
  const running = tasks.filter(started);
  for (const task of tasks) stopTask(task, at, 'ServiceSchedulerInitiated', reason);
  if (running.length > 0) {
    serviceEvent(
      service,
      at,
      `(service ${service.serviceName}) has stopped ${running.length} running tasks: ${taskList(running)}.`,
    );
  }
}

function launch(place: ServicePlace, service: EcsService, deployment: EcsDeployment, at: number) {
  const definition = place.definition(deployment.taskDefinition);
  if (!definition) return;
  const task = createTask(place, {
    definition,
    at,
    overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [] },
    containerOverrides: [],
    group: `service:${service.serviceName}`,
    startedBy: deployment.id,
    ...(deployment.launchType !== undefined ? { launchType: deployment.launchType } : {}),
    ...(deployment.platformVersion !== undefined
      ? { platformVersion: deployment.platformVersion }
      : {}),
    tags: service.propagateTags === 'SERVICE' ? [...service.tags] : [],
    enableExecuteCommand: service.enableExecuteCommand,
    service: { serviceName: service.serviceName, deploymentId: deployment.id },
  });
  if (service.propagateTags === 'TASK_DEFINITION') task.tags = [...definition.tags];
  if (service.enableECSManagedTags) {
    task.tags.push(
      { key: 'aws:ecs:clusterName', value: service.clusterName },
      { key: 'aws:ecs:serviceName', value: service.serviceName },
    );
  }
  service.launching = task.taskId;
  service.liveTaskIds.push(task.taskId);
  serviceEvent(
    service,
    at,
    `(service ${service.serviceName}) has started 1 tasks: (task ${task.taskId}).`,
  );
}

function healthFailure(service: EcsService): string {
  const groups = service.loadBalancers.flatMap((balancer) => {
    const arn =
      balancer !== null && typeof balancer === 'object' && !Array.isArray(balancer)
        ? balancer['targetGroupArn']
        : undefined;
    return typeof arn === 'string' ? [arn] : [];
  });
  return groups.length > 0
    ? `Task failed ELB health checks in (target-group ${groups[0] ?? ''})`
    : 'Task failed container health checks';
}

function failRollout(place: ServicePlace, service: EcsService, failed: EcsDeployment, at: number) {
  failed.rolloutState = 'FAILED';
  failed.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
  failed.updatedAt = iso(at);
  serviceEvent(
    service,
    at,
    `(service ${service.serviceName}) (deployment ${failed.id}) deployment failed: tasks failed to start.`,
  );
  if (!service.deploymentConfiguration.circuitBreaker.rollback) return;
  const target = service.deployments.find(
    (deployment) => deployment !== failed && deployment.rolloutState === 'COMPLETED',
  );
  if (!target) return;
  failed.status = 'ACTIVE';
  target.status = 'PRIMARY';
  target.rolloutState = 'IN_PROGRESS';
  target.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${target.id}.`;
  target.updatedAt = iso(at);
  target.desiredCount = service.desiredCount;
  service.deployments = [target, ...service.deployments.filter((d) => d !== target)];
  service.taskDefinition = target.taskDefinition;
  // The restored deployment is confirmed steady one task-start period later.
  service.settleAt = iso(at + ecsDelay(place.runtime, TASK_START_DELAY));
  serviceEvent(
    service,
    at,
    `(service ${service.serviceName}) rolling back to deployment ${target.id} (${target.taskDefinition}).`,
  );
  if (service.launching !== undefined) {
    const launching = ownValue(place.cluster.tasks, service.launching);
    if (launching?.deploymentId === failed.id) {
      stopTask(
        launching,
        at,
        'ServiceSchedulerInitiated',
        `Scaling activity initiated by (deployment ${target.id})`,
      );
      delete service.launching;
    }
  }
}

function recordFailure(
  place: ServicePlace,
  service: EcsService,
  deploymentId: string | undefined,
  at: number,
): void {
  const deployment = service.deployments.find((d) => d.id === deploymentId);
  if (!deployment) return;
  deployment.failedTasks += 1;
  deployment.updatedAt = iso(at);
  const breaker = service.deploymentConfiguration.circuitBreaker;
  if (
    breaker.enable &&
    deployment.status === 'PRIMARY' &&
    deployment.rolloutState === 'IN_PROGRESS' &&
    deployment.failedTasks >= failureThreshold(deployment.desiredCount)
  ) {
    failRollout(place, service, deployment, at);
  }
}

/** Stops one task of the oldest older deployment that still has one (a rolling replacement). */
function drainOne(service: EcsService, tasks: EcsTask[], primary: EcsDeployment, at: number) {
  for (const deployment of [...service.deployments].reverse()) {
    if (deployment === primary) continue;
    const victim = ofDeployment(tasks, deployment.id).find(started);
    if (!victim) continue;
    stopAll(service, [victim], at, `Scaling activity initiated by (deployment ${primary.id})`);
    return;
  }
}

/** Brings the service's tasks towards its PRIMARY deployment at `at`. */
export function reconcile(place: ServicePlace, service: EcsService, at: number): void {
  if (service.status !== 'ACTIVE') return;
  const primary = service.deployments[0];
  if (!primary) return;
  const reason = `Scaling activity initiated by (deployment ${primary.id})`;
  let tasks = liveTasks(place, service, at);
  let mine = ofDeployment(tasks, primary.id);
  const runningMine = mine.filter(started);
  if (runningMine.length > primary.desiredCount) {
    // Unhealthy ones first, then the newest.
    const excess = [...runningMine]
      .sort(
        (a, b) => Number(healthy(a)) - Number(healthy(b)) || b.createdAt.localeCompare(a.createdAt),
      )
      .slice(0, runningMine.length - primary.desiredCount);
    stopAll(service, excess, at, reason);
    tasks = liveTasks(place, service, at);
    mine = ofDeployment(tasks, primary.id);
  }
  const launching =
    service.launching !== undefined ? ownValue(place.cluster.tasks, service.launching) : undefined;
  if (
    launching?.deploymentId === primary.id &&
    mine.filter(started).length >= primary.desiredCount
  ) {
    stopTask(launching, at, 'ServiceSchedulerInitiated', reason);
    delete service.launching;
  }
  const healthyCount = mine.filter(healthy).length;
  const settled = service.settleAt === undefined || Date.parse(service.settleAt) <= at;
  if (healthyCount >= primary.desiredCount && settled) {
    stopAll(
      service,
      tasks.filter((task) => task.deploymentId !== primary.id),
      at,
      reason,
    );
    if (
      service.launching !== undefined &&
      ownValue(place.cluster.tasks, service.launching)?.deploymentId !== primary.id
    ) {
      delete service.launching;
    }
    service.deployments = [primary];
    delete service.settleAt;
    if (primary.rolloutState === 'IN_PROGRESS') {
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
      primary.updatedAt = iso(at);
      serviceEvent(
        service,
        at,
        `(service ${service.serviceName}) (deployment ${primary.id}) deployment completed.`,
      );
    }
    if (!service.steady) {
      service.steady = true;
      serviceEvent(service, at, `(service ${service.serviceName}) has reached a steady state.`);
    }
    return;
  }
  service.steady = false;
  if (
    service.launching === undefined &&
    primary.rolloutState !== 'FAILED' &&
    mine.length < primary.desiredCount
  ) {
    launch(place, service, primary, at);
  }
}

/** The next moment something happens to the service, if anything will. */
function nextEventAt(place: ServicePlace, service: EcsService): number | undefined {
  const times: number[] = [];
  if (service.launching !== undefined) {
    const task = ownValue(place.cluster.tasks, service.launching);
    if (task) times.push(Date.parse(task.readyAt));
  }
  for (const id of service.liveTaskIds) {
    const task = ownValue(place.cluster.tasks, id);
    if (task?.outcome?.kind === 'unhealthy' && !task.stop) {
      times.push(Date.parse(task.outcome.failsAt));
    }
  }
  if (service.settleAt !== undefined) times.push(Date.parse(service.settleAt));
  return times.length > 0 ? Math.min(...times) : undefined;
}

function processAt(place: ServicePlace, service: EcsService, at: number): void {
  const { runtime } = place;
  if (service.launching !== undefined) {
    const task = ownValue(place.cluster.tasks, service.launching);
    if (!task) delete service.launching;
    else if (Date.parse(task.readyAt) <= at) {
      delete service.launching;
      if (task.stop === undefined || Date.parse(task.stop.at) > at) {
        startTask(place, task);
        const owner = service.deployments.find((d) => d.id === task.deploymentId);
        if (owner) owner.updatedAt = iso(at);
        const primary = service.deployments[0];
        if (task.outcome?.kind === 'failed') {
          recordFailure(place, service, task.deploymentId, at);
        } else if (
          service.deploymentConfiguration.circuitBreaker.enable &&
          isUnhealthyAt(runtime, task, at)
        ) {
          task.outcome = {
            kind: 'unhealthy',
            failsAt: iso(at + ecsDelay(runtime, HEALTH_CHECK_DELAY)),
            reason: healthFailure(service),
          };
        } else if (primary && task.deploymentId === primary.id) {
          drainOne(service, liveTasks(place, service, at), primary, at);
        }
      }
    }
  }
  for (const id of [...service.liveTaskIds]) {
    const task = ownValue(place.cluster.tasks, id);
    if (task?.outcome?.kind !== 'unhealthy') continue;
    if (task.stop || Date.parse(task.outcome.failsAt) > at) continue;
    // Recorded as the task's stop, which also marks the failure as counted.
    task.stop = {
      at: task.outcome.failsAt,
      code: 'ServiceSchedulerInitiated',
      reason: task.outcome.reason,
    };
    serviceEvent(
      service,
      at,
      `(service ${service.serviceName}) (task ${task.taskId}) failed ${task.outcome.reason.startsWith('Task failed ELB') ? 'ELB' : 'container'} health checks.`,
    );
    recordFailure(place, service, task.deploymentId, at);
  }
  if (service.settleAt !== undefined && Date.parse(service.settleAt) <= at) delete service.settleAt;
  reconcile(place, service, at);
}

/** Advances a service to `now`, event by event. */
export function advanceService(place: ServicePlace, service: EcsService, now: number): void {
  let last = -Infinity;
  let repeats = 0;
  for (let step = 0; step < MAX_STEPS; step++) {
    if (service.status !== 'ACTIVE') return;
    const next = nextEventAt(place, service);
    if (next === undefined || next > now) return;
    // Every event moves the service on; many at one instant would mean one that does not.
    repeats = next === last ? repeats + 1 : 0;
    if (repeats > MAX_SAME_INSTANT) return;
    last = next;
    processAt(place, service, next);
  }
}

/** What a new deployment runs. */
export interface DeploymentSpec {
  taskDefinition: string;
  /** @default none (a capacity provider strategy, or EC2) */
  launchType?: string;
  /** @default none */
  capacityProviderStrategy?: EcsDeployment['capacityProviderStrategy'];
  /** @default none */
  platformVersion?: string;
  /** @default none (not awsvpc) */
  networkConfiguration?: EcsDeployment['networkConfiguration'];
}

/** Starts a new PRIMARY deployment at `at` (the previous one becomes ACTIVE). */
export function startDeployment(
  place: ServicePlace,
  service: EcsService,
  spec: DeploymentSpec,
  at: number,
): EcsDeployment {
  for (const deployment of service.deployments) deployment.status = 'ACTIVE';
  const id = newDeploymentId();
  const deployment: EcsDeployment = {
    id,
    status: 'PRIMARY',
    taskDefinition: spec.taskDefinition,
    desiredCount: service.desiredCount,
    failedTasks: 0,
    createdAt: iso(at),
    updatedAt: iso(at),
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ${id} in progress.`,
    ...(spec.launchType !== undefined ? { launchType: spec.launchType } : {}),
    ...(spec.capacityProviderStrategy !== undefined
      ? { capacityProviderStrategy: spec.capacityProviderStrategy }
      : {}),
    ...(spec.platformVersion !== undefined ? { platformVersion: spec.platformVersion } : {}),
    ...(spec.networkConfiguration !== undefined
      ? { networkConfiguration: spec.networkConfiguration }
      : {}),
  };
  service.deployments.unshift(deployment);
  service.taskDefinition = spec.taskDefinition;
  delete service.settleAt;
  service.steady = false;
  reconcile(place, service, at);
  return deployment;
}

/** Deletes a service at `at`: its tasks stop, and it is INACTIVE. */
export function retireService(place: ServicePlace, service: EcsService, at: number): void {
  stopAll(
    service,
    liveTasks(place, service, at),
    at,
    `Scaling activity initiated by (service ${service.serviceName})`,
  );
  delete service.launching;
  delete service.settleAt;
  service.desiredCount = 0;
  for (const deployment of service.deployments) deployment.desiredCount = 0;
  service.status = 'INACTIVE';
  service.inactiveAt = iso(at);
}
