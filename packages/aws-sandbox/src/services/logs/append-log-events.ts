// How other services write logs (ECS task output): straight into the Logs state, no API call.
import type { SandboxRuntime } from '../../framework/runtime.js';
import { storeLogEvents } from './log-event-store.js';
import {
  initLogsState,
  LOGS_SERVICE,
  newLogGroup,
  newLogStream,
  type LogsState,
} from './logs-state.js';
import { ownValue, putOwn } from '../../state/own-record.js';

/**
 * Appends events to a log stream in another service's name (ECS `awslogs`), creating the stream
 * when missing — and the group too with `createGroup` (the `awslogs-create-group` option).
 * Events need not be in order. Throws an `Error` naming the group when it is missing and
 * `createGroup` is not set, or when the account is unknown.
 */
export function appendLogEvents(
  runtime: SandboxRuntime,
  where: { accountId: string; region: string; logGroupName: string; logStreamName: string },
  events: { timestamp: number; message: string }[],
  options?: { createGroup?: boolean },
): void {
  const state = runtime.serviceState<LogsState>(
    LOGS_SERVICE,
    where.accountId,
    where.region,
    initLogsState,
  );
  const now = runtime.clock.now().getTime();
  let group = ownValue(state.groups, where.logGroupName);
  if (!group) {
    if (options?.createGroup !== true) {
      throw new Error(
        `log group ${where.logGroupName} does not exist in account ${where.accountId} ` +
          `region ${where.region}`,
      );
    }
    group = newLogGroup(where.logGroupName, now);
    putOwn(state.groups, where.logGroupName, group);
  }
  const stream =
    ownValue(group.streams, where.logStreamName) ?? newLogStream(group, where.logStreamName, now);
  storeLogEvents(stream, events, now);
}
