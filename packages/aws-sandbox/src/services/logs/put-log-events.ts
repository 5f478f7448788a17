// PutLogEvents: batch rules (order, size, count, 24-hour span) fail the call; events outside the
// acceptance window (14 days back, 2 hours ahead, the group's retention) are rejected one by one.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { sequenceToken, storeLogEvents, type InputLogEvent } from './log-event-store.js';
import { findLogGroup, findLogStream, logGroupRef, refStreamArn } from './log-group-ref.js';
import { constraintViolation, invalidParameter } from './logs-errors.js';
import { checkLogStreamName } from './logs-names.js';
import { retentionCutoff } from './retention.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** The largest batch: message bytes plus 26 bytes per event. */
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;
const MAX_BATCH_EVENTS = 10_000;
/** The largest single event (1 MB, message plus overhead). */
const MAX_EVENT_BYTES = 1_048_576;

function readEvents(ctx: ActionContext): InputLogEvent[] {
  const events = ctx.input.list('logEvents').map((event) => {
    const timestamp = event.int('timestamp');
    const message = event.str('message');
    if (timestamp === undefined || message === undefined) {
      throw invalidParameter(
        "1 validation error detected: Value null at 'logEvents.member.timestamp' failed to satisfy constraint: Member must not be null",
      );
    }
    return { timestamp, message };
  });
  if (events.length < 1 || events.length > MAX_BATCH_EVENTS) {
    throw constraintViolation(
      'logEvents',
      `[${events.length} events]`,
      `Member must have length ${events.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_BATCH_EVENTS}`}`,
    );
  }
  let bytes = 0;
  for (const [index, event] of events.entries()) {
    const size = Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (size > MAX_EVENT_BYTES) {
      throw invalidParameter(`Log event too large: event ${index} is ${size} bytes`);
    }
    bytes += size;
    const previous = events[index - 1];
    if (previous && previous.timestamp > event.timestamp) {
      throw invalidParameter(
        'Log events in a single PutLogEvents request must be in chronological order.',
      );
    }
  }
  if (bytes > MAX_BATCH_BYTES) {
    throw invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  }
  return events;
}

function streamName(ctx: ActionContext): string {
  const name = ctx.input.reqStr('logStreamName');
  checkLogStreamName(name);
  return name;
}

/** PutLogEvents. */
export const putLogEvents: ActionDefinition = {
  validate: (ctx) => {
    logGroupRef(ctx);
    streamName(ctx);
    readEvents(ctx);
  },
  resources: (ctx) => [refStreamArn(logGroupRef(ctx), streamName(ctx))],
  handler: (ctx) => {
    const group = findLogGroup(ctx, logGroupRef(ctx));
    const stream = findLogStream(group, streamName(ctx));
    const events = readEvents(ctx);
    const now = ctx.clock.now().getTime();
    // Events are in order, so each rejection is a prefix (too old, expired) or a suffix (too new).
    const tooOldEnd = events.filter((e) => e.timestamp < now - 14 * DAY_MS).length;
    const cutoff = retentionCutoff(group, now);
    const expiredEnd = events.filter((e) => e.timestamp < cutoff).length;
    const firstTooNew = events.findIndex((e) => e.timestamp > now + 2 * HOUR_MS);
    const tooNewStart = firstTooNew < 0 ? events.length : firstTooNew;
    const accepted = events.slice(Math.max(tooOldEnd, expiredEnd), tooNewStart);
    const first = accepted[0];
    const last = accepted[accepted.length - 1];
    if (first && last && last.timestamp - first.timestamp > DAY_MS) {
      throw invalidParameter(
        'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
      );
    }
    storeLogEvents(stream, accepted, now);
    const rejected = {
      ...(tooNewStart < events.length ? { tooNewLogEventStartIndex: tooNewStart } : {}),
      ...(tooOldEnd > 0 ? { tooOldLogEventEndIndex: tooOldEnd } : {}),
      ...(expiredEnd > 0 ? { expiredLogEventEndIndex: expiredEnd } : {}),
    };
    return {
      nextSequenceToken: sequenceToken(stream),
      ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}),
    };
  },
};
