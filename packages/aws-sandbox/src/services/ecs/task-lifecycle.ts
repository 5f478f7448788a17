// A task's life on the sandbox clock: created PROVISIONING, PENDING halfway to its `readyAt`,
// then RUNNING (image pulled, awslogs stream written) or STOPPED when the start failed, and
// STOPPED when an essential container exits, StopTask or the service scheduler stops it.
import type { InputValue } from '../../framework/input.js';
import type { SandboxRuntime } from '../../framework/runtime.js';
import { appendLogEvents } from '../logs/append-log-events.js';
import { containerBehaviour, mergeEnvironment } from './container-conventions.js';
import { ecsDelay, TASK_START_DELAY } from './ecs-delays.js';
import { containerArn, newTaskId, taskArn } from './ecs-names.js';
import type {
  EcsCluster,
  EcsTag,
  EcsTask,
  EcsTaskContainer,
  EcsTaskDefinition,
  StopCode,
} from './ecs-state.js';
import { pullImage } from './image-pull.js';
import { putOwn } from '../../state/own-record.js';

/** Where a task runs. */
export interface TaskPlace {
  runtime: SandboxRuntime;
  accountId: string;
  region: string;
  cluster: EcsCluster;
}

/** A container override of RunTask. */
export interface ContainerOverride {
  name: string;
  environment: { name: string; value: string }[];
}

/** Everything a new task needs besides its place. */
export interface NewTask {
  definition: EcsTaskDefinition;
  /** Epoch ms of the launch. */
  at: number;
  overrides: InputValue;
  containerOverrides: ContainerOverride[];
  group: string;
  /** @default none */
  startedBy?: string;
  /** @default none (a capacity provider) */
  launchType?: string;
  /** @default none (a launch type) */
  capacityProviderName?: string;
  /** @default none */
  platformVersion?: string;
  tags: EcsTag[];
  enableExecuteCommand: boolean;
  /**
   * The service and deployment that start the task. Service tasks run until the scheduler stops
   * them: of the conventions only SANDBOX_LOG_LINES applies. @default none (RunTask)
   */
  service?: { serviceName: string; deploymentId: string };
}

const AZ_SUFFIXES = ['a', 'b', 'c'];

function record(value: InputValue | undefined): Record<string, InputValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function pairs(value: InputValue | undefined): { name: string; value: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const entry = record(item);
    return typeof entry['name'] === 'string'
      ? [{ name: entry['name'], value: typeof entry['value'] === 'string' ? entry['value'] : '' }]
      : [];
  });
}

function optNumber(value: InputValue | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function awslogsOptions(
  definition: Record<string, InputValue>,
): Record<string, string> | undefined {
  const logging = record(definition['logConfiguration']);
  if (logging['logDriver'] !== 'awslogs') return undefined;
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(logging['options']))) {
    if (typeof value === 'string') options[key] = value;
  }
  return options;
}

/**
 * Creates a task (PROVISIONING at `at`, ready one `ecs.task-start` later) in the cluster. Throws
 * `InvalidParameterException` for a malformed sandbox convention variable.
 */
export function createTask(place: TaskPlace, spec: NewTask): EcsTask {
  const { runtime, accountId, region, cluster } = place;
  const taskId = newTaskId();
  const definitions = Array.isArray(spec.definition.body['containerDefinitions'])
    ? spec.definition.body['containerDefinitions'].map(record)
    : [];
  const containers: EcsTaskContainer[] = definitions.map((definition) => {
    const name = typeof definition['name'] === 'string' ? definition['name'] : '';
    const override = spec.containerOverrides.find((entry) => entry.name === name);
    const environment = mergeEnvironment(
      pairs(definition['environment']),
      override?.environment ?? [],
    );
    const behaviour = containerBehaviour(
      name,
      spec.service
        ? environment.filter((entry) => entry.name === 'SANDBOX_LOG_LINES')
        : environment,
    );
    const awslogs = awslogsOptions(definition);
    const cpu = optNumber(definition['cpu']);
    const memory = optNumber(definition['memory']);
    const memoryReservation = optNumber(definition['memoryReservation']);
    return {
      name,
      containerArn: containerArn(region, accountId, cluster.clusterName, taskId),
      image: typeof definition['image'] === 'string' ? definition['image'] : '',
      essential: definition['essential'] !== false,
      exitCode: behaviour.exitCode,
      runMs: spec.service ? null : behaviour.runMs,
      logLines: behaviour.logLines,
      ...(awslogs ? { awslogs } : {}),
      ...(cpu !== undefined ? { cpu } : {}),
      ...(memory !== undefined ? { memory } : {}),
      ...(memoryReservation !== undefined ? { memoryReservation } : {}),
    };
  });
  const body = spec.definition.body;
  const task: EcsTask = {
    taskId,
    taskArn: taskArn(region, accountId, cluster.clusterName, taskId),
    clusterName: cluster.clusterName,
    taskDefinitionArn: spec.definition.taskDefinitionArn,
    createdAt: new Date(spec.at).toISOString(),
    readyAt: new Date(spec.at + ecsDelay(runtime, TASK_START_DELAY)).toISOString(),
    containers,
    ...(spec.launchType !== undefined ? { launchType: spec.launchType } : {}),
    ...(spec.capacityProviderName !== undefined
      ? { capacityProviderName: spec.capacityProviderName }
      : {}),
    ...(spec.platformVersion !== undefined ? { platformVersion: spec.platformVersion } : {}),
    ...(typeof body['cpu'] === 'string' ? { cpu: body['cpu'] } : {}),
    ...(typeof body['memory'] === 'string' ? { memory: body['memory'] } : {}),
    group: spec.group,
    ...(spec.startedBy !== undefined ? { startedBy: spec.startedBy } : {}),
    overrides: spec.overrides,
    tags: spec.tags,
    ...(spec.service
      ? { serviceName: spec.service.serviceName, deploymentId: spec.service.deploymentId }
      : {}),
    availabilityZone: `${region}${AZ_SUFFIXES[taskId.charCodeAt(0) % AZ_SUFFIXES.length] ?? 'a'}`,
    attachments: [],
    enableExecuteCommand: spec.enableExecuteCommand,
  };
  putOwn(cluster.tasks, taskId, task);
  return task;
}

/**
 * Completes a task's start at its `readyAt`: pulls every image, creates the awslogs streams with
 * the containers' log lines. Sets `outcome` to `running`, or `failed` with ECS's reason.
 */
export function startTask(place: TaskPlace, task: EcsTask): void {
  const { runtime, accountId, region } = place;
  const readyAt = Date.parse(task.readyAt);
  for (const container of task.containers) {
    const pulled = pullImage(runtime, container.image, accountId);
    if (!pulled.ok) {
      task.outcome = { kind: 'failed', reason: pulled.reason };
      return;
    }
    if (pulled.digest !== undefined) container.imageDigest = pulled.digest;
  }
  for (const container of task.containers) {
    const options = container.awslogs;
    const group = options?.['awslogs-group'];
    if (options === undefined || group === undefined) continue;
    const prefix = options['awslogs-stream-prefix'];
    const stream =
      prefix !== undefined && prefix !== ''
        ? `${prefix}/${container.name}/${task.taskId}`
        : `${container.name}/${task.taskId}`;
    try {
      appendLogEvents(
        runtime,
        {
          accountId,
          region: options['awslogs-region'] ?? region,
          logGroupName: group,
          logStreamName: stream,
        },
        container.logLines.map((message) => ({ timestamp: readyAt, message })),
        { createGroup: options['awslogs-create-group'] === 'true' },
      );
    } catch {
      task.outcome = {
        kind: 'failed',
        reason:
          'ResourceInitializationError: failed to validate logger args: create stream has been ' +
          'retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: ' +
          'The specified log group does not exist. : exit status 1',
      };
      return;
    }
  }
  task.outcome = { kind: 'running' };
}

/** How and when a task stops (possibly in the future), or undefined while nothing stops it. */
export interface TaskEnd {
  at: number;
  code: StopCode;
  reason: string;
}

/** The stop that ends the task first, known from its outcome and stop request. */
export function taskEnd(task: EcsTask): TaskEnd | undefined {
  const readyAt = Date.parse(task.readyAt);
  const candidates: TaskEnd[] = [];
  if (task.stop) {
    candidates.push({
      at: Date.parse(task.stop.at),
      code: task.stop.code,
      reason: task.stop.reason,
    });
  }
  const outcome = task.outcome;
  if (outcome?.kind === 'failed') {
    candidates.push({ at: readyAt, code: 'TaskFailedToStart', reason: outcome.reason });
  } else if (outcome !== undefined) {
    if (outcome.kind === 'unhealthy') {
      candidates.push({
        at: Date.parse(outcome.failsAt),
        code: 'ServiceSchedulerInitiated',
        reason: outcome.reason,
      });
    }
    const exits = task.containers
      .filter((container) => container.essential && container.runMs !== null)
      .map((container) => readyAt + (container.runMs ?? 0));
    if (exits.length > 0) {
      candidates.push({
        at: Math.min(...exits),
        code: 'EssentialContainerExited',
        reason: 'Essential container in task exited',
      });
    }
  }
  candidates.sort((a, b) => a.at - b.at);
  return candidates[0];
}

/** A task's `lastStatus` at `now`. */
export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'STOPPED';

/** The task's status at `now` (the task must have been advanced to `now`). */
export function taskStatus(task: EcsTask, now: number): TaskStatus {
  const end = taskEnd(task);
  if (end !== undefined && end.at <= now) return 'STOPPED';
  const created = Date.parse(task.createdAt);
  const ready = Date.parse(task.readyAt);
  if (now >= ready && task.outcome !== undefined) return 'RUNNING';
  return now >= created + (ready - created) / 2 ? 'PENDING' : 'PROVISIONING';
}

/** Asks a task to stop at `at` (no-op when it already stops earlier). */
export function stopTask(task: EcsTask, at: number, code: StopCode, reason: string): void {
  const end = taskEnd(task);
  if (end !== undefined && end.at <= at) return;
  task.stop = { at: new Date(at).toISOString(), code, reason };
}
