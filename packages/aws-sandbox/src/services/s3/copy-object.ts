// CopyObject: a new object from an existing one, sharing its immutable blobs (no data copied).
import { createHash } from 'node:crypto';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { readSegments } from './blob-store.js';
import { checkKey, writeContext, writeHeaders } from './object-actions.js';
import { requestedAttributes, requestedSse } from './object-attributes.js';
import { checkReadConditions, checkWriteConditions } from './object-conditions.js';
import { addVersion, currentVersion, findVersion, NULL_VERSION } from './object-versions.js';
import { findBucket, objectArn, objectTarget, requireBucket, resourceTarget } from './s3-access.js';
import {
  invalidArgument,
  invalidRequest,
  noSuchBucket,
  noSuchKey,
  noSuchVersion,
  preconditionFailed,
} from './s3-errors.js';
import type { S3Result } from './s3-protocol.js';
import type { BucketState, ObjectVersion } from './s3-state.js';

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=…]`, URL-encoded (the `/` may be encoded too). */
export function parseCopySource(header: string): {
  bucket: string;
  key: string;
  versionId?: string;
} {
  const q = header.indexOf('?');
  const rawPath = q < 0 ? header : header.slice(0, q);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', header);
  }
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed.indexOf('/');
  if (slash <= 0 || slash === trimmed.length - 1) {
    throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', header);
  }
  const versionId =
    q < 0 ? undefined : (new URLSearchParams(header.slice(q + 1)).get('versionId') ?? undefined);
  return {
    bucket: trimmed.slice(0, slash),
    key: trimmed.slice(slash + 1),
    ...(versionId !== undefined ? { versionId } : {}),
  };
}

/** The MD5 of stored data, streamed from disk (multipart sources get a plain ETag on copy). */
async function md5Of(ctx: ActionContext, version: ObjectVersion): Promise<string> {
  const hash = createHash('md5');
  if (version.size > 0) {
    for await (const chunk of readSegments(ctx.runtime, version.segments, 0, version.size - 1)) {
      hash.update(chunk as Buffer);
    }
  }
  return hash.digest('hex');
}

function sourceVersion(
  source: BucketState,
  parsed: { key: string; versionId?: string },
): ObjectVersion {
  if (parsed.versionId !== undefined) {
    const version = findVersion(source, parsed.key, parsed.versionId);
    if (!version || version.deleteMarker === true)
      throw noSuchVersion(parsed.key, parsed.versionId);
    return version;
  }
  const version = currentVersion(source, parsed.key);
  if (!version) throw noSuchKey(parsed.key);
  return version;
}

const copyObject: ActionDefinition = {
  iamAction: 's3:PutObject',
  validate: checkKey,
  resources: (ctx) => [objectTarget(ctx)],
  context: writeContext,
  handler: async (ctx): Promise<S3Result> => {
    const bucket = requireBucket(ctx);
    const key = ctx.input.reqStr('Key');
    const { headers } = ctx.request;
    const parsed = parseCopySource(headers['x-amz-copy-source'] ?? '');
    const source = findBucket(ctx, parsed.bucket);
    if (!source) throw noSuchBucket(parsed.bucket);
    await ctx.authorize(
      parsed.versionId !== undefined ? 's3:GetObjectVersion' : 's3:GetObject',
      resourceTarget(ctx, source, objectArn(source.name, parsed.key)),
    );
    const from = sourceVersion(source, parsed);
    if (checkReadConditions(headers, from, 'x-amz-copy-source-') === 'not-modified') {
      throw preconditionFailed('x-amz-copy-source-If-None-Match');
    }
    const directive = headers['x-amz-metadata-directive'] ?? 'COPY';
    if (directive !== 'COPY' && directive !== 'REPLACE') {
      throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
    }
    const sameObject = source.name === bucket.name && parsed.key === key;
    const changesSomething =
      directive === 'REPLACE' ||
      headers['x-amz-server-side-encryption'] !== undefined ||
      headers['x-amz-storage-class'] !== undefined ||
      headers['x-amz-website-redirect-location'] !== undefined;
    if (sameObject && parsed.versionId === undefined && !changesSomething) {
      throw invalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    const replaced = requestedAttributes(ctx, bucket);
    const attributes =
      directive === 'REPLACE'
        ? replaced
        : {
            contentType: from.contentType,
            metadata: { ...from.metadata },
            headers: { ...from.headers },
            sse: requestedSse(ctx, bucket),
            storageClass: headers['x-amz-storage-class'] ?? from.storageClass,
            ...(from.tagging !== undefined ? { tagging: from.tagging } : {}),
          };
    if (headers['x-amz-tagging-directive'] === 'REPLACE') {
      delete attributes.tagging;
      if (replaced.tagging !== undefined) attributes.tagging = replaced.tagging;
    }
    checkWriteConditions(headers, key, currentVersion(bucket, key));
    const etag = from.partsCount !== undefined ? `"${await md5Of(ctx, from)}"` : from.etag;
    const now = ctx.clock.now();
    const version: ObjectVersion = {
      ...attributes,
      versionId: NULL_VERSION,
      lastModified: now.toISOString(),
      etag,
      size: from.size,
      segments: from.segments.map((segment) => ({ ...segment })),
      ...(from.checksum ? { checksum: { ...from.checksum } } : {}),
    };
    version.versionId = addVersion(bucket, key, version);
    const written = writeHeaders(bucket, version);
    delete written['etag'];
    for (const name of Object.keys(written))
      if (name.startsWith('x-amz-checksum-')) delete written[name];
    return {
      headers: {
        ...written,
        ...(source.versioning !== undefined
          ? { 'x-amz-copy-source-version-id': from.versionId }
          : {}),
      },
      xml: {
        root: 'CopyObjectResult',
        value: {
          ETag: etag,
          LastModified: now,
          ...(from.checksum ? { [`Checksum${from.checksum.algorithm}`]: from.checksum.value } : {}),
        },
      },
    };
  },
};

/** CopyObject. */
export const COPY_ACTIONS: Record<string, ActionDefinition> = { CopyObject: copyObject };
