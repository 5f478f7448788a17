// Task definitions: register (a new revision of the family), describe, deregister (INACTIVE),
// list revisions and families.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { authorizeTagOnCreate, passRoles, requestTagContext, target } from './ecs-access.js';
import { clientError, invalidParameter } from './ecs-errors.js';
import { ecsPage, enumParam, readTags } from './ecs-input.js';
import { findTaskDefinition, parseTaskDefinitionRef } from './ecs-lookup.js';
import { taskDefinitionArn } from './ecs-names.js';
import type { EcsTaskDefinition } from './ecs-state.js';
import { ecsState } from './ecs-world.js';
import { ownValue, putOwn } from '../../state/own-record.js';
import { readTaskDefinition } from './task-definition-input.js';

/** A task definition as ECS returns it. */
export function renderTaskDefinition(definition: EcsTaskDefinition): Record<string, unknown> {
  return {
    taskDefinitionArn: definition.taskDefinitionArn,
    family: definition.family,
    revision: definition.revision,
    status: definition.status,
    ...definition.body,
    registeredAt: new Date(definition.registeredAt),
    registeredBy: definition.registeredBy,
    ...(definition.deregisteredAt !== undefined
      ? { deregisteredAt: new Date(definition.deregisteredAt) }
      : {}),
  };
}

function nextArn(ctx: ActionContext): string {
  const family = ctx.input.str('family') ?? '';
  const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
  const revision = (ownValue(state.families, family)?.revisions.length ?? 0) + 1;
  return taskDefinitionArn(ctx.region, ctx.accountId, family, revision);
}

function taskSizeContext(ctx: ActionContext): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  const cpu = ctx.input.str('cpu');
  const memory = ctx.input.str('memory');
  if (cpu !== undefined) context['ecs:task-cpu'] = cpu;
  if (memory !== undefined) context['ecs:task-memory'] = memory;
  const compat = ctx.input.strList('requiresCompatibilities');
  if (compat.length > 0) context['ecs:compute-compatibility'] = compat;
  return context;
}

function definitionOf(ctx: ActionContext): EcsTaskDefinition {
  const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
  const definition = findTaskDefinition(state, ctx.input.reqStr('taskDefinition'));
  if (!definition) throw clientError('Unable to describe task definition.');
  return definition;
}

/** Task definition actions. */
export const taskDefinitionActions: Record<string, ActionDefinition> = {
  RegisterTaskDefinition: {
    validate: (ctx) => {
      readTaskDefinition(ctx.input);
      readTags(ctx.input);
    },
    resources: (ctx) => [target(nextArn(ctx))],
    context: (ctx) => ({ ...taskSizeContext(ctx), ...requestTagContext(readTags(ctx.input)) }),
    handler: async (ctx) => {
      const registered = readTaskDefinition(ctx.input);
      const tags = readTags(ctx.input);
      await passRoles(ctx, [registered.taskRoleArn, registered.executionRoleArn]);
      const arn = nextArn(ctx);
      await authorizeTagOnCreate(ctx, arn, tags);
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      let family = ownValue(state.families, registered.family);
      if (!family) {
        family = { family: registered.family, revisions: [] };
        putOwn(state.families, registered.family, family);
      }
      const definition: EcsTaskDefinition = {
        family: registered.family,
        revision: family.revisions.length + 1,
        taskDefinitionArn: taskDefinitionArn(
          ctx.region,
          ctx.accountId,
          registered.family,
          family.revisions.length + 1,
        ),
        status: 'ACTIVE',
        registeredAt: ctx.clock.now().toISOString(),
        registeredBy: ctx.caller.arn,
        tags,
        body: registered.body,
      };
      family.revisions.push(definition);
      return { taskDefinition: renderTaskDefinition(definition), tags };
    },
  },

  DescribeTaskDefinition: {
    validate: (ctx) => {
      ctx.input.reqStr('taskDefinition');
    },
    handler: (ctx) => {
      const definition = definitionOf(ctx);
      const include = ctx.input.strList('include');
      return {
        taskDefinition: renderTaskDefinition(definition),
        ...(include.includes('TAGS') ? { tags: definition.tags } : {}),
      };
    },
  },

  DeregisterTaskDefinition: {
    validate: (ctx) => {
      const ref = ctx.input.reqStr('taskDefinition');
      if (parseTaskDefinitionRef(ref).revision === undefined) {
        throw invalidParameter('A revision must be specified to deregister a task definition.');
      }
    },
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const definition = findTaskDefinition(state, ctx.input.reqStr('taskDefinition'));
      if (!definition) throw clientError('The specified task definition does not exist.');
      if (definition.status === 'ACTIVE') {
        definition.status = 'INACTIVE';
        definition.deregisteredAt = ctx.clock.now().toISOString();
      }
      return { taskDefinition: renderTaskDefinition(definition) };
    },
  },

  ListTaskDefinitions: {
    validate: (ctx) => {
      enumParam(ctx.input, 'status', ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS']);
      enumParam(ctx.input, 'sort', ['ASC', 'DESC']);
    },
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const status = ctx.input.str('status') ?? 'ACTIVE';
      const family = ctx.input.str('familyPrefix');
      const families = Object.values(state.families)
        .filter((entry) => family === undefined || entry.family === family)
        .sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : 0));
      let arns = families.flatMap((entry) =>
        entry.revisions.filter((d) => d.status === status).map((d) => d.taskDefinitionArn),
      );
      if (ctx.input.str('sort') === 'DESC') arns = arns.reverse();
      const { page, nextToken } = ecsPage(arns, ctx.input, 100);
      return { taskDefinitionArns: page, ...(nextToken !== undefined ? { nextToken } : {}) };
    },
  },

  ListTaskDefinitionFamilies: {
    validate: (ctx) => {
      enumParam(ctx.input, 'status', ['ACTIVE', 'INACTIVE', 'ALL']);
    },
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const status = ctx.input.str('status') ?? 'ALL';
      const prefix = ctx.input.str('familyPrefix') ?? '';
      const families = Object.values(state.families)
        .filter((entry) => entry.family.startsWith(prefix))
        .filter((entry) => {
          const active = entry.revisions.some((d) => d.status === 'ACTIVE');
          return status === 'ALL' || (status === 'ACTIVE') === active;
        })
        .map((entry) => entry.family)
        .sort();
      const { page, nextToken } = ecsPage(families, ctx.input, 100);
      return { families: page, ...(nextToken !== undefined ? { nextToken } : {}) };
    },
  },
};
