// Log group actions: create, describe, delete, retention.
import type { InputValue } from '../../framework/input.js';
import type { ActionDefinition } from '../../framework/service.js';
import { invalidParameter, logsAlreadyExists } from './logs-errors.js';
import { checkLogGroupName, checkRetention } from './logs-names.js';
import { logsPage } from './logs-pagination.js';
import { findLogGroup, logGroupRef, logsStateAt, refArn } from './log-group-ref.js';
import { initLogsState, logGroupArn, newLogGroup, type LogGroupRecord } from './logs-state.js';
import { putOwn } from '../../state/own-record.js';

const LOG_GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'];

function stringMap(value: InputValue | undefined, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParameter(`${field} must be a map of strings`);
  }
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw invalidParameter(`${field} must be a map of strings`);
    putOwn(out, key, item);
  }
  return out;
}

/** A group as DescribeLogGroups shows it. */
function describeGroup(
  where: { accountId: string; region: string },
  group: LogGroupRecord,
): Record<string, unknown> {
  const arn = logGroupArn(where, group.name);
  const storedBytes = Object.values(group.streams).reduce(
    (sum, stream) => sum + stream.events.reduce((n, e) => n + Buffer.byteLength(e.message), 0),
    0,
  );
  return {
    logGroupName: group.name,
    creationTime: group.creationTime,
    ...(group.retentionInDays !== undefined ? { retentionInDays: group.retentionInDays } : {}),
    metricFilterCount: 0,
    // DescribeLogGroups' `arn` ends in `:*` (it covers the streams); `logGroupArn` does not.
    arn: `${arn}:*`,
    logGroupArn: arn,
    storedBytes,
    ...(group.kmsKeyId !== undefined ? { kmsKeyId: group.kmsKeyId } : {}),
    logGroupClass: 'STANDARD',
  };
}

/** The log group actions. */
export const groupActions: Record<string, ActionDefinition> = {
  CreateLogGroup: {
    validate: (ctx) => {
      checkLogGroupName(ctx.input.reqStr('logGroupName'));
      const logClass = ctx.input.str('logGroupClass');
      if (logClass !== undefined && !LOG_GROUP_CLASSES.includes(logClass)) {
        throw invalidParameter(`Invalid logGroupClass: ${logClass}`);
      }
    },
    resources: (ctx) => [refArn(logGroupRef(ctx))],
    handler: (ctx) => {
      const ref = logGroupRef(ctx);
      const state = ctx.state(initLogsState);
      if (Object.hasOwn(state.groups, ref.name)) throw logsAlreadyExists('log group');
      const kmsKeyId = ctx.input.str('kmsKeyId');
      putOwn(
        state.groups,
        ref.name,
        newLogGroup(ref.name, ctx.clock.now().getTime(), {
          ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
          tags: stringMap(ctx.input.raw['tags'], 'tags'),
        }),
      );
      return {};
    },
  },
  DescribeLogGroups: {
    validate: (ctx) => {
      if (ctx.input.has('logGroupNamePrefix') && ctx.input.has('logGroupNamePattern')) {
        throw invalidParameter(
          'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
        );
      }
    },
    handler: (ctx) => {
      const prefix = ctx.input.str('logGroupNamePrefix') ?? '';
      const pattern = ctx.input.str('logGroupNamePattern')?.toLowerCase();
      const where = { accountId: ctx.accountId, region: ctx.region };
      const groups = Object.values(ctx.state(initLogsState).groups)
        .filter((group) => group.name.startsWith(prefix))
        .filter((group) => pattern === undefined || group.name.toLowerCase().includes(pattern))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const { page, nextToken } = logsPage(ctx, groups, 50);
      return {
        logGroups: page.map((group) => describeGroup(where, group)),
        ...(nextToken !== undefined ? { nextToken } : {}),
      };
    },
  },
  DeleteLogGroup: {
    validate: (ctx) => void logGroupRef(ctx),
    resources: (ctx) => [refArn(logGroupRef(ctx))],
    handler: (ctx) => {
      const ref = logGroupRef(ctx);
      findLogGroup(ctx, ref);
      const state = logsStateAt(ctx, ref);
      if (state) delete state.groups[ref.name];
      return {};
    },
  },
  PutRetentionPolicy: {
    validate: (ctx) => {
      logGroupRef(ctx);
      const days = ctx.input.int('retentionInDays');
      if (days === undefined) {
        throw invalidParameter(
          "1 validation error detected: Value null at 'retentionInDays' failed to satisfy constraint: Member must not be null",
        );
      }
      checkRetention(days);
    },
    resources: (ctx) => [refArn(logGroupRef(ctx))],
    handler: (ctx) => {
      const group = findLogGroup(ctx, logGroupRef(ctx));
      group.retentionInDays = ctx.input.int('retentionInDays');
      return {};
    },
  },
  DeleteRetentionPolicy: {
    validate: (ctx) => void logGroupRef(ctx),
    resources: (ctx) => [refArn(logGroupRef(ctx))],
    handler: (ctx) => {
      const group = findLogGroup(ctx, logGroupRef(ctx));
      delete group.retentionInDays;
      return {};
    },
  },
};
