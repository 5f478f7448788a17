// IAM shapes of ECS calls: resource targets with their tags and `ecs:cluster`, the
// `ecs:TagResource` check ECS makes when a create call carries tags, and `iam:PassRole`.
import type { ResourceTarget } from '../../auth/authorizer.js';
import type { ActionContext } from '../../framework/service.js';
import type { EcsTag } from './ecs-state.js';

/** `aws:ResourceTag/<key>` keys of a resource's tags. */
export function resourceTagContext(tags: readonly EcsTag[]): Record<string, string> {
  return Object.fromEntries(tags.map((tag) => [`aws:ResourceTag/${tag.key}`, tag.value]));
}

/** `aws:RequestTag/<key>` and `aws:TagKeys` of tags in a request. */
export function requestTagContext(tags: readonly EcsTag[]): Record<string, string | string[]> {
  if (tags.length === 0) return {};
  return {
    ...Object.fromEntries(tags.map((tag) => [`aws:RequestTag/${tag.key}`, tag.value])),
    'aws:TagKeys': tags.map((tag) => tag.key),
  };
}

/** A resource target: its ARN, its tags, and extra condition keys. */
export function target(
  arn: string,
  tags: readonly EcsTag[] = [],
  context: Record<string, string> = {},
): ResourceTarget {
  return { arn, context: { ...resourceTagContext(tags), ...context } };
}

/**
 * ECS authorizes `ecs:TagResource` (with `ecs:CreateAction`) when a create call carries tags.
 */
export async function authorizeTagOnCreate(
  ctx: ActionContext,
  arn: string,
  tags: readonly EcsTag[],
): Promise<void> {
  if (tags.length === 0) return;
  await ctx.authorize('ecs:TagResource', arn, {
    'ecs:CreateAction': ctx.action,
    ...requestTagContext(tags),
  });
}

/** Checks `iam:PassRole` on each role handed to ECS tasks. */
export async function passRoles(
  ctx: ActionContext,
  roles: readonly (string | undefined)[],
): Promise<void> {
  for (const role of new Set(roles)) {
    if (role === undefined || role === '') continue;
    await ctx.authorize('iam:PassRole', role, {
      'iam:PassedToService': 'ecs-tasks.amazonaws.com',
    });
  }
}
