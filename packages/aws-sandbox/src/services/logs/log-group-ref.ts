// Which log group a call names (`logGroupName`, or `logGroupIdentifier` as a name or an ARN) and
// the records it points at.
import type { ActionContext } from '../../framework/service.js';
import { invalidParameter, logsNotFound } from './logs-errors.js';
import { checkLogGroupName } from './logs-names.js';
import { ownValue } from '../../state/own-record.js';
import {
  initLogsState,
  logGroupArn,
  logStreamArn,
  type LogGroupRecord,
  type LogsState,
  type LogStreamRecord,
} from './logs-state.js';

/** A log group named by a call. */
export interface LogGroupRef {
  accountId: string;
  region: string;
  name: string;
}

const GROUP_ARN = /^arn:aws:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/;

/**
 * The group a call names. `identifier` allows `logGroupIdentifier` (name or ARN) next to
 * `logGroupName`; exactly one of them must be given.
 */
export function logGroupRef(ctx: ActionContext, identifier = false): LogGroupRef {
  const name = ctx.input.str('logGroupName');
  const id = identifier ? ctx.input.str('logGroupIdentifier') : undefined;
  if (name !== undefined && id !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (name !== undefined) {
    checkLogGroupName(name);
    return { accountId: ctx.accountId, region: ctx.region, name };
  }
  if (id === undefined) {
    throw invalidParameter(
      identifier
        ? 'Either logGroupName or logGroupIdentifier must be specified.'
        : "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null",
    );
  }
  const arn = GROUP_ARN.exec(id);
  if (arn?.[1] !== undefined && arn[2] !== undefined && arn[3] !== undefined) {
    return { accountId: arn[2], region: arn[1], name: arn[3] };
  }
  checkLogGroupName(id, 'logGroupIdentifier');
  return { accountId: ctx.accountId, region: ctx.region, name: id };
}

/** The ARN of a group ref. */
export function refArn(ref: LogGroupRef): string {
  return logGroupArn(ref, ref.name);
}

/** The ARN of a stream in a group ref. */
export function refStreamArn(ref: LogGroupRef, stream: string): string {
  return logStreamArn(ref, ref.name, stream);
}

/** The Logs state where a ref points. Unknown accounts have no groups. */
export function logsStateAt(ctx: ActionContext, ref: LogGroupRef): LogsState | undefined {
  if (ctx.world.accounts[ref.accountId] === undefined) return undefined;
  return ctx.state(initLogsState, { accountId: ref.accountId, region: ref.region });
}

/** The group a ref points at, or `ResourceNotFoundException`. */
export function findLogGroup(ctx: ActionContext, ref: LogGroupRef): LogGroupRecord {
  const groups = logsStateAt(ctx, ref)?.groups;
  const group = groups ? ownValue(groups, ref.name) : undefined;
  if (!group) throw logsNotFound('log group');
  return group;
}

/** A stream of a group, or `ResourceNotFoundException`. */
export function findLogStream(group: LogGroupRecord, name: string): LogStreamRecord {
  const stream = ownValue(group.streams, name);
  if (!stream) throw logsNotFound('log stream');
  return stream;
}
