// GetLogEvents: one stream read forwards or backwards. Tokens name a position between events,
// so a forward read at the end returns the token it was given, which is how clients stop.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { findLogGroup, findLogStream, logGroupRef, refStreamArn } from './log-group-ref.js';
import { invalidParameter } from './logs-errors.js';
import { checkLogStreamName } from './logs-names.js';
import { pageLimit } from './logs-pagination.js';
import type { StoredLogEvent } from './logs-state.js';
import { retentionCutoff } from './retention.js';

/** The most a response carries: message bytes plus 26 per event. */
const MAX_RESPONSE_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;

/** A position between events: before every event whose `(timestamp, seq)` is ≥ it. */
interface Position {
  timestamp: number;
  seq: number;
}

function token(direction: 'f' | 'b', position: Position): string {
  return `${direction}/${String(position.timestamp).padStart(20, '0')}/${String(position.seq).padStart(20, '0')}`;
}

function parseToken(text: string): { direction: 'f' | 'b'; position: Position } {
  const match = /^([fb])\/(\d{1,20})\/(\d{1,20})$/.exec(text);
  if (!match?.[1] || !match[2] || !match[3]) {
    throw invalidParameter('The specified nextToken is invalid.');
  }
  return {
    direction: match[1] === 'f' ? 'f' : 'b',
    position: { timestamp: Number(match[2]), seq: Number(match[3]) },
  };
}

function atOrAfter(event: StoredLogEvent, position: Position): boolean {
  return (
    event.timestamp > position.timestamp ||
    (event.timestamp === position.timestamp && event.seq >= position.seq)
  );
}

function after(event: StoredLogEvent): Position {
  return { timestamp: event.timestamp, seq: event.seq + 1 };
}

function at(event: StoredLogEvent): Position {
  return { timestamp: event.timestamp, seq: event.seq };
}

/** Takes events from `events` (in order, or from the end) while the limits allow. */
function take(events: StoredLogEvent[], limit: number, fromEnd: boolean): StoredLogEvent[] {
  const picked: StoredLogEvent[] = [];
  let bytes = 0;
  for (let n = 0; n < events.length && picked.length < limit; n += 1) {
    const event = events[fromEnd ? events.length - 1 - n : n];
    if (!event) break;
    bytes += Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (bytes > MAX_RESPONSE_BYTES && picked.length > 0) break;
    picked.push(event);
  }
  return fromEnd ? picked.reverse() : picked;
}

function streamName(ctx: ActionContext): string {
  const name = ctx.input.reqStr('logStreamName');
  checkLogStreamName(name);
  return name;
}

/** GetLogEvents. */
export const getLogEvents: ActionDefinition = {
  validate: (ctx) => {
    logGroupRef(ctx, true);
    streamName(ctx);
    pageLimit(ctx, 10_000);
    const given = ctx.input.str('nextToken');
    if (given !== undefined) parseToken(given);
  },
  resources: (ctx) => [refStreamArn(logGroupRef(ctx, true), streamName(ctx))],
  handler: (ctx) => {
    const group = findLogGroup(ctx, logGroupRef(ctx, true));
    const stream = findLogStream(group, streamName(ctx));
    const limit = pageLimit(ctx, 10_000);
    const start = ctx.input.int('startTime');
    const end = ctx.input.int('endTime');
    const cutoff = retentionCutoff(group, ctx.clock.now().getTime());
    const inRange = stream.events.filter(
      (e) =>
        e.timestamp >= cutoff &&
        (start === undefined || e.timestamp >= start) &&
        (end === undefined || e.timestamp < end),
    );
    const given = ctx.input.str('nextToken');
    const parsed = given !== undefined ? parseToken(given) : undefined;
    // Without a token the direction is startFromHead's (default: the newest events).
    const forward = parsed ? parsed.direction === 'f' : ctx.input.bool('startFromHead') === true;
    const origin: Position = parsed?.position ?? { timestamp: start ?? 0, seq: 0 };
    const candidates = parsed ? inRange.filter((e) => atOrAfter(e, origin) === forward) : inRange;
    const events = take(candidates, limit, !forward);
    const first = events[0];
    const last = events[events.length - 1];
    return {
      events: events.map((e) => ({
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
      })),
      nextForwardToken: token('f', last ? after(last) : origin),
      nextBackwardToken: token('b', first ? at(first) : origin),
    };
  },
};
