// Makes a bucket prefix hold a folder's files: uploads what is new or changed (compared by MD5
// against the objects' ETags, so unchanged files are not sent again and a re-run after a crash
// only finishes the work), and, when asked, deletes objects under the prefix the folder lacks.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory in @rampart/aws.
import type { S3Client } from '@aws-sdk/client-s3';
import { contentTypeOf } from './content-type.js';
import type { LocalFile } from './folder-files.js';

/** What to sync. */
export interface BucketSync {
  bucket: string;
  /** '' or ending in `/`. */
  prefix: string;
  files: readonly LocalFile[];
  deleteRemoved: boolean;
  cacheControl?: string;
}

/** What the sync did. */
export interface BucketSyncResult {
  uploaded: number;
  deleted: number;
  unchanged: number;
}

/** Uploads at once at most this many files. */
const CONCURRENCY = 8;
/** DeleteObjects takes at most this many keys. */
const DELETE_BATCH = 1000;

/** Syncs `spec` into the bucket; `log` gets one line per object uploaded or deleted. */
export async function syncToBucket(
  s3: S3Client,
  spec: BucketSync,
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<BucketSyncResult> {
  const { DeleteObjectsCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const existing = await listObjects(s3, spec.bucket, spec.prefix, signal);
  let uploaded = 0;
  let unchanged = 0;
  const queue = [...spec.files];
  const worker = async (): Promise<void> => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      signal.throwIfAborted();
      const key = `${spec.prefix}${file.rel}`;
      const md5 = await fileMd5(file.path);
      const found = existing.get(key);
      if (
        found !== undefined &&
        found.size === file.size &&
        found.etag === `"${md5.toString('hex')}"`
      ) {
        unchanged += 1;
        continue;
      }
      await s3.send(
        new PutObjectCommand({
          Bucket: spec.bucket,
          Key: key,
          Body: createReadStream(file.path),
          ContentLength: file.size,
          ContentMD5: md5.toString('base64'),
          ContentType: contentTypeOf(key),
          ...(spec.cacheControl === undefined ? {} : { CacheControl: spec.cacheControl }),
        }),
        { abortSignal: signal },
      );
      uploaded += 1;
      log(`upload: s3://${spec.bucket}/${key}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  let deleted = 0;
  if (spec.deleteRemoved) {
    const keep = new Set(spec.files.map((f) => `${spec.prefix}${f.rel}`));
    const stale = [...existing.keys()].filter((key) => !keep.has(key)).sort();
    for (let i = 0; i < stale.length; i += DELETE_BATCH) {
      const batch = stale.slice(i, i + DELETE_BATCH);
      const out = await s3.send(
        new DeleteObjectsCommand({
          Bucket: spec.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
        { abortSignal: signal },
      );
      const errors = out.Errors ?? [];
      if (errors.length > 0) {
        const first = errors[0];
        throw new Error(
          `${errors.length} object(s) could not be deleted, the first ${first?.Key ?? '?'}: ${first?.Code ?? '?'} ${first?.Message ?? ''}`.trim(),
        );
      }
      for (const key of batch) log(`delete: s3://${spec.bucket}/${key}`);
      deleted += batch.length;
    }
  }
  return { uploaded, deleted, unchanged };
}

/** Every object under the prefix: key → ETag (quoted, as S3 gives it) and size. */
async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  signal: AbortSignal,
): Promise<Map<string, { etag: string; size: number }>> {
  const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const objects = new Map<string, { etag: string; size: number }>();
  let token: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        ...(prefix === '' ? {} : { Prefix: prefix }),
        ...(token === undefined ? {} : { ContinuationToken: token }),
      }),
      { abortSignal: signal },
    );
    for (const o of out.Contents ?? []) {
      if (o.Key !== undefined) objects.set(o.Key, { etag: o.ETag ?? '', size: o.Size ?? -1 });
    }
    token = out.IsTruncated === true ? out.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}

async function fileMd5(path: string): Promise<Buffer> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest();
}
