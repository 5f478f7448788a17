// DescribeStacks, ListStacks, DescribeStackEvents, DescribeStackResource(s), ListStackResources.
import { paginate } from '../../../framework/pagination.js';
import type { ActionContext, ActionDefinition } from '../../../framework/service.js';
import { validationError } from '../cfn-errors.js';
import { cfnState, isDeleted, type StackRecord } from '../cfn-state.js';
import { cfnAction } from './cfn-action.js';
import {
  eventXml,
  stackResourceDetailXml,
  stackResourceSummaryXml,
  stackResourceXml,
  stackSummaryXml,
  stackXml,
} from './cfn-render.js';
import { requireStack, stackResource } from './stack-lookup.js';

/** AWS's page sizes. */
const STACKS_PAGE = 100;
const EVENTS_PAGE = 100;
const RESOURCES_PAGE = 100;

/** CloudFormation's pagination with its own error. */
export function cfnPage<T>(
  ctx: ActionContext,
  items: readonly T[],
  size: number,
): { page: T[]; NextToken?: string } {
  const { page, nextToken } = paginate(items, ctx.input.str('NextToken'), size, () =>
    validationError('Invalid NextToken'),
  );
  return nextToken === undefined ? { page } : { page, NextToken: nextToken };
}

/** The resource an action on a (required) `StackName` is authorized on. */
const onStack = (ctx: ActionContext): string[] => [
  stackResource(ctx, ctx.input.reqStr('StackName')),
];

function stackForResources(ctx: ActionContext): StackRecord {
  const name = ctx.input.str('StackName');
  const physicalId = ctx.input.str('PhysicalResourceId');
  if (name !== undefined) return requireStack(cfnState(ctx), name);
  if (physicalId === undefined) {
    throw validationError('Either StackName or PhysicalResourceId must be specified.');
  }
  const stack = Object.values(cfnState(ctx).stacks).find(
    (candidate) =>
      !isDeleted(candidate) &&
      Object.values(candidate.resources).some((resource) => resource.physicalId === physicalId),
  );
  if (!stack) throw validationError(`Stack for ${physicalId} does not exist`);
  return stack;
}

/** The read actions, by name. */
export const readActions: Record<string, ActionDefinition> = {
  DescribeStacks: cfnAction({
    resources: (ctx) => [stackResource(ctx, ctx.input.str('StackName'))],
    handler: (ctx) => {
      const name = ctx.input.str('StackName');
      const stacks =
        name !== undefined
          ? [requireStack(cfnState(ctx), name)]
          : Object.values(cfnState(ctx).stacks)
              .filter((stack) => !isDeleted(stack))
              .reverse();
      const { page, NextToken } = cfnPage(ctx, stacks, STACKS_PAGE);
      return { Stacks: page.map(stackXml), NextToken };
    },
  }),
  ListStacks: cfnAction({
    handler: (ctx) => {
      const filter = ctx.input.strList('StackStatusFilter');
      const stacks = Object.values(cfnState(ctx).stacks)
        .filter((stack) => filter.length === 0 || filter.includes(stack.status))
        .reverse();
      const { page, NextToken } = cfnPage(ctx, stacks, STACKS_PAGE);
      return { StackSummaries: page.map(stackSummaryXml), NextToken };
    },
  }),
  DescribeStackEvents: cfnAction({
    resources: onStack,
    handler: (ctx) => {
      const stack = requireStack(cfnState(ctx), ctx.input.reqStr('StackName'));
      const newestFirst = [...stack.events].reverse();
      const { page, NextToken } = cfnPage(ctx, newestFirst, EVENTS_PAGE);
      return { StackEvents: page.map((event) => eventXml(stack, event)), NextToken };
    },
  }),
  DescribeStackResources: cfnAction({
    resources: (ctx) => [stackResource(ctx, ctx.input.str('StackName'))],
    handler: (ctx) => {
      const stack = stackForResources(ctx);
      const logicalId = ctx.input.str('LogicalResourceId');
      const physicalId = ctx.input.str('PhysicalResourceId');
      const resources = Object.values(stack.resources).filter(
        (resource) =>
          (logicalId === undefined || resource.logicalId === logicalId) &&
          (physicalId === undefined ||
            ctx.input.has('StackName') ||
            resource.physicalId === physicalId),
      );
      return { StackResources: resources.map((resource) => stackResourceXml(stack, resource)) };
    },
  }),
  DescribeStackResource: cfnAction({
    resources: onStack,
    handler: (ctx) => {
      const stack = requireStack(cfnState(ctx), ctx.input.reqStr('StackName'));
      const logicalId = ctx.input.reqStr('LogicalResourceId');
      const resource = stack.resources[logicalId];
      if (!resource) {
        throw validationError(`Resource ${logicalId} does not exist for stack ${stack.stackName}`);
      }
      return { StackResourceDetail: stackResourceDetailXml(stack, resource) };
    },
  }),
  ListStackResources: cfnAction({
    resources: onStack,
    handler: (ctx) => {
      const stack = requireStack(cfnState(ctx), ctx.input.reqStr('StackName'));
      const { page, NextToken } = cfnPage(ctx, Object.values(stack.resources), RESOURCES_PAGE);
      return { StackResourceSummaries: page.map(stackResourceSummaryXml), NextToken };
    },
  }),
};
