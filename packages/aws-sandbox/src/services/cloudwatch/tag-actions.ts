// TagResource, UntagResource and ListTagsForResource on alarms (the only taggable resource the
// sandbox emulates).
import type { ResourceTarget } from '../../auth/authorizer.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { requestTagContext } from './alarm-access.js';
import { invalidParameterValue, resourceNotFoundException } from './cloudwatch-errors.js';
import { checkLength, requiredString } from './cloudwatch-input.js';
import {
  alarmArn,
  cloudWatchState,
  peekCloudWatchState,
  type AlarmRecord,
} from './cloudwatch-state.js';

const ARN = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):(\d{12}):([a-z-]+):(.+)$/;

/** The ARN in `ResourceARN`, checked for shape. */
function resourceArn(ctx: ActionContext): string {
  const arn = requiredString(ctx.input, 'ResourceARN');
  checkLength('ResourceARN', arn, 1, 1024);
  if (!ARN.test(arn)) {
    throw invalidParameterValue(
      `The value ${arn} for parameter ResourceARN is not a valid CloudWatch ARN.`,
    );
  }
  return arn;
}

/** The target authorized: the ARN, with the alarm's tags when it is one of the caller's. */
function target(ctx: ActionContext): ResourceTarget {
  const arn = resourceArn(ctx);
  const tags = findAlarm(ctx, arn, peekCloudWatchState(ctx)?.alarms)?.sandbox.tags ?? [];
  return {
    arn,
    context: Object.fromEntries(tags.map((tag) => [`aws:ResourceTag/${tag.Key}`, tag.Value])),
  };
}

function findAlarm(
  ctx: ActionContext,
  arn: string,
  alarms: Record<string, AlarmRecord> | undefined,
): AlarmRecord | undefined {
  const match = ARN.exec(arn);
  if (!match || match[3] !== 'alarm') return undefined;
  const name = match[4] ?? '';
  const alarm = alarms?.[name];
  return alarm && alarmArn(ctx.region, ctx.accountId, name) === arn ? alarm : undefined;
}

/** The alarm the ARN names, or `ResourceNotFoundException`. */
function requireAlarm(ctx: ActionContext): AlarmRecord {
  const arn = resourceArn(ctx);
  const alarm = findAlarm(ctx, arn, cloudWatchState(ctx).alarms);
  if (!alarm) {
    const type = ARN.exec(arn)?.[3] ?? 'resource';
    throw resourceNotFoundException(type.charAt(0).toUpperCase() + type.slice(1), arn);
  }
  return alarm;
}

function tagsOf(ctx: ActionContext): { Key: string; Value: string }[] {
  const tags = ctx.input.tags();
  if (tags.length === 0) requiredString(ctx.input, 'Tags');
  for (const tag of tags) {
    checkLength('Key', tag.Key, 1, 128);
    checkLength('Value', tag.Value, 0, 256);
    if (tag.Key.startsWith('aws:')) {
      throw invalidParameterValue(`The tag key ${tag.Key} uses the reserved prefix aws:.`);
    }
  }
  return tags;
}

/** The tagging actions. */
export const tagActions: Record<string, ActionDefinition> = {
  TagResource: {
    validate: (ctx) => {
      resourceArn(ctx);
      tagsOf(ctx);
    },
    resources: (ctx) => [target(ctx)],
    context: (ctx) => requestTagContext(ctx.input.tags()),
    handler: (ctx) => {
      const alarm = requireAlarm(ctx);
      const merged = new Map(alarm.sandbox.tags.map((tag) => [tag.Key, tag.Value]));
      for (const tag of tagsOf(ctx)) merged.set(tag.Key, tag.Value);
      if (merged.size > 50) {
        throw invalidParameterValue('A resource can have at most 50 tags.');
      }
      alarm.sandbox.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
      return {};
    },
  },
  UntagResource: {
    validate: (ctx) => {
      resourceArn(ctx);
      if (ctx.input.strList('TagKeys').length === 0) requiredString(ctx.input, 'TagKeys');
    },
    resources: (ctx) => [target(ctx)],
    context: (ctx) => ({ 'aws:TagKeys': ctx.input.strList('TagKeys') }),
    handler: (ctx) => {
      const alarm = requireAlarm(ctx);
      const removed = new Set(ctx.input.strList('TagKeys'));
      alarm.sandbox.tags = alarm.sandbox.tags.filter((tag) => !removed.has(tag.Key));
      return {};
    },
  },
  ListTagsForResource: {
    validate: (ctx) => {
      resourceArn(ctx);
    },
    resources: (ctx) => [target(ctx)],
    handler: (ctx) => ({ Tags: requireAlarm(ctx).sandbox.tags }),
  },
};
