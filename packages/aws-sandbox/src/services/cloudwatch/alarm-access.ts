// The IAM side of alarm actions: alarm ARNs, with the alarm's tags as `aws:ResourceTag/*`.
import type { ResourceTarget } from '../../auth/authorizer.js';
import type { ActionContext } from '../../framework/service.js';
import { alarmArn, peekCloudWatchState } from './cloudwatch-state.js';

/** The resource target of an alarm of the caller's region (existing or not). */
export function alarmTarget(ctx: ActionContext, name: string): ResourceTarget {
  const tags = peekCloudWatchState(ctx)?.alarms[name]?.sandbox.tags ?? [];
  const context: Record<string, string> = {};
  for (const tag of tags) context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
  return { arn: alarmArn(ctx.region, ctx.accountId, name), context };
}

/** `arn:aws:cloudwatch:<region>:<account>:alarm:*`, what listing actions are authorized on. */
export function everyAlarmArn(ctx: ActionContext): string {
  return alarmArn(ctx.region, ctx.accountId, '*');
}

/** `aws:RequestTag/*` and `aws:TagKeys` of tags in a request. */
export function requestTagContext(
  tags: readonly { Key: string; Value: string }[],
): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  if (tags.length > 0) context['aws:TagKeys'] = tags.map((tag) => tag.Key);
  return context;
}
