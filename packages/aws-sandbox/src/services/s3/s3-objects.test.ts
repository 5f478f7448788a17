import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectsCommand,
  NoSuchKey,
  paginateListObjectsV2,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { rejection, s3Client, statusOf } from './test-support/s3-test-kit.js';

const md5 = (text: string): string => `"${createHash('md5').update(text).digest('hex')}"`;

describe('S3 objects', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const bucket = 'dev-objects';
  const s3 = () => s3Client(sandbox, sandbox.credentialsFor(DEV), clock);

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('stores data with its content type, metadata, encryption and ETag', async () => {
    const put = await s3().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'docs/read me.txt',
        Body: 'hello world',
        ContentType: 'text/plain',
        CacheControl: 'max-age=60',
        Metadata: { pipeline: 'web', stage: 'prod' },
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      }),
    );
    expect(put.ETag).toBe(md5('hello world'));
    expect(put.ServerSideEncryption).toBe('aws:kms');
    expect(put.SSEKMSKeyId).toBe(
      `arn:aws:kms:us-east-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    );
    expect(put.ChecksumCRC32).toBeDefined();
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'docs/read me.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello world');
    expect(got).toMatchObject({
      ContentType: 'text/plain',
      ContentLength: 11,
      CacheControl: 'max-age=60',
      ETag: md5('hello world'),
      Metadata: { pipeline: 'web', stage: 'prod' },
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: `arn:aws:kms:us-east-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      LastModified: new Date('2026-03-01T10:00:00Z'),
      ChecksumCRC32: put.ChecksumCRC32,
    });
    const head = await s3().send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'docs/read me.txt' }),
    );
    expect(head).toMatchObject({
      ContentLength: 11,
      ContentType: 'text/plain',
      ETag: md5('hello world'),
    });
    const plain = await s3().send(
      new PutObjectCommand({ Bucket: bucket, Key: 'plain', Body: Buffer.alloc(0) }),
    );
    expect(plain.ServerSideEncryption).toBe('AES256');
    const empty = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'plain' }));
    expect(empty.ContentLength).toBe(0);
    expect(await empty.Body?.transformToString()).toBe('');
  });

  it('serves ranges and answers preconditions', async () => {
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'range', Body: '0123456789' }));
    const read = async (input: Record<string, unknown>) => {
      const out = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'range', ...input }));
      return { text: await out.Body?.transformToString(), out };
    };
    const middle = await read({ Range: 'bytes=2-5' });
    expect(middle.text).toBe('2345');
    expect(middle.out.ContentRange).toBe('bytes 2-5/10');
    expect(middle.out.$metadata.httpStatusCode).toBe(206);
    expect((await read({ Range: 'bytes=-3' })).text).toBe('789');
    expect((await read({ Range: 'bytes=7-' })).text).toBe('789');
    expect((await read({ Range: 'bytes=8-100' })).text).toBe('89');
    const unsatisfiable = await rejection(read({ Range: 'bytes=10-' }));
    expect(unsatisfiable.name).toBe('InvalidRange');
    expect(statusOf(unsatisfiable)).toBe(416);

    const etag = md5('0123456789');
    expect((await read({ IfMatch: etag })).text).toBe('0123456789');
    const mismatch = await rejection(read({ IfMatch: '"0000"' }));
    expect(mismatch.name).toBe('PreconditionFailed');
    expect(statusOf(mismatch)).toBe(412);
    expect(statusOf(await rejection(read({ IfNoneMatch: etag })))).toBe(304);
    expect(
      statusOf(await rejection(read({ IfModifiedSince: new Date('2026-03-01T11:00:00Z') }))),
    ).toBe(304);
    expect((await read({ IfModifiedSince: new Date('2026-03-01T09:00:00Z') })).text).toBe(
      '0123456789',
    );
    expect(
      statusOf(await rejection(read({ IfUnmodifiedSince: new Date('2026-03-01T09:00:00Z') }))),
    ).toBe(412);
  });

  it('makes writes conditional on If-None-Match: * and If-Match', async () => {
    const lock = { Bucket: bucket, Key: 'state.tflock', Body: '{"ID":"1"}', IfNoneMatch: '*' };
    const first = await s3().send(new PutObjectCommand(lock));
    const taken = await rejection(s3().send(new PutObjectCommand({ ...lock, Body: '{"ID":"2"}' })));
    expect(taken).toBeInstanceOf(S3ServiceException);
    expect(taken.name).toBe('PreconditionFailed');
    expect(statusOf(taken)).toBe(412);
    const kept = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'state.tflock' }));
    expect(await kept.Body?.transformToString()).toBe('{"ID":"1"}');

    const stale = await rejection(
      s3().send(
        new PutObjectCommand({ Bucket: bucket, Key: 'state.tflock', Body: 'x', IfMatch: '"0"' }),
      ),
    );
    expect(stale.name).toBe('PreconditionFailed');
    await s3().send(
      new PutObjectCommand({ Bucket: bucket, Key: 'state.tflock', Body: 'y', IfMatch: first.ETag }),
    );
    await expect(
      s3().send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'never-written',
          Body: 'z',
          IfMatch: first.ETag,
        }),
      ),
    ).rejects.toBeInstanceOf(NoSuchKey);
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'state.tflock' }));
    await s3().send(new PutObjectCommand(lock));
  });

  it('verifies checksums and Content-MD5, keeping nothing on a mismatch', async () => {
    const wrongCrc = await rejection(
      s3().send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'bad-crc',
          Body: 'data',
          ChecksumCRC32: 'AAAAAA==',
        }),
      ),
    );
    expect(wrongCrc.name).toBe('BadDigest');
    expect(statusOf(wrongCrc)).toBe(400);
    const wrongMd5 = await rejection(
      s3().send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'bad-md5',
          Body: 'data',
          ContentMD5: createHash('md5').update('other').digest('base64'),
        }),
      ),
    );
    expect(wrongMd5.name).toBe('BadDigest');
    await expect(
      s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'bad-crc' })),
    ).rejects.toMatchObject({
      name: 'NotFound',
    });
    const sha = await s3().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'sha',
        Body: 'data',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    expect(sha.ChecksumSHA256).toBe(createHash('sha256').update('data').digest('base64'));
    const got = await s3().send(
      new GetObjectCommand({ Bucket: bucket, Key: 'sha', ChecksumMode: 'ENABLED' }),
    );
    expect(got.ChecksumSHA256).toBe(sha.ChecksumSHA256);
    expect(await got.Body?.transformToString()).toBe('data');
  });

  it('lists keys with prefixes, delimiters, start-after and continuation tokens', async () => {
    const keys = ['list/a.txt', 'list/b/1', 'list/b/2', 'list/c/1', 'list/d.txt', 'list/é'];
    for (const key of keys)
      await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const all: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3(), pageSize: 2 },
      { Bucket: bucket, Prefix: 'list/' },
    )) {
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      all.push(...(page.Contents ?? []).map((item) => item.Key ?? ''));
    }
    expect(all).toEqual(keys);
    const grouped = await s3().send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', Delimiter: '/', MaxKeys: 3 }),
    );
    expect(grouped.Contents?.map((item) => item.Key)).toEqual(['list/a.txt']);
    expect(grouped.CommonPrefixes?.map((item) => item.Prefix)).toEqual(['list/b/', 'list/c/']);
    expect(grouped.IsTruncated).toBe(true);
    const rest = await s3().send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: 'list/',
        Delimiter: '/',
        ContinuationToken: grouped.NextContinuationToken,
      }),
    );
    expect(rest.Contents?.map((item) => item.Key)).toEqual(['list/d.txt', 'list/é']);
    expect(rest.CommonPrefixes).toBeUndefined();
    expect(rest.IsTruncated).toBe(false);
    const after = await s3().send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', StartAfter: 'list/c/1' }),
    );
    expect(after.Contents?.map((item) => item.Key)).toEqual(['list/d.txt', 'list/é']);
    expect(after.Contents?.[0]).toMatchObject({
      Size: 10,
      StorageClass: 'STANDARD',
      ETag: md5('list/d.txt'),
    });
    const v1 = await s3().send(new ListObjectsCommand({ Bucket: bucket, Prefix: 'list/b/' }));
    expect(v1.Contents?.map((item) => item.Key)).toEqual(['list/b/1', 'list/b/2']);
    const badToken = await rejection(
      s3().send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: 'garbage' })),
    );
    expect(badToken.name).toBe('InvalidArgument');
  });

  it('deletes one key or many, reporting each', async () => {
    for (const key of ['del/1', 'del/2', 'del/3']) {
      await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
    }
    const single = await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'del/1' }));
    expect(single.$metadata.httpStatusCode).toBe(204);
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'del/1' }));
    const many = await s3().send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'del/2' }, { Key: 'del/3' }, { Key: 'del/missing' }] },
      }),
    );
    expect(many.Deleted?.map((item) => item.Key)).toEqual(['del/2', 'del/3', 'del/missing']);
    expect(many.Errors).toBeUndefined();
    const listed = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'del/' }));
    expect(listed.KeyCount).toBe(0);
  });

  it('copies objects within and across buckets, keeping or replacing metadata', async () => {
    await s3().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'copy/source',
        Body: 'copied bytes',
        ContentType: 'text/plain',
        Metadata: { origin: 'source' },
      }),
    );
    const copied = await s3().send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'copy/kept',
        CopySource: `${bucket}/copy/source`,
      }),
    );
    expect(copied.CopyObjectResult?.ETag).toBe(md5('copied bytes'));
    const kept = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'copy/kept' }));
    expect(await kept.Body?.transformToString()).toBe('copied bytes');
    expect(kept).toMatchObject({ ContentType: 'text/plain', Metadata: { origin: 'source' } });
    await s3().send(new CreateBucketCommand({ Bucket: 'dev-objects-copy' }));
    await s3().send(
      new CopyObjectCommand({
        Bucket: 'dev-objects-copy',
        Key: 'replaced',
        CopySource: encodeURIComponent(`${bucket}/copy/source`),
        MetadataDirective: 'REPLACE',
        ContentType: 'application/json',
        Metadata: { origin: 'replaced' },
      }),
    );
    const replaced = await s3().send(
      new HeadObjectCommand({ Bucket: 'dev-objects-copy', Key: 'replaced' }),
    );
    expect(replaced).toMatchObject({
      ContentType: 'application/json',
      Metadata: { origin: 'replaced' },
    });
    const onto = await rejection(
      s3().send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'copy/source',
          CopySource: `${bucket}/copy/source`,
        }),
      ),
    );
    expect(onto.name).toBe('InvalidRequest');
    await expect(
      s3().send(
        new CopyObjectCommand({ Bucket: bucket, Key: 'copy/x', CopySource: `${bucket}/copy/none` }),
      ),
    ).rejects.toBeInstanceOf(NoSuchKey);
  });
});
