// What an object carries besides its bytes, read from PUT headers and written back on GET/HEAD.
import type { ActionContext } from '../../framework/service.js';
import { parseSseAlgorithm } from './bucket-config-actions.js';
import { checksumHeader } from './checksums.js';
import { invalidArgument, s3Error } from './s3-errors.js';
import type { BucketState, ObjectAttributes, ObjectVersion, SseSettings } from './s3-state.js';

/** Representation headers S3 stores and returns as given. */
const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-language',
  'expires',
  'x-amz-website-redirect-location',
];

const STORAGE_CLASSES = new Set([
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
]);

/** User metadata may not exceed 2 KB, as in AWS. */
const MAX_METADATA_BYTES = 2048;

/** The full KMS key ARN S3 reports for a key id given as a bare id. */
function kmsKeyArn(keyId: string, bucket: BucketState): string {
  if (keyId.startsWith('arn:')) return keyId;
  if (keyId.startsWith('alias/'))
    return `arn:aws:kms:${bucket.region}:${bucket.accountId}:${keyId}`;
  return `arn:aws:kms:${bucket.region}:${bucket.accountId}:key/${keyId}`;
}

/** The encryption an object gets: the request's headers, else the bucket default. */
export function requestedSse(ctx: ActionContext, bucket: BucketState): SseSettings {
  const { headers } = ctx.request;
  const header = headers['x-amz-server-side-encryption'];
  const keyId = headers['x-amz-server-side-encryption-aws-kms-key-id'];
  const bucketKey = headers['x-amz-server-side-encryption-bucket-key-enabled'];
  if (header === undefined) {
    if (keyId !== undefined) {
      throw invalidArgument(
        'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
        'x-amz-server-side-encryption',
      );
    }
    return {
      ...bucket.encryption,
      ...(bucket.encryption.kmsKeyId !== undefined
        ? { kmsKeyId: kmsKeyArn(bucket.encryption.kmsKeyId, bucket) }
        : {}),
    };
  }
  const algorithm = parseSseAlgorithm(header);
  if (algorithm === undefined) {
    throw invalidArgument(
      'The encryption method specified is not supported',
      'x-amz-server-side-encryption',
      header,
    );
  }
  if (algorithm === 'AES256' && keyId !== undefined) {
    throw invalidArgument(
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      'x-amz-server-side-encryption',
      header,
    );
  }
  const defaultKey =
    algorithm !== 'AES256' && bucket.encryption.algorithm !== 'AES256'
      ? bucket.encryption.kmsKeyId
      : undefined;
  const key = keyId ?? defaultKey;
  return {
    algorithm,
    ...(key !== undefined ? { kmsKeyId: kmsKeyArn(key, bucket) } : {}),
    ...(bucketKey !== undefined ? { bucketKeyEnabled: bucketKey.toLowerCase() === 'true' } : {}),
  };
}

/** Reads content type, metadata, stored headers, storage class and tags from a request. */
export function requestedAttributes(ctx: ActionContext, bucket: BucketState): ObjectAttributes {
  const { headers } = ctx.request;
  const metadata: Record<string, string> = {};
  let metadataBytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('x-amz-meta-')) continue;
    const short = name.slice('x-amz-meta-'.length);
    metadata[short] = value;
    metadataBytes += Buffer.byteLength(short) + Buffer.byteLength(value);
  }
  if (metadataBytes > MAX_METADATA_BYTES) {
    throw s3Error(
      'MetadataTooLarge',
      'Your metadata headers exceed the maximum allowed metadata size',
      400,
      { Size: String(metadataBytes), MaxSizeAllowed: String(MAX_METADATA_BYTES) },
    );
  }
  const stored: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) stored[name] = value;
  }
  // aws-chunked is the transfer framing, not the object's encoding.
  const encoding = (headers['content-encoding'] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== 'aws-chunked')
    .join(',');
  if (encoding !== '') stored['content-encoding'] = encoding;
  const storageClass = headers['x-amz-storage-class'] ?? 'STANDARD';
  if (!STORAGE_CLASSES.has(storageClass)) {
    throw s3Error('InvalidStorageClass', 'The storage class you specified is not valid', 400, {
      StorageClassRequested: storageClass,
    });
  }
  const tagging = headers['x-amz-tagging'];
  return {
    contentType: headers['content-type'] ?? 'binary/octet-stream',
    metadata,
    headers: stored,
    sse: requestedSse(ctx, bucket),
    storageClass,
    ...(tagging !== undefined && tagging !== '' ? { tagging } : {}),
  };
}

/** The SSE response headers of an object or part. */
export function sseHeaders(sse: SseSettings): Record<string, string> {
  return {
    'x-amz-server-side-encryption': sse.algorithm,
    ...(sse.kmsKeyId !== undefined
      ? { 'x-amz-server-side-encryption-aws-kms-key-id': sse.kmsKeyId }
      : {}),
    ...(sse.bucketKeyEnabled === true
      ? { 'x-amz-server-side-encryption-bucket-key-enabled': 'true' }
      : {}),
  };
}

/** Headers of a GET/HEAD answer that describe the object (not its range). */
export function objectHeaders(
  ctx: ActionContext,
  bucket: BucketState,
  version: ObjectVersion,
  options: { withChecksum: boolean },
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': version.contentType,
    etag: version.etag,
    'last-modified': new Date(version.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    ...version.headers,
    ...sseHeaders(version.sse),
  };
  for (const [name, value] of Object.entries(version.metadata))
    headers[`x-amz-meta-${name}`] = value;
  if (bucket.versioning !== undefined) headers['x-amz-version-id'] = version.versionId;
  if (version.storageClass !== 'STANDARD') headers['x-amz-storage-class'] = version.storageClass;
  if (version.partsCount !== undefined)
    headers['x-amz-mp-parts-count'] = String(version.partsCount);
  if (version.tagging !== undefined) {
    headers['x-amz-tagging-count'] = String(new URLSearchParams(version.tagging).size);
  }
  if (options.withChecksum && version.checksum) {
    headers[checksumHeader(version.checksum.algorithm)] = version.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  // Presigned URLs may override response headers (`response-content-type=…`).
  for (const name of [
    'content-type',
    'content-language',
    'expires',
    'cache-control',
    'content-disposition',
    'content-encoding',
  ]) {
    const override = ctx.input.str(`response-${name}`);
    if (override !== undefined) headers[name] = override;
  }
  return headers;
}
