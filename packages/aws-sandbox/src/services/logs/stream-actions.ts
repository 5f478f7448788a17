// Log stream actions: create, describe (ordered, paginated), delete.
import type { ActionDefinition } from '../../framework/service.js';
import { invalidParameter, logsAlreadyExists } from './logs-errors.js';
import { checkLogStreamName } from './logs-names.js';
import { logsPage } from './logs-pagination.js';
import {
  findLogGroup,
  findLogStream,
  logGroupRef,
  refArn,
  refStreamArn,
  type LogGroupRef,
} from './log-group-ref.js';
import { sequenceToken } from './log-event-store.js';
import { newLogStream, type LogStreamRecord } from './logs-state.js';

function streamName(ctx: Parameters<ActionDefinition['handler']>[0]): string {
  const name = ctx.input.reqStr('logStreamName');
  checkLogStreamName(name);
  return name;
}

function describeStream(ref: LogGroupRef, stream: LogStreamRecord): Record<string, unknown> {
  const first = stream.events[0];
  const last = stream.events[stream.events.length - 1];
  return {
    logStreamName: stream.name,
    creationTime: stream.creationTime,
    ...(first ? { firstEventTimestamp: first.timestamp } : {}),
    ...(last ? { lastEventTimestamp: last.timestamp } : {}),
    ...(stream.lastIngestionTime !== undefined
      ? { lastIngestionTime: stream.lastIngestionTime }
      : {}),
    // Sequence tokens are no longer required; the field is still returned.
    uploadSequenceToken: sequenceToken(stream),
    arn: refStreamArn(ref, stream.name),
    storedBytes: 0,
  };
}

function byName(a: LogStreamRecord, b: LogStreamRecord): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function byLastEvent(a: LogStreamRecord, b: LogStreamRecord): number {
  const last = (s: LogStreamRecord): number => s.events[s.events.length - 1]?.timestamp ?? 0;
  return last(a) - last(b) || byName(a, b);
}

/** The log stream actions. */
export const streamActions: Record<string, ActionDefinition> = {
  CreateLogStream: {
    validate: (ctx) => {
      logGroupRef(ctx);
      streamName(ctx);
    },
    resources: (ctx) => [refStreamArn(logGroupRef(ctx), streamName(ctx))],
    handler: (ctx) => {
      const group = findLogGroup(ctx, logGroupRef(ctx));
      const name = streamName(ctx);
      if (Object.hasOwn(group.streams, name)) throw logsAlreadyExists('log stream');
      newLogStream(group, name, ctx.clock.now().getTime());
      return {};
    },
  },
  DescribeLogStreams: {
    validate: (ctx) => {
      logGroupRef(ctx, true);
      const orderBy = ctx.input.str('orderBy') ?? 'LogStreamName';
      if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
        throw invalidParameter(
          `1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`,
        );
      }
      if (orderBy === 'LastEventTime' && ctx.input.has('logStreamNamePrefix')) {
        throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
      }
    },
    resources: (ctx) => [refArn(logGroupRef(ctx, true))],
    handler: (ctx) => {
      const ref = logGroupRef(ctx, true);
      const group = findLogGroup(ctx, ref);
      const prefix = ctx.input.str('logStreamNamePrefix') ?? '';
      const order = ctx.input.str('orderBy') === 'LastEventTime' ? byLastEvent : byName;
      const streams = Object.values(group.streams)
        .filter((stream) => stream.name.startsWith(prefix))
        .sort(order);
      if (ctx.input.bool('descending') === true) streams.reverse();
      const { page, nextToken } = logsPage(ctx, streams, 50);
      return {
        logStreams: page.map((stream) => describeStream(ref, stream)),
        ...(nextToken !== undefined ? { nextToken } : {}),
      };
    },
  },
  DeleteLogStream: {
    validate: (ctx) => {
      logGroupRef(ctx);
      streamName(ctx);
    },
    resources: (ctx) => [refStreamArn(logGroupRef(ctx), streamName(ctx))],
    handler: (ctx) => {
      const group = findLogGroup(ctx, logGroupRef(ctx));
      const name = streamName(ctx);
      findLogStream(group, name);
      delete group.streams[name];
      return {};
    },
  },
};
