// A task as RunTask / DescribeTasks / StopTask return it, as of now on the sandbox clock.
import { clusterArn } from './ecs-names.js';
import type { EcsTask, EcsTaskContainer } from './ecs-state.js';
import { taskEnd, taskStatus, type TaskEnd, type TaskStatus } from './task-lifecycle.js';

/** Exit code of a container ECS stopped (SIGTERM). */
const STOPPED_EXIT_CODE = 143;

/** The task's desired status at `now`. */
export function desiredStatus(task: EcsTask, now: number): 'RUNNING' | 'STOPPED' {
  const end = taskEnd(task);
  return task.stop !== undefined || (end !== undefined && end.at <= now) ? 'STOPPED' : 'RUNNING';
}

function renderContainer(
  task: EcsTask,
  container: EcsTaskContainer,
  status: TaskStatus,
  end: TaskEnd | undefined,
  now: number,
): Record<string, unknown> {
  const readyAt = Date.parse(task.readyAt);
  const ran = task.outcome !== undefined && task.outcome.kind !== 'failed';
  const exitedAt = container.runMs !== null ? readyAt + container.runMs : undefined;
  let lastStatus = 'PENDING';
  let exitCode: number | undefined;
  if (status === 'RUNNING') {
    if (exitedAt !== undefined && exitedAt <= now) {
      lastStatus = 'STOPPED';
      exitCode = container.exitCode;
    } else lastStatus = 'RUNNING';
  } else if (status === 'STOPPED') {
    lastStatus = 'STOPPED';
    if (ran && end !== undefined) {
      exitCode =
        exitedAt !== undefined && exitedAt <= end.at ? container.exitCode : STOPPED_EXIT_CODE;
    }
  }
  const failed = task.outcome?.kind === 'failed' && container.imageDigest === undefined;
  return {
    containerArn: container.containerArn,
    taskArn: task.taskArn,
    name: container.name,
    image: container.image,
    ...(container.imageDigest !== undefined ? { imageDigest: container.imageDigest } : {}),
    ...(ran ? { runtimeId: `${task.taskId}-${container.name}` } : {}),
    lastStatus,
    ...(exitCode !== undefined ? { exitCode } : {}),
    ...(failed && task.outcome?.kind === 'failed' ? { reason: task.outcome.reason } : {}),
    networkBindings: [],
    networkInterfaces: [],
    healthStatus: 'UNKNOWN',
    ...(container.cpu !== undefined ? { cpu: String(container.cpu) } : {}),
    ...(container.memory !== undefined ? { memory: String(container.memory) } : {}),
    ...(container.memoryReservation !== undefined
      ? { memoryReservation: String(container.memoryReservation) }
      : {}),
  };
}

/** Renders a task; `tags` includes its tags (RunTask, or DescribeTasks with `include: TAGS`). */
export function renderTask(
  task: EcsTask,
  where: { accountId: string; region: string },
  now: number,
  options: { tags?: boolean } = {},
): Record<string, unknown> {
  const status = taskStatus(task, now);
  const end = taskEnd(task);
  const stopped = end !== undefined && end.at <= now ? end : undefined;
  const readyAt = new Date(task.readyAt);
  const running = status === 'RUNNING' || (stopped !== undefined && task.outcome !== undefined);
  const pulled = task.outcome !== undefined;
  const transitions = ['PROVISIONING', 'PENDING', 'RUNNING', 'STOPPED'].indexOf(status) + 1;
  return {
    attachments: task.attachments,
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: task.availabilityZone,
    ...(task.capacityProviderName !== undefined
      ? { capacityProviderName: task.capacityProviderName }
      : {}),
    clusterArn: clusterArn(where.region, where.accountId, task.clusterName),
    connectivity: status === 'PROVISIONING' ? 'DISCONNECTED' : 'CONNECTED',
    containers: task.containers.map((c) => renderContainer(task, c, status, end, now)),
    ...(task.cpu !== undefined ? { cpu: task.cpu } : {}),
    ...(task.memory !== undefined ? { memory: task.memory } : {}),
    createdAt: new Date(task.createdAt),
    desiredStatus: desiredStatus(task, now),
    enableExecuteCommand: task.enableExecuteCommand,
    group: task.group,
    healthStatus: 'UNKNOWN',
    lastStatus: status,
    ...(task.launchType !== undefined ? { launchType: task.launchType } : {}),
    overrides: task.overrides,
    ...(task.platformVersion !== undefined
      ? { platformVersion: task.platformVersion, platformFamily: 'Linux' }
      : {}),
    ...(pulled ? { pullStartedAt: new Date(task.createdAt), pullStoppedAt: readyAt } : {}),
    ...(running && task.outcome?.kind !== 'failed' ? { startedAt: readyAt } : {}),
    ...(task.startedBy !== undefined ? { startedBy: task.startedBy } : {}),
    ...(stopped !== undefined
      ? {
          stopCode: stopped.code,
          stoppedReason: stopped.reason,
          stoppingAt: new Date(stopped.at),
          executionStoppedAt: new Date(stopped.at),
          stoppedAt: new Date(stopped.at),
        }
      : task.stop !== undefined
        ? { stopCode: task.stop.code, stoppedReason: task.stop.reason }
        : {}),
    ...(options.tags === true ? { tags: task.tags } : {}),
    taskArn: task.taskArn,
    taskDefinitionArn: task.taskDefinitionArn,
    version: transitions,
    ...(task.launchType === 'FARGATE' ? { ephemeralStorage: { sizeInGiB: 20 } } : {}),
  };
}
