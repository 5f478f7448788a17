// PutEvents: custom events onto the default bus. Each entry is validated on its own (failed
// entries are reported, the others accepted); accepted events are routed like internal ones.
import { randomUUID } from 'node:crypto';
import type { Input } from '../../framework/input.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { eventTime, type EventEnvelope } from './event-envelope.js';
import { constraintViolation, validationError } from './events-errors.js';
import { checkEventBus } from './events-input.js';
import { busArn } from './events-state.js';
import { routeEvent } from './event-router.js';

/** The largest request: every entry's Source, DetailType, Detail and Resources. */
const MAX_REQUEST_BYTES = 256 * 1024;

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

function entries(ctx: ActionContext): Input[] {
  const list = ctx.input.list('Entries');
  if (list.length < 1 || list.length > 10) {
    throw constraintViolation(
      'entries',
      `[${list.length} entries]`,
      'Member must have length between 1 and 10',
    );
  }
  return list;
}

function entrySize(entry: Input): number {
  const text = (name: string): number => Buffer.byteLength(entry.str(name) ?? '', 'utf8');
  return (
    text('Source') +
    text('DetailType') +
    text('Detail') +
    entry.strList('Resources').reduce((n, r) => n + Buffer.byteLength(r, 'utf8'), 0) +
    (entry.has('Time') ? 14 : 0)
  );
}

function entryTime(entry: Input, now: Date): Date {
  const raw = entry.raw['Time'];
  // JSON clients send epoch seconds; accept ISO text too.
  const time =
    typeof raw === 'number'
      ? new Date(raw * 1000)
      : typeof raw === 'string'
        ? new Date(/^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : raw)
        : now;
  return Number.isNaN(time.getTime()) ? now : time;
}

function failure(code: string, message: string): EntryResult {
  return { ErrorCode: code, ErrorMessage: message };
}

function missing(name: string): EntryResult {
  return failure(
    'InvalidArgument',
    `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
  );
}

/** Validates one entry; returns its envelope or why it failed. */
function readEntry(ctx: ActionContext, entry: Input): EventEnvelope | EntryResult {
  try {
    checkEventBus(ctx, entry.str('EventBusName'));
  } catch (error: unknown) {
    return failure('ResourceNotFoundException', (error as Error).message);
  }
  const source = entry.str('Source');
  const detailType = entry.str('DetailType');
  const detailText = entry.str('Detail');
  if (source === undefined || source === '') return missing('Source');
  if (detailType === undefined || detailType === '') return missing('DetailType');
  if (detailText === undefined || detailText === '') return missing('Detail');
  if (source.startsWith('aws.')) {
    return failure('NotAuthorizedForSourceException', 'Not authorized for the source.');
  }
  let detail: unknown;
  try {
    detail = JSON.parse(detailText);
  } catch {
    return failure('MalformedDetail', 'Detail is malformed.');
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return failure('MalformedDetail', 'Detail is malformed.');
  }
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: ctx.accountId,
    time: eventTime(entryTime(entry, ctx.clock.now())),
    region: ctx.region,
    resources: entry.strList('Resources'),
    detail: detail as Record<string, unknown>,
  };
}

/** PutEvents. */
export const putEvents: ActionDefinition = {
  validate: (ctx) => {
    const list = entries(ctx);
    if (list.reduce((n, entry) => n + entrySize(entry), 0) > MAX_REQUEST_BYTES) {
      throw validationError('Total size of the entries in the request is over the limit.');
    }
  },
  resources: (ctx) => [busArn({ accountId: ctx.accountId, region: ctx.region })],
  context: (ctx) => ({
    'events:source': entries(ctx).flatMap((entry) => entry.str('Source') ?? []),
    'events:detail-type': entries(ctx).flatMap((entry) => entry.str('DetailType') ?? []),
  }),
  handler: (ctx) => {
    const results: EntryResult[] = entries(ctx).map((entry) => {
      const read = readEntry(ctx, entry);
      if (!('version' in read)) return read;
      routeEvent(ctx.runtime, read);
      return { EventId: read.id };
    });
    return {
      FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      Entries: results,
    };
  },
};
