/**
 * Bundles in S3 for builds: whether a key holds a bundle (and its recorded SHA-256), and the
 * upload of a built zip with its SHA-256 recorded as `x-amz-meta-sha256`, as mirrorBundle reads it.
 */
import { createReadStream } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { isRampartError } from '@rampart/core';
import { SHA256_METADATA_KEY, recordedSha256 } from '../s3/bundle-checksum.js';
import type { BuildContext } from './build-context.js';

function status(error: unknown): number | undefined {
  const code = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata
    ?.httpStatusCode;
  return typeof code === 'number' ? code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error
    ? `${error.name}${error.message === error.name ? '' : `: ${error.message}`}`
    : String(error);
}

/**
 * What a key holds: `{ sha256 }` (undefined when it records none), or undefined when there is no
 * object (404; 403 too, as S3 answers for a missing key without s3:ListBucket).
 */
export async function storedBundle(
  context: BuildContext,
  client: S3Client,
  bucket: string,
  key: string,
  expectedOwner?: string,
): Promise<{ sha256: string | undefined } | undefined> {
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  try {
    const head = await client.send(
      new HeadObjectCommand({
        Bucket: bucket,
        Key: key,
        ChecksumMode: 'ENABLED',
        ...(expectedOwner === undefined ? {} : { ExpectedBucketOwner: expectedOwner }),
      }),
      { abortSignal: context.request.signal },
    );
    return { sha256: recordedSha256(head) };
  } catch (error) {
    if (context.request.signal.aborted) throw context.cancelled();
    const code = status(error);
    if (code === 404 || code === 403) return undefined;
    throw context.log.failure(
      'ARTIFACT_STORE_FAILED',
      `cannot look at s3://${bucket}/${key}: ${describe(error)}`,
      { source: 'system', retryable: true, cause: error },
    );
  }
}

/** Whether the bundle a previous build returned (`s3_bucket`, `s3_key`) is still stored. */
export async function previousBundleStored(
  context: BuildContext,
  fields: Readonly<Record<string, string>>,
): Promise<boolean> {
  const { s3_bucket: bucket, s3_key: key } = fields;
  if (bucket === undefined || key === undefined) return false;
  try {
    return (await storedBundle(context, context.s3(), bucket, key)) !== undefined;
  } catch (error) {
    if (context.request.signal.aborted) throw context.cancelled();
    context.log.write(
      `cannot check the earlier bundle s3://${bucket}/${key}: ${isRampartError(error) ? error.message : String(error)}`,
    );
    return false;
  }
}

/** Uploads a file (multipart when large) recording its SHA-256 in the object's metadata. */
export async function uploadBundle(
  context: BuildContext,
  file: string,
  sha256: string,
  bucket: string,
  key: string,
): Promise<void> {
  const { Upload } = await import('@aws-sdk/lib-storage');
  const upload = new Upload({
    client: context.s3(),
    params: {
      Bucket: bucket,
      Key: key,
      Body: createReadStream(file),
      ContentType: 'application/zip',
      Metadata: { [SHA256_METADATA_KEY]: sha256 },
    },
    queueSize: 4,
    partSize: 8 * 1024 * 1024,
    leavePartsOnError: false,
  });
  const abort = () => void upload.abort();
  context.request.signal.addEventListener('abort', abort, { once: true });
  try {
    await upload.done();
  } catch (error) {
    if (context.request.signal.aborted) throw context.cancelled();
    throw context.log.failure(
      'ARTIFACT_STORE_FAILED',
      `cannot upload the bundle to s3://${bucket}/${key}: ${describe(error)}`,
      {
        source: 'system',
        retryable: status(error) === undefined || (status(error) ?? 0) >= 500,
        hint: `Check that the bucket exists (bootstrap creates it) and that the build role may s3:PutObject on arn:aws:s3:::${bucket}/*.`,
        cause: error,
      },
    );
  } finally {
    context.request.signal.removeEventListener('abort', abort);
  }
}
