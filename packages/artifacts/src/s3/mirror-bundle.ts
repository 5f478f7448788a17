/**
 * Mirrors one bundle (an S3 object) into another bucket: skipped when the destination already
 * records the same SHA-256, else copied server-side or streamed, and always verified.
 */
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { RampartError, isRampartError } from '@rampart/core';
import { SHA256_METADATA_KEY, recordedSha256 } from './bundle-checksum.js';

/** An object in a bucket. */
export interface BundleLocation {
  bucket: string;
  key: string;
}

/** What to copy, with which clients. Clients are made by the caller (the AWS client factory). */
export interface MirrorBundleOptions {
  source: BundleLocation;
  destination: BundleLocation;
  /** Reads the source. */
  sourceClient: S3Client;
  /**
   * Writes the destination. When it is the same client as `sourceClient` (one principal may
   * read the source and write the destination) the copy is server-side (CopyObject).
   */
  destinationClient: S3Client;
  /** Cancels a streamed copy (the multipart upload is aborted). */
  signal?: AbortSignal;
  /** Part size of the streamed upload; memory use is about four parts. @default 8 MiB */
  partSize?: number;
}

/** What a bundle mirror did. */
export interface MirrorBundleResult {
  /** The content's SHA-256 in hex; the destination records it as `x-amz-meta-sha256`. */
  sha256: string;
  /** True when the destination already held the same content. */
  skipped: boolean;
  /** `skipped`, `copy` (server-side CopyObject) or `stream` (GetObject piped into an upload). */
  method: 'skipped' | 'copy' | 'stream';
  /** Bytes written to the destination (0 when skipped). */
  bytesCopied: number;
  /** Whether the source recorded its SHA-256; else it was read once to compute it. */
  sourceChecksumRecorded: boolean;
}

/** CopyObject's limit; larger objects are streamed. */
const MAX_COPY_OBJECT_BYTES = 5 * 1024 ** 3;

function status(error: unknown): number | undefined {
  const code = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata
    ?.httpStatusCode;
  return typeof code === 'number' ? code : undefined;
}

function name(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

/** Finds a RampartError a library wrapped (lib-storage rethrows stream errors as causes). */
function wrapped(error: unknown): RampartError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (isRampartError(e)) return e;
    e = e.cause;
  }
  return undefined;
}

/** The RampartError for an S3 failure while reading or writing a bundle. */
function s3Failure(error: unknown, action: string, location: BundleLocation): RampartError {
  const inner = wrapped(error);
  if (inner !== undefined) return inner;
  if (error instanceof Error && error.name === 'AbortError') {
    return new RampartError(
      'MIRROR_CANCELLED',
      `the copy of s3://${location.bucket}/${location.key} was cancelled`,
      {
        source: 'user',
        hint: 'Run the mirror again; it starts over for this bundle.',
      },
    );
  }
  const code = status(error);
  const what = `cannot ${action} s3://${location.bucket}/${location.key}: ${name(error)}${error instanceof Error && error.message !== name(error) ? ` (${error.message})` : ''}`;
  if (code === 404 || ['NoSuchKey', 'NoSuchBucket', 'NotFound'].includes(name(error))) {
    return new RampartError('BUNDLE_NOT_FOUND', what, {
      source: 'user',
      hint: 'Check the bucket and key; the bundle is built into the CI/CD account before it is mirrored.',
    });
  }
  if (code === 403 || ['AccessDenied', 'Forbidden'].includes(name(error))) {
    return new RampartError('BUNDLE_ACCESS_DENIED', what, {
      source: 'user',
      hint: `Allow ${action === 'write' ? 's3:PutObject' : 's3:GetObject'} on arn:aws:s3:::${location.bucket}/${location.key} for these credentials (across accounts also in the bucket policy).`,
    });
  }
  return new RampartError('BUNDLE_MIRROR_FAILED', what, {
    source: 'system',
    retryable: code === undefined || code >= 500 || code === 412,
    hint:
      code === 412
        ? 'The source changed during the copy: run the mirror again.'
        : "Read S3's error in the message and run the mirror again once it is fixed.",
    cause: error,
  });
}

/** A pass-through that hashes what flows and fails at the end unless it hashes to `expected`. */
function verifying(expected: string, where: string): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = hash.digest('hex');
      if (actual !== expected) {
        callback(
          new RampartError(
            'ARTIFACT_DIGEST_MISMATCH',
            `${where} hashes to sha256 ${actual}, but it records ${expected}`,
            {
              source: 'system',
              hint: 'The source changed during the copy or its recorded checksum is wrong: upload the bundle again, then mirror it.',
            },
          ),
        );
        return;
      }
      callback();
    },
  });
}

/** Mirrors one bundle; see {@link MirrorBundleOptions}. */
export async function mirrorBundle(options: MirrorBundleOptions): Promise<MirrorBundleResult> {
  // The SDK loads only when a bundle is mirrored: `rampart mirror` of images never needs it.
  const { HeadObjectCommand, GetObjectCommand, CopyObjectCommand } =
    await import('@aws-sdk/client-s3');
  const { source, destination, sourceClient, destinationClient } = options;
  const sourceUri = `s3://${source.bucket}/${source.key}`;
  const head = async (
    client: S3Client,
    location: BundleLocation,
  ): Promise<HeadObjectCommandOutput | undefined> => {
    try {
      return await client.send(
        new HeadObjectCommand({
          Bucket: location.bucket,
          Key: location.key,
          ChecksumMode: 'ENABLED',
        }),
        options.signal === undefined ? {} : { abortSignal: options.signal },
      );
    } catch (error) {
      // A missing destination is 404, or 403 without s3:ListBucket: both mean "copy it".
      if (location === destination && (status(error) === 404 || status(error) === 403))
        return undefined;
      throw s3Failure(error, 'read', location);
    }
  };
  const [sourceHead, destinationHead] = await Promise.all([
    head(sourceClient, source),
    head(destinationClient, destination),
  ]);
  if (sourceHead === undefined) throw s3Failure(new Error('no object'), 'read', source);
  const size = sourceHead.ContentLength ?? 0;
  const etag = sourceHead.ETag;

  const open = async (): Promise<Readable> => {
    try {
      const object = await sourceClient.send(
        new GetObjectCommand({ Bucket: source.bucket, Key: source.key, IfMatch: etag }),
        options.signal === undefined ? {} : { abortSignal: options.signal },
      );
      return object.Body as Readable;
    } catch (error) {
      throw s3Failure(error, 'read', source);
    }
  };

  const recorded = recordedSha256(sourceHead);
  let sha256 = recorded;
  if (sha256 === undefined) {
    // Nothing to compare against without reading it once: hash the content as a stream.
    const body = await open();
    const hash = createHash('sha256');
    try {
      for await (const chunk of body) hash.update(chunk as Buffer);
    } catch (error) {
      throw s3Failure(error, 'read', source);
    }
    sha256 = hash.digest('hex');
  }
  const base = { sha256, sourceChecksumRecorded: recorded !== undefined };
  if (destinationHead !== undefined && recordedSha256(destinationHead) === sha256) {
    return { ...base, skipped: true, method: 'skipped', bytesCopied: 0 };
  }

  const attributes = {
    Bucket: destination.bucket,
    Key: destination.key,
    Metadata: { ...sourceHead.Metadata, [SHA256_METADATA_KEY]: sha256 },
    ...(sourceHead.ContentType === undefined ? {} : { ContentType: sourceHead.ContentType }),
    ...(sourceHead.ContentEncoding === undefined
      ? {}
      : { ContentEncoding: sourceHead.ContentEncoding }),
    ...(sourceHead.CacheControl === undefined ? {} : { CacheControl: sourceHead.CacheControl }),
    ...(sourceHead.ContentDisposition === undefined
      ? {}
      : { ContentDisposition: sourceHead.ContentDisposition }),
  };

  if (sourceClient === destinationClient && size <= MAX_COPY_OBJECT_BYTES) {
    try {
      await destinationClient.send(
        new CopyObjectCommand({
          ...attributes,
          CopySource: `${source.bucket}/${encodeURIComponent(source.key).replace(/%2F/g, '/')}`,
          // Replace, to add the sha256 key; the guard makes a source changed since HEAD fail.
          MetadataDirective: 'REPLACE',
          ...(etag === undefined ? {} : { CopySourceIfMatch: etag }),
        }),
        options.signal === undefined ? {} : { abortSignal: options.signal },
      );
    } catch (error) {
      throw s3Failure(error, 'write', destination);
    }
    return { ...base, skipped: false, method: 'copy', bytesCopied: size };
  }

  const { Upload } = await import('@aws-sdk/lib-storage');
  const body = await open();
  const checked = verifying(sha256, sourceUri);
  body.on('error', (error) => checked.destroy(error));
  body.pipe(checked);
  const upload = new Upload({
    client: destinationClient,
    params: { ...attributes, Body: checked },
    queueSize: 4,
    partSize: options.partSize ?? 8 * 1024 * 1024,
    leavePartsOnError: false,
  });
  const abort = () => void upload.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    await upload.done();
  } catch (error) {
    throw s3Failure(error, 'write', destination);
  } finally {
    options.signal?.removeEventListener('abort', abort);
    body.destroy();
  }
  return { ...base, skipped: false, method: 'stream', bytesCopied: size };
}
