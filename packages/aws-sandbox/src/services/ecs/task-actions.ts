// Standalone tasks: RunTask (with overrides and the sandbox conventions), DescribeTasks,
// StopTask, ListTasks.
import type { ResourceTarget } from '../../auth/authorizer.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { authorizeTagOnCreate, passRoles, requestTagContext, target } from './ecs-access.js';
import { invalidParameter } from './ecs-errors.js';
import { boundedList, ecsPage, enumParam, readTags } from './ecs-input.js';
import {
  activeCluster,
  clusterNameOf,
  findTaskDefinition,
  parseTaskDefinitionRef,
  taskIdOf,
  usableTaskDefinition,
} from './ecs-lookup.js';
import { clusterArn, taskArn, taskDefinitionArn } from './ecs-names.js';
import type { EcsTask } from './ecs-state.js';
import { ecsState, servicePlace } from './ecs-world.js';
import { ownValue } from '../../state/own-record.js';
import { checkPlacement } from './service-input.js';
import { createTask, stopTask, taskStatus, type ContainerOverride } from './task-lifecycle.js';
import { desiredStatus, renderTask } from './task-render.js';

const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const;

function clusterCondition(ctx: ActionContext): Record<string, string> {
  return {
    'ecs:cluster': clusterArn(
      ctx.region,
      ctx.accountId,
      clusterNameOf(ctx, ctx.input.str('cluster')),
    ),
  };
}

/** RunTask's resource: the task definition (its ARN when it exists). */
function definitionTarget(ctx: ActionContext): ResourceTarget {
  const ref = ctx.input.reqStr('taskDefinition');
  const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
  const definition = findTaskDefinition(state, ref);
  if (definition) {
    return target(definition.taskDefinitionArn, definition.tags, clusterCondition(ctx));
  }
  const { family, revision } = parseTaskDefinitionRef(ref);
  return target(
    taskDefinitionArn(ctx.region, ctx.accountId, family, revision ?? 1),
    [],
    clusterCondition(ctx),
  );
}

function taskTargets(ctx: ActionContext, refs: string[]): ResourceTarget[] {
  const name = clusterNameOf(ctx, ctx.input.str('cluster'));
  const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
  const cluster = ownValue(state.clusters, name);
  return refs.map((ref) => {
    const id = taskIdOf(ref);
    const task = cluster ? ownValue(cluster.tasks, id) : undefined;
    return target(taskArn(ctx.region, ctx.accountId, name, id), task?.tags, clusterCondition(ctx));
  });
}

function readOverrides(ctx: ActionContext): ContainerOverride[] {
  const overrides = ctx.input.obj('overrides');
  return (overrides?.list('containerOverrides') ?? []).map((override) => ({
    name: override.reqStr('name'),
    environment: override.list('environment').map((entry) => ({
      name: entry.reqStr('name'),
      value: entry.str('value') ?? '',
    })),
  }));
}

/** Task actions. */
export const taskActions: Record<string, ActionDefinition> = {
  RunTask: {
    validate: (ctx) => {
      ctx.input.reqStr('taskDefinition');
      const count = ctx.input.int('count') ?? 1;
      if (count < 1 || count > 10) throw invalidParameter('count must be between 1 and 10.');
      enumParam(ctx.input, 'launchType', LAUNCH_TYPES);
      enumParam(ctx.input, 'propagateTags', ['TASK_DEFINITION', 'SERVICE', 'NONE']);
      if ((ctx.input.str('startedBy') ?? '').length > 128) {
        throw invalidParameter('startedBy can be at most 128 characters.');
      }
      readOverrides(ctx);
      readTags(ctx.input);
    },
    resources: (ctx) => [definitionTarget(ctx)],
    context: (ctx) => requestTagContext(readTags(ctx.input)),
    handler: async (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const cluster = activeCluster(ctx, state);
      const now = ctx.clock.now().getTime();
      const where = { accountId: ctx.accountId, region: ctx.region };
      const token = ctx.input.str('clientToken');
      if (token !== undefined) {
        const earlier = Object.values(cluster.tasks).filter((task) => task.clientToken === token);
        if (earlier.length > 0) {
          return {
            tasks: earlier.map((task) => renderTask(task, where, now, { tags: true })),
            failures: [],
          };
        }
      }
      const definition = usableTaskDefinition(state, ctx.input.reqStr('taskDefinition'));
      const launchType = ctx.input.str('launchType');
      const strategy = ctx.input.list('capacityProviderStrategy');
      const network = ctx.input.raw['networkConfiguration'];
      checkPlacement(definition, launchType, strategy.length > 0, network ?? undefined);
      const overrides = readOverrides(ctx);
      const names = new Set(
        (Array.isArray(definition.body['containerDefinitions'])
          ? definition.body['containerDefinitions']
          : []
        ).map((container) =>
          container !== null && typeof container === 'object' && !Array.isArray(container)
            ? container['name']
            : undefined,
        ),
      );
      for (const override of overrides) {
        if (!names.has(override.name)) {
          throw invalidParameter(
            `Override for container named ${override.name} is not a container in the TaskDefinition.`,
          );
        }
      }
      const given = ctx.input.obj('overrides');
      await passRoles(ctx, [given?.str('taskRoleArn'), given?.str('executionRoleArn')]);
      const requested = readTags(ctx.input);
      const propagate = ctx.input.str('propagateTags');
      const tags = propagate === 'TASK_DEFINITION' ? [...definition.tags, ...requested] : requested;
      if (ctx.input.bool('enableECSManagedTags') === true) {
        tags.push({ key: 'aws:ecs:clusterName', value: cluster.clusterName });
      }
      const capacityProvider = strategy[0]?.str('capacityProvider');
      const platform =
        ctx.input.str('platformVersion') ??
        (launchType === 'FARGATE' || capacityProvider?.startsWith('FARGATE') === true
          ? '1.4.0'
          : undefined);
      const place = servicePlace(ctx.runtime, ctx.accountId, ctx.region, state, cluster);
      const tasks: EcsTask[] = [];
      for (let i = 0; i < (ctx.input.int('count') ?? 1); i++) {
        const startedBy = ctx.input.str('startedBy');
        const task = createTask(place, {
          definition,
          at: now,
          overrides: {
            containerOverrides: [],
            inferenceAcceleratorOverrides: [],
            ...(given?.raw ?? {}),
          },
          containerOverrides: overrides,
          group: ctx.input.str('group') ?? `family:${definition.family}`,
          ...(startedBy !== undefined ? { startedBy } : {}),
          ...(launchType !== undefined ? { launchType } : {}),
          ...(capacityProvider !== undefined ? { capacityProviderName: capacityProvider } : {}),
          ...(platform !== undefined ? { platformVersion: platform } : {}),
          tags: [...tags],
          enableExecuteCommand: ctx.input.bool('enableExecuteCommand') ?? false,
        });
        if (token !== undefined) task.clientToken = token;
        tasks.push(task);
      }
      try {
        for (const task of tasks) await authorizeTagOnCreate(ctx, task.taskArn, requested);
      } catch (error: unknown) {
        for (const task of tasks) delete cluster.tasks[task.taskId];
        throw error;
      }
      return {
        tasks: tasks.map((task) => renderTask(task, where, now, { tags: true })),
        failures: [],
      };
    },
  },

  DescribeTasks: {
    validate: (ctx) => {
      const refs = boundedList(ctx.input, 'tasks', 100);
      if (refs.length === 0) throw invalidParameter('Tasks cannot be empty.');
    },
    resources: (ctx) => taskTargets(ctx, ctx.input.strList('tasks')),
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const cluster = activeCluster(ctx, state);
      const now = ctx.clock.now().getTime();
      const tags = ctx.input.strList('include').includes('TAGS');
      const where = { accountId: ctx.accountId, region: ctx.region };
      const tasks: Record<string, unknown>[] = [];
      const failures: { arn: string; reason: string }[] = [];
      for (const ref of ctx.input.strList('tasks')) {
        const task = ownValue(cluster.tasks, taskIdOf(ref));
        if (task) tasks.push(renderTask(task, where, now, { tags }));
        else {
          failures.push({
            arn: taskArn(ctx.region, ctx.accountId, cluster.clusterName, taskIdOf(ref)),
            reason: 'MISSING',
          });
        }
      }
      return { tasks, failures };
    },
  },

  StopTask: {
    validate: (ctx) => {
      ctx.input.reqStr('task');
      if ((ctx.input.str('reason') ?? '').length > 255) {
        throw invalidParameter('reason can be at most 255 characters.');
      }
    },
    resources: (ctx) => taskTargets(ctx, [ctx.input.reqStr('task')]),
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const cluster = activeCluster(ctx, state);
      const now = ctx.clock.now().getTime();
      const task = ownValue(cluster.tasks, taskIdOf(ctx.input.reqStr('task')));
      if (!task) throw invalidParameter('The referenced task was not found.');
      if (taskStatus(task, now) !== 'STOPPED') {
        stopTask(task, now, 'UserInitiated', ctx.input.str('reason') ?? 'Task stopped by user');
      }
      return { task: renderTask(task, { accountId: ctx.accountId, region: ctx.region }, now) };
    },
  },

  ListTasks: {
    validate: (ctx) => {
      enumParam(ctx.input, 'desiredStatus', ['RUNNING', 'PENDING', 'STOPPED']);
      enumParam(ctx.input, 'launchType', LAUNCH_TYPES);
    },
    context: clusterCondition,
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const cluster = activeCluster(ctx, state);
      const now = ctx.clock.now().getTime();
      const wanted = ctx.input.str('desiredStatus') ?? 'RUNNING';
      const family = ctx.input.str('family');
      const service = ctx.input.str('serviceName');
      const startedBy = ctx.input.str('startedBy');
      const launchType = ctx.input.str('launchType');
      const arns = Object.values(cluster.tasks)
        .filter((task) => {
          const status = taskStatus(task, now);
          if (wanted === 'PENDING') return status === 'PROVISIONING' || status === 'PENDING';
          return desiredStatus(task, now) === wanted;
        })
        .filter((task) => family === undefined || task.taskDefinitionArn.includes(`/${family}:`))
        .filter((task) => service === undefined || task.group === `service:${service}`)
        .filter((task) => startedBy === undefined || task.startedBy === startedBy)
        .filter((task) => launchType === undefined || task.launchType === launchType)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map((task) => task.taskArn);
      const { page, nextToken } = ecsPage(arns, ctx.input, 100);
      return { taskArns: page, ...(nextToken !== undefined ? { nextToken } : {}) };
    },
  },
};
