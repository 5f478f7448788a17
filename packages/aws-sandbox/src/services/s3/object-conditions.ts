// HTTP preconditions on objects: reads (If-Match, If-None-Match, If-(Un)Modified-Since, Range)
// and conditional writes (If-None-Match: * and If-Match on PutObject and CompleteMultipartUpload).
import { noSuchKey, preconditionFailed, s3Error } from './s3-errors.js';
import type { ObjectVersion } from './s3-state.js';

function etagMatches(header: string, etag: string): boolean {
  const bare = etag.replace(/^"|"$/g, '');
  return header
    .split(',')
    .map((part) => part.trim().replace(/^W\//, '').replace(/^"|"$/g, ''))
    .some((candidate) => candidate === '*' || candidate === bare);
}

function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** Whole seconds, as HTTP dates carry no more. */
function seconds(iso: string): number {
  return Math.floor(new Date(iso).getTime() / 1000) * 1000;
}

/**
 * Evaluates read preconditions in S3's order. Returns `not-modified` for a 304; throws
 * `PreconditionFailed` (412).
 */
export function checkReadConditions(
  headers: Record<string, string>,
  version: ObjectVersion,
  prefix = '',
): 'ok' | 'not-modified' {
  const ifMatch = headers[`${prefix}if-match`];
  const ifNoneMatch = headers[`${prefix}if-none-match`];
  const modifiedSince = parseHttpDate(headers[`${prefix}if-modified-since`]);
  const unmodifiedSince = parseHttpDate(headers[`${prefix}if-unmodified-since`]);
  const modified = seconds(version.lastModified);
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, version.etag)) throw preconditionFailed(`${prefix}If-Match`);
  } else if (unmodifiedSince !== undefined && modified > unmodifiedSince) {
    throw preconditionFailed(`${prefix}If-Unmodified-Since`);
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, version.etag)) return 'not-modified';
  } else if (modifiedSince !== undefined && modified <= modifiedSince) {
    return 'not-modified';
  }
  return 'ok';
}

/**
 * Conditional writes: `If-None-Match: *` fails when the key exists, `If-Match` when its ETag
 * differs (or 404 when there is no object). Checked before the body and again at commit.
 */
export function checkWriteConditions(
  headers: Record<string, string>,
  key: string,
  current: ObjectVersion | undefined,
): void {
  const ifNoneMatch = headers['if-none-match'];
  const ifMatch = headers['if-match'];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') {
      throw s3Error(
        'NotImplemented',
        'A header you provided implies functionality that is not implemented',
        501,
        { Header: 'If-None-Match' },
      );
    }
    if (current) throw preconditionFailed('If-None-Match');
  }
  if (ifMatch !== undefined) {
    if (!current) throw noSuchKey(key);
    if (!etagMatches(ifMatch, current.etag)) throw preconditionFailed('If-Match');
  }
}

/** A satisfiable byte range, inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a `Range` header against an object size. Returns undefined for the whole object
 * (no header, or a form S3 ignores such as several ranges); throws `InvalidRange` (416).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  let start: number;
  let end: number;
  if (first === '') {
    if (last === '') return undefined;
    const suffix = Number(last);
    if (suffix === 0) throw invalidRange(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) return undefined;
  }
  if (start >= size) throw invalidRange(size);
  return { start, end };
}

function invalidRange(size: number): Error {
  return s3Error(
    'InvalidRange',
    'The requested range is not satisfiable',
    416,
    {
      ActualObjectSize: String(size),
    },
    { 'content-range': `bytes */${size}` },
  );
}
