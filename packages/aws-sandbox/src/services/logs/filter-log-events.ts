// FilterLogEvents: events of a group's streams, interleaved in time order, matched against a text
// filter pattern, paginated by the key of the last event returned.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { matchesFilter, parseFilterPattern } from './filter-pattern.js';
import { logEventId } from './log-event-store.js';
import { findLogGroup, logGroupRef, refArn } from './log-group-ref.js';
import { constraintViolation, invalidParameter } from './logs-errors.js';
import { pageLimit } from './logs-pagination.js';
import type { LogStreamRecord, StoredLogEvent } from './logs-state.js';
import { retentionCutoff } from './retention.js';

const MAX_RESPONSE_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;
/** `startFromHead: false` needs a `startTime` on or after this instant (an AWS rule). */
const NEWEST_FIRST_EARLIEST_START = Date.UTC(2024, 0, 1);

interface Hit {
  stream: LogStreamRecord;
  event: StoredLogEvent;
}

/** The total order of hits: timestamp, then stream creation order, then arrival. */
type HitKey = [timestamp: number, ordinal: number, seq: number];

function keyOf(hit: Hit): HitKey {
  return [hit.event.timestamp, hit.stream.ordinal, hit.event.seq];
}

function compareKeys(a: HitKey, b: HitKey): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function encodeToken(forward: boolean, key: HitKey): string {
  return Buffer.from(`${forward ? 'f' : 'b'}:${key.join(':')}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): { forward: boolean; key: HitKey } {
  const match = /^([fb]):(\d+):(\d+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match?.[1] || !match[2] || !match[3] || !match[4]) {
    throw invalidParameter('The specified nextToken is invalid.');
  }
  return {
    forward: match[1] === 'f',
    key: [Number(match[2]), Number(match[3]), Number(match[4])],
  };
}

function selectedStreams(ctx: ActionContext, streams: LogStreamRecord[]): LogStreamRecord[] {
  const names = ctx.input.strList('logStreamNames');
  const prefix = ctx.input.str('logStreamNamePrefix');
  if (names.length > 0) return streams.filter((stream) => names.includes(stream.name));
  if (prefix !== undefined) return streams.filter((stream) => stream.name.startsWith(prefix));
  return streams;
}

function checkInput(ctx: ActionContext): void {
  logGroupRef(ctx, true);
  const names = ctx.input.strList('logStreamNames');
  if (names.length > 0 && ctx.input.has('logStreamNamePrefix')) {
    throw invalidParameter(
      'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.',
    );
  }
  if (names.length > 100) {
    throw constraintViolation(
      'logStreamNames',
      `[${names.length} names]`,
      'Member must have length less than or equal to 100',
    );
  }
  pageLimit(ctx, 10_000);
  parseFilterPattern(ctx.input.str('filterPattern') ?? '');
  const token = ctx.input.str('nextToken');
  if (token !== undefined) decodeToken(token);
  if (ctx.input.bool('startFromHead') === false) {
    const start = ctx.input.int('startTime');
    if (start === undefined || start < NEWEST_FIRST_EARLIEST_START) {
      throw invalidParameter(
        'startFromHead=false requires a startTime on or after Jan 1, 2024 00:00:00 UTC.',
      );
    }
  }
}

/** FilterLogEvents. */
export const filterLogEvents: ActionDefinition = {
  validate: checkInput,
  resources: (ctx) => [refArn(logGroupRef(ctx, true))],
  handler: (ctx) => {
    const group = findLogGroup(ctx, logGroupRef(ctx, true));
    const pattern = parseFilterPattern(ctx.input.str('filterPattern') ?? '');
    const start = ctx.input.int('startTime');
    const end = ctx.input.int('endTime');
    const cutoff = retentionCutoff(group, ctx.clock.now().getTime());
    const token = ctx.input.str('nextToken');
    const resume = token !== undefined ? decodeToken(token) : undefined;
    const forward = resume ? resume.forward : ctx.input.bool('startFromHead') !== false;
    const streams = selectedStreams(ctx, Object.values(group.streams));
    const hits: Hit[] = [];
    for (const stream of streams) {
      for (const event of stream.events) {
        if (event.timestamp < cutoff) continue;
        if (start !== undefined && event.timestamp < start) continue;
        if (end !== undefined && event.timestamp > end) continue;
        if (!matchesFilter(pattern, event.message)) continue;
        const hit = { stream, event };
        if (resume) {
          const order = compareKeys(keyOf(hit), resume.key);
          if (forward ? order <= 0 : order >= 0) continue;
        }
        hits.push(hit);
      }
    }
    hits.sort((a, b) => compareKeys(keyOf(a), keyOf(b)) * (forward ? 1 : -1));
    const limit = pageLimit(ctx, 10_000);
    const page: Hit[] = [];
    let bytes = 0;
    for (const hit of hits) {
      if (page.length >= limit) break;
      bytes += Buffer.byteLength(hit.event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
      if (bytes > MAX_RESPONSE_BYTES && page.length > 0) break;
      page.push(hit);
    }
    const last = page[page.length - 1];
    return {
      events: page.map(({ stream, event }) => ({
        logStreamName: stream.name,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: logEventId(stream, event),
      })),
      searchedLogStreams: [],
      ...(last && page.length < hits.length
        ? { nextToken: encodeToken(forward, keyOf(last)) }
        : {}),
    };
  },
};
