// Objects: put, get, head, delete, delete many.
import { CommonError } from '../../framework/aws-error.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { readSegments } from './blob-store.js';
import { checksumHeader } from './checksums.js';
import { objectHeaders, requestedAttributes, sseHeaders } from './object-attributes.js';
import { checkReadConditions, checkWriteConditions, parseRange } from './object-conditions.js';
import {
  addVersion,
  currentVersion,
  findVersion,
  NULL_VERSION,
  newVersionId,
  removeVersion,
} from './object-versions.js';
import { MAX_PUT_BYTES, receiveBody } from './receive-body.js';
import { readXmlBody } from './request-body.js';
import {
  baseContext,
  bucketArn,
  isAllowed,
  objectArn,
  objectTarget,
  requireBucket,
  resourceTarget,
} from './s3-access.js';
import { invalidArgument, malformedXml, noSuchKey, noSuchVersion, s3Error } from './s3-errors.js';
import type { S3Result } from './s3-protocol.js';
import type { BucketState, ObjectVersion } from './s3-state.js';
import { xmlList, xmlText } from './s3-xml.js';

/** Object keys are at most 1,024 bytes of UTF-8. */
export function checkKey(ctx: ActionContext): void {
  const key = ctx.input.reqStr('Key');
  if (Buffer.byteLength(key) > 1024) {
    throw s3Error('KeyTooLongError', 'Your key is too long', 400, {
      Size: String(Buffer.byteLength(key)),
      MaxSizeAllowed: '1024',
    });
  }
}

/** Condition keys of writes (`s3:x-amz-server-side-encryption`, …). */
export function writeContext(ctx: ActionContext): Record<string, string> {
  const { headers } = ctx.request;
  const context: Record<string, string> = {};
  for (const name of [
    'x-amz-server-side-encryption',
    'x-amz-server-side-encryption-aws-kms-key-id',
    'x-amz-acl',
    'x-amz-storage-class',
    'x-amz-metadata-directive',
    'x-amz-copy-source',
  ]) {
    const value = headers[name];
    if (value !== undefined) context[`s3:${name}`] = value;
  }
  return context;
}

/** The response headers of a write that created `version`. */
export function writeHeaders(bucket: BucketState, version: ObjectVersion): Record<string, string> {
  return {
    etag: version.etag,
    ...sseHeaders(version.sse),
    ...(bucket.versioning === 'Enabled' ? { 'x-amz-version-id': version.versionId } : {}),
    ...(version.checksum
      ? {
          [checksumHeader(version.checksum.algorithm)]: version.checksum.value,
          'x-amz-checksum-type': 'FULL_OBJECT',
        }
      : {}),
  };
}

const putObject: ActionDefinition = {
  validate: checkKey,
  resources: (ctx) => [objectTarget(ctx)],
  context: writeContext,
  handler: async (ctx): Promise<S3Result> => {
    const bucket = requireBucket(ctx);
    const key = ctx.input.reqStr('Key');
    const attributes = requestedAttributes(ctx, bucket);
    const { headers } = ctx.request;
    // Fail fast before taking the body, and again at commit: another writer may have won meanwhile.
    checkWriteConditions(headers, key, currentVersion(bucket, key));
    const body = await receiveBody(ctx, { kind: 'blob', maxBytes: MAX_PUT_BYTES });
    checkWriteConditions(headers, key, currentVersion(bucket, key));
    const version: ObjectVersion = {
      ...attributes,
      versionId: NULL_VERSION,
      lastModified: ctx.clock.now().toISOString(),
      etag: `"${body.md5Hex}"`,
      size: body.size,
      segments: [{ blob: body.blob ?? '', offset: 0, length: body.size }],
      ...(body.checksum ? { checksum: body.checksum } : {}),
    };
    version.versionId = addVersion(bucket, key, version);
    const stored = currentVersion(bucket, key) ?? version;
    return { headers: writeHeaders(bucket, stored) };
  },
};

function readIamAction(base: string, versioned: string) {
  return (ctx: ActionContext): string => (ctx.input.has('versionId') ? versioned : base);
}

/** The version a read names, or the S3 error for a missing key, version or a delete marker. */
async function versionToRead(ctx: ActionContext, bucket: BucketState): Promise<ObjectVersion> {
  const key = ctx.input.reqStr('Key');
  const versionId = ctx.input.str('versionId');
  if (versionId !== undefined) {
    const version = findVersion(bucket, key, versionId);
    if (!version) {
      if (versionId !== NULL_VERSION && !/^[A-Za-z0-9._-]{1,1024}$/.test(versionId)) {
        throw invalidArgument('Invalid version id specified', 'versionId', versionId);
      }
      throw noSuchVersion(key, versionId);
    }
    if (version.deleteMarker === true) {
      throw s3Error(
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
        405,
        {
          Method: ctx.request.method,
          ResourceType: 'DeleteMarker',
        },
        { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId },
      );
    }
    return version;
  }
  const version = currentVersion(bucket, key);
  if (version) return version;
  // Without s3:ListBucket, AWS does not reveal whether a key exists.
  if (
    !(await isAllowed(ctx, 's3:ListBucket', resourceTarget(ctx, bucket, bucketArn(bucket.name))))
  ) {
    throw new CommonError('AccessDenied', 'Access Denied');
  }
  const marker = bucket.objects[key]?.[0];
  const error = noSuchKey(key);
  if (marker?.deleteMarker === true) {
    error.headers['x-amz-delete-marker'] = 'true';
    error.headers['x-amz-version-id'] = marker.versionId;
  }
  throw error;
}

async function readObject(ctx: ActionContext, withBody: boolean): Promise<S3Result> {
  const bucket = requireBucket(ctx);
  const version = await versionToRead(ctx, bucket);
  if (ctx.input.has('partNumber')) {
    throw s3Error('NotImplemented', 'The sandbox does not serve objects by part number', 501);
  }
  const { headers } = ctx.request;
  const range = parseRange(headers['range'], version.size);
  const base = objectHeaders(ctx, bucket, version, {
    withChecksum: range === undefined && headers['x-amz-checksum-mode'] === 'ENABLED',
  });
  if (checkReadConditions(headers, version) === 'not-modified') {
    return {
      status: 304,
      headers: { etag: version.etag, 'last-modified': base['last-modified'] ?? '' },
    };
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? version.size - 1;
  const length = version.size === 0 ? 0 : end - start + 1;
  const responseHeaders: Record<string, string> = { ...base, 'content-length': String(length) };
  if (range) responseHeaders['content-range'] = `bytes ${start}-${end}/${version.size}`;
  return {
    status: range ? 206 : 200,
    headers: responseHeaders,
    body: withBody && length > 0 ? readSegments(ctx.runtime, version.segments, start, end) : '',
  };
}

const getObject: ActionDefinition = {
  iamAction: readIamAction('s3:GetObject', 's3:GetObjectVersion'),
  resources: (ctx) => [objectTarget(ctx)],
  handler: (ctx) => readObject(ctx, true),
};

const headObject: ActionDefinition = {
  iamAction: readIamAction('s3:GetObject', 's3:GetObjectVersion'),
  resources: (ctx) => [objectTarget(ctx)],
  handler: (ctx) => readObject(ctx, false),
};

/** What one delete did, for responses. */
interface DeleteOutcome {
  versionId?: string;
  deleteMarker: boolean;
}

/** Deletes a key (a marker in versioned buckets) or one version. */
function deleteOne(
  ctx: ActionContext,
  bucket: BucketState,
  key: string,
  versionId: string | undefined,
): DeleteOutcome {
  if (versionId !== undefined) {
    const removed = removeVersion(bucket, key, versionId);
    return { versionId, deleteMarker: removed?.deleteMarker === true };
  }
  if (bucket.versioning === undefined) {
    delete bucket.objects[key];
    return { deleteMarker: false };
  }
  const marker: ObjectVersion = {
    versionId: bucket.versioning === 'Enabled' ? newVersionId() : NULL_VERSION,
    deleteMarker: true,
    lastModified: ctx.clock.now().toISOString(),
    etag: '',
    size: 0,
    segments: [],
    contentType: '',
    metadata: {},
    headers: {},
    sse: { algorithm: 'AES256' },
    storageClass: 'STANDARD',
  };
  const stored = addVersion(bucket, key, marker);
  return { versionId: stored, deleteMarker: true };
}

const deleteObject: ActionDefinition = {
  iamAction: readIamAction('s3:DeleteObject', 's3:DeleteObjectVersion'),
  resources: (ctx) => [objectTarget(ctx)],
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    const key = ctx.input.reqStr('Key');
    const ifMatch = ctx.request.headers['if-match'];
    if (ifMatch !== undefined) {
      const current = currentVersion(bucket, key);
      if (!current) throw noSuchKey(key);
      if (current.etag !== ifMatch && current.etag !== `"${ifMatch.replace(/"/g, '')}"`) {
        throw s3Error(
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold',
          412,
          { Condition: 'If-Match' },
        );
      }
    }
    const outcome = deleteOne(ctx, bucket, key, ctx.input.str('versionId'));
    return {
      status: 204,
      headers: {
        ...(outcome.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
        ...(outcome.versionId !== undefined && bucket.versioning !== undefined
          ? { 'x-amz-version-id': outcome.versionId }
          : {}),
      },
    };
  },
};

/** DeleteObjects takes at most 1,000 keys. */
const MAX_DELETE_KEYS = 1000;

const deleteObjects: ActionDefinition = {
  // AWS authorizes each key with s3:DeleteObject and reports denials per key.
  auth: 'signature-only',
  handler: async (ctx): Promise<S3Result> => {
    const bucket = requireBucket(ctx);
    const document = await readXmlBody(ctx, 'Delete');
    const objects = xmlList(document?.['Object']);
    if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw malformedXml();
    const quiet = xmlText(document, 'Quiet') === 'true';
    const deleted: Record<string, string | boolean>[] = [];
    const errors: Record<string, string>[] = [];
    for (const object of objects) {
      const key = xmlText(object, 'Key');
      if (key === undefined || key === '') throw malformedXml();
      const versionId = xmlText(object, 'VersionId');
      const target = resourceTarget(ctx, bucket, objectArn(bucket.name, key));
      const action = versionId !== undefined ? 's3:DeleteObjectVersion' : 's3:DeleteObject';
      if (!(await isAllowed(ctx, action, { ...target, context: baseContext(ctx, bucket) }))) {
        errors.push({
          Key: key,
          ...(versionId !== undefined ? { VersionId: versionId } : {}),
          Code: 'AccessDenied',
          Message: 'Access Denied',
        });
        continue;
      }
      const outcome = deleteOne(ctx, bucket, key, versionId);
      if (quiet) continue;
      deleted.push({
        Key: key,
        ...(versionId !== undefined ? { VersionId: versionId } : {}),
        ...(outcome.deleteMarker ? { DeleteMarker: true } : {}),
        ...(outcome.deleteMarker && versionId === undefined && outcome.versionId !== undefined
          ? { DeleteMarkerVersionId: outcome.versionId }
          : {}),
      });
    }
    return { xml: { root: 'DeleteResult', value: { Deleted: deleted, Error: errors } } };
  },
};

/** Object actions. */
export const OBJECT_ACTIONS: Record<string, ActionDefinition> = {
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
};
