// Listing: ListObjectsV2, ListObjects (v1) and ListObjectVersions, with prefixes, delimiters and
// opaque continuation tokens.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { ownerElement } from './bucket-actions.js';
import { bucketTarget, requireBucket } from './s3-access.js';
import { invalidArgument } from './s3-errors.js';
import type { S3Result } from './s3-protocol.js';
import type { BucketState, ObjectVersion } from './s3-state.js';
import type { S3XmlValue } from './s3-xml.js';

/** Keys in S3's order: by their UTF-8 bytes. */
export function sortedKeys(keys: Iterable<string>): string[] {
  return [...keys]
    .map((key) => ({ key, bytes: Buffer.from(key) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map(({ key }) => key);
}

function after(a: string, b: string): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0;
}

/** The condition keys of ListBucket and ListBucketVersions. */
function listContext(ctx: ActionContext): Record<string, string> {
  return {
    's3:prefix': ctx.input.str('prefix') ?? '',
    ...(ctx.input.has('delimiter') ? { 's3:delimiter': ctx.input.str('delimiter') ?? '' } : {}),
    's3:max-keys': String(ctx.input.str('max-keys') ?? '1000'),
  };
}

function maxKeys(ctx: ActionContext, name = 'max-keys'): number {
  const text = ctx.input.str(name);
  if (text === undefined) return 1000;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw invalidArgument('Provided max-keys not an integer or within integer range', name, text);
  }
  return Math.min(value, 1000);
}

/** `encoding-type=url`: S3 percent-encodes keys and prefixes in the listing. */
function encoder(ctx: ActionContext): (text: string) => string {
  const type = ctx.input.str('encoding-type');
  if (type === undefined) return (text) => text;
  if (type !== 'url')
    throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', type);
  return (text) => encodeURIComponent(text).replace(/%2F/g, '/');
}

/** One listed entry: a key with its version, or a common prefix. */
type Entry = { kind: 'key'; key: string } | { kind: 'prefix'; prefix: string };

/** A resume point: the last key or common prefix returned. */
interface Marker {
  value: string;
  isPrefix: boolean;
}

/**
 * Walks `keys` (sorted) after `marker`, grouping by `delimiter` under `prefix`, until `max`
 * entries; reports whether more remain.
 */
function walk(
  keys: string[],
  options: { prefix: string; delimiter: string; marker?: Marker; max: number },
): { entries: Entry[]; truncated: boolean } {
  const { prefix, delimiter, marker, max } = options;
  const entries: Entry[] = [];
  let lastPrefix: string | undefined;
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    if (marker && !after(key, marker.value)) continue;
    if (marker?.isPrefix === true && key.startsWith(marker.value)) continue;
    let entry: Entry = { kind: 'key', key };
    if (delimiter !== '') {
      const at = key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        const common = key.slice(0, at + delimiter.length);
        if (common === lastPrefix) continue;
        lastPrefix = common;
        entry = { kind: 'prefix', prefix: common };
      }
    }
    if (entries.length >= max) return { entries, truncated: true };
    entries.push(entry);
  }
  return { entries, truncated: false };
}

function encodeToken(marker: Marker): string {
  return Buffer.from(JSON.stringify({ v: marker.value, p: marker.isPrefix })).toString('base64url');
}

function decodeToken(token: string): Marker {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    const { v, p } = parsed as { v?: unknown; p?: unknown };
    if (typeof v === 'string' && typeof p === 'boolean') return { value: v, isPrefix: p };
  } catch {
    // fall through to the error
  }
  throw invalidArgument(
    'The continuation token provided is incorrect',
    'continuation-token',
    token,
  );
}

function lastMarker(entries: Entry[]): Marker | undefined {
  const last = entries.at(-1);
  if (!last) return undefined;
  return last.kind === 'key'
    ? { value: last.key, isPrefix: false }
    : { value: last.prefix, isPrefix: true };
}

function contents(
  ctx: ActionContext,
  bucket: BucketState,
  key: string,
  version: ObjectVersion,
  encode: (text: string) => string,
  withOwner: boolean,
): Record<string, S3XmlValue> {
  return {
    Key: encode(key),
    LastModified: new Date(version.lastModified),
    ETag: version.etag,
    ...(version.checksum
      ? { ChecksumAlgorithm: version.checksum.algorithm, ChecksumType: 'FULL_OBJECT' }
      : {}),
    Size: version.size,
    StorageClass: version.storageClass,
    ...(withOwner ? { Owner: ownerElement(ctx, bucket.accountId) } : {}),
  };
}

/** Keys that have a current (non-delete-marker) version. */
function liveKeys(bucket: BucketState): string[] {
  return sortedKeys(
    Object.entries(bucket.objects)
      .filter(([, versions]) => versions[0] !== undefined && versions[0].deleteMarker !== true)
      .map(([key]) => key),
  );
}

const listObjectsV2: ActionDefinition = {
  iamAction: 's3:ListBucket',
  resources: (ctx) => [bucketTarget(ctx)],
  context: listContext,
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    const prefix = ctx.input.str('prefix') ?? '';
    const delimiter = ctx.input.str('delimiter') ?? '';
    const max = maxKeys(ctx);
    const token = ctx.input.str('continuation-token');
    const startAfter = ctx.input.str('start-after');
    let marker: Marker | undefined =
      startAfter !== undefined && startAfter !== ''
        ? { value: startAfter, isPrefix: false }
        : undefined;
    if (token !== undefined) marker = decodeToken(token);
    const encode = encoder(ctx);
    const { entries, truncated } = walk(liveKeys(bucket), {
      prefix,
      delimiter,
      max,
      ...(marker ? { marker } : {}),
    });
    const withOwner = ctx.input.str('fetch-owner') === 'true';
    const next = truncated ? lastMarker(entries) : undefined;
    return {
      xml: {
        root: 'ListBucketResult',
        value: {
          Name: bucket.name,
          Prefix: encode(prefix),
          ...(delimiter !== '' ? { Delimiter: encode(delimiter) } : {}),
          MaxKeys: max,
          ...(ctx.input.has('encoding-type') ? { EncodingType: 'url' } : {}),
          KeyCount: entries.length,
          IsTruncated: truncated,
          ...(token !== undefined ? { ContinuationToken: token } : {}),
          ...(next ? { NextContinuationToken: encodeToken(next) } : {}),
          ...(startAfter !== undefined ? { StartAfter: encode(startAfter) } : {}),
          ...listed(ctx, bucket, entries, encode, withOwner),
        },
      },
    };
  },
};

/** The Contents and CommonPrefixes of a ListObjects (v1 or v2) answer. */
function listed(
  ctx: Parameters<typeof contents>[0],
  bucket: Parameters<typeof contents>[1],
  entries: ReturnType<typeof walk>['entries'],
  encode: (text: string) => string,
  withOwner: boolean,
): { Contents: S3XmlValue[]; CommonPrefixes: S3XmlValue[] } {
  return {
    Contents: entries.flatMap((entry) => {
      if (entry.kind !== 'key') return [];
      const version = bucket.objects[entry.key]?.[0];
      return version ? [contents(ctx, bucket, entry.key, version, encode, withOwner)] : [];
    }),
    CommonPrefixes: entries.flatMap((entry) =>
      entry.kind === 'prefix' ? [{ Prefix: encode(entry.prefix) }] : [],
    ),
  };
}

const listObjects: ActionDefinition = {
  iamAction: 's3:ListBucket',
  resources: (ctx) => [bucketTarget(ctx)],
  context: listContext,
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    const prefix = ctx.input.str('prefix') ?? '';
    const delimiter = ctx.input.str('delimiter') ?? '';
    const max = maxKeys(ctx);
    const markerText = ctx.input.str('marker') ?? '';
    const encode = encoder(ctx);
    // A v1 marker may be a key or a common prefix; a prefix marker skips the keys under it.
    const marker: Marker | undefined =
      markerText === ''
        ? undefined
        : { value: markerText, isPrefix: delimiter !== '' && markerText.endsWith(delimiter) };
    const { entries, truncated } = walk(liveKeys(bucket), {
      prefix,
      delimiter,
      max,
      ...(marker ? { marker } : {}),
    });
    const next = truncated && delimiter !== '' ? lastMarker(entries) : undefined;
    return {
      xml: {
        root: 'ListBucketResult',
        value: {
          Name: bucket.name,
          Prefix: encode(prefix),
          Marker: encode(markerText),
          ...(next ? { NextMarker: encode(next.value) } : {}),
          MaxKeys: max,
          ...(delimiter !== '' ? { Delimiter: encode(delimiter) } : {}),
          ...(ctx.input.has('encoding-type') ? { EncodingType: 'url' } : {}),
          IsTruncated: truncated,
          ...listed(ctx, bucket, entries, encode, true),
        },
      },
    };
  },
};

const listObjectVersions: ActionDefinition = {
  iamAction: 's3:ListBucketVersions',
  resources: (ctx) => [bucketTarget(ctx)],
  context: listContext,
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    const prefix = ctx.input.str('prefix') ?? '';
    const delimiter = ctx.input.str('delimiter') ?? '';
    const max = maxKeys(ctx);
    const keyMarker = ctx.input.str('key-marker') ?? '';
    const versionMarker = ctx.input.str('version-id-marker') ?? '';
    const encode = encoder(ctx);
    const versions: Record<string, S3XmlValue>[] = [];
    const markers: Record<string, S3XmlValue>[] = [];
    const prefixes: { Prefix: string }[] = [];
    let count = 0;
    let truncated = false;
    let nextKey: string | undefined;
    let nextVersion: string | undefined;
    let lastPrefix: string | undefined;
    const owner = ownerElement(ctx, bucket.accountId);
    outer: for (const key of sortedKeys(Object.keys(bucket.objects))) {
      if (!key.startsWith(prefix)) continue;
      if (
        keyMarker !== '' &&
        !after(key, keyMarker) &&
        !(key === keyMarker && versionMarker !== '')
      ) {
        continue;
      }
      if (delimiter !== '') {
        const at = key.indexOf(delimiter, prefix.length);
        if (at >= 0) {
          const common = key.slice(0, at + delimiter.length);
          if (common === lastPrefix || (keyMarker !== '' && keyMarker.startsWith(common))) continue;
          if (count >= max) {
            truncated = true;
            break;
          }
          lastPrefix = common;
          prefixes.push({ Prefix: encode(common) });
          count += 1;
          nextKey = common;
          nextVersion = undefined;
          continue;
        }
      }
      const list = bucket.objects[key] ?? [];
      let skipping = key === keyMarker && versionMarker !== '';
      for (const [index, version] of list.entries()) {
        if (skipping) {
          if (version.versionId === versionMarker) skipping = false;
          continue;
        }
        if (count >= max) {
          truncated = true;
          break outer;
        }
        const common = {
          Key: encode(key),
          VersionId: version.versionId,
          IsLatest: index === 0,
          LastModified: new Date(version.lastModified),
          Owner: owner,
        };
        if (version.deleteMarker === true) markers.push(common);
        else {
          versions.push({
            ...common,
            ETag: version.etag,
            Size: version.size,
            StorageClass: version.storageClass,
          });
        }
        count += 1;
        nextKey = key;
        nextVersion = version.versionId;
      }
    }
    return {
      xml: {
        root: 'ListVersionsResult',
        value: {
          Name: bucket.name,
          Prefix: encode(prefix),
          KeyMarker: encode(keyMarker),
          VersionIdMarker: versionMarker,
          ...(truncated && nextKey !== undefined ? { NextKeyMarker: encode(nextKey) } : {}),
          ...(truncated && nextVersion !== undefined ? { NextVersionIdMarker: nextVersion } : {}),
          MaxKeys: max,
          ...(delimiter !== '' ? { Delimiter: encode(delimiter) } : {}),
          ...(ctx.input.has('encoding-type') ? { EncodingType: 'url' } : {}),
          IsTruncated: truncated,
          Version: versions,
          DeleteMarker: markers,
          CommonPrefixes: prefixes,
        },
      },
    };
  },
};

/** Listing actions. */
export const LIST_ACTIONS: Record<string, ActionDefinition> = {
  ListObjectsV2: listObjectsV2,
  ListObjects: listObjects,
  ListObjectVersions: listObjectVersions,
};
