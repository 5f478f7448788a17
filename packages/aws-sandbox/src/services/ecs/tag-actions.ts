// Tags of clusters, services, task definitions and tasks, by ARN.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { requestTagContext, target } from './ecs-access.js';
import { clusterNotFound, invalidParameter, resourceNotFound } from './ecs-errors.js';
import { mergeTags, readTags } from './ecs-input.js';
import { parseEcsArn } from './ecs-names.js';
import type { EcsTag } from './ecs-state.js';
import { definitionByArn, ecsState } from './ecs-world.js';
import { ownValue } from '../../state/own-record.js';

/** Where a taggable resource's tags live. */
interface Tagged {
  tags: EcsTag[];
}

/** The resource an ARN names, or undefined when it does not exist; throws for bad ARNs. */
function taggedResource(ctx: ActionContext, arn: string): Tagged | undefined {
  const parsed = parseEcsArn(arn);
  if (!parsed || parsed.accountId !== ctx.accountId || parsed.region !== ctx.region) {
    throw invalidParameter('The ARN provided is invalid.');
  }
  const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
  const [first = '', second = ''] = parsed.path;
  switch (parsed.type) {
    case 'cluster': {
      const cluster = ownValue(state.clusters, first);
      return cluster?.status === 'ACTIVE' ? cluster : undefined;
    }
    case 'service':
    case 'task': {
      if (parsed.path.length !== 2) throw invalidParameter('The ARN provided is invalid.');
      const cluster = ownValue(state.clusters, first);
      if (!cluster || cluster.status !== 'ACTIVE') throw clusterNotFound();
      if (parsed.type === 'task') return ownValue(cluster.tasks, second);
      const service = ownValue(cluster.services, second);
      return service?.status === 'INACTIVE' ? undefined : service;
    }
    case 'task-definition':
      return definitionByArn(state, arn);
    default:
      throw invalidParameter('The ARN provided is invalid.');
  }
}

function existing(ctx: ActionContext): Tagged {
  const arn = ctx.input.reqStr('resourceArn');
  const resource = taggedResource(ctx, arn);
  if (!resource) {
    if (parseEcsArn(arn)?.type === 'cluster') throw clusterNotFound();
    throw resourceNotFound();
  }
  return resource;
}

function resourceTarget(ctx: ActionContext) {
  const arn = ctx.input.reqStr('resourceArn');
  return [target(arn, taggedResource(ctx, arn)?.tags)];
}

/** Tag actions. */
export const tagActions: Record<string, ActionDefinition> = {
  TagResource: {
    validate: (ctx) => {
      ctx.input.reqStr('resourceArn');
      if (readTags(ctx.input).length === 0) throw invalidParameter('tags can not be empty.');
    },
    resources: resourceTarget,
    context: (ctx) => requestTagContext(readTags(ctx.input)),
    handler: (ctx) => {
      const resource = existing(ctx);
      const tags = mergeTags(resource.tags, readTags(ctx.input));
      if (tags.length > 50) throw invalidParameter('The resource can have at most 50 tags.');
      resource.tags = tags;
      return {};
    },
  },

  UntagResource: {
    validate: (ctx) => {
      ctx.input.reqStr('resourceArn');
      if (ctx.input.strList('tagKeys').length === 0) {
        throw invalidParameter('tagKeys can not be empty.');
      }
    },
    resources: resourceTarget,
    context: (ctx) => ({ 'aws:TagKeys': ctx.input.strList('tagKeys') }),
    handler: (ctx) => {
      const resource = existing(ctx);
      const keys = new Set(ctx.input.strList('tagKeys'));
      resource.tags = resource.tags.filter((tag) => !keys.has(tag.key));
      return {};
    },
  },

  ListTagsForResource: {
    validate: (ctx) => {
      ctx.input.reqStr('resourceArn');
    },
    resources: resourceTarget,
    handler: (ctx) => ({ tags: existing(ctx).tags }),
  },
};
