import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  NoSuchUpload,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CICD } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { MIN_PART_BYTES } from './multipart-actions.js';
import { rejection, s3Client, statusOf } from './test-support/s3-test-kit.js';

const md5 = (data: Buffer): Buffer => createHash('md5').update(data).digest();

describe('S3 multipart uploads', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const bucket = 'cicd-multipart';
  const s3 = () => s3Client(sandbox, sandbox.credentialsFor(CICD), clock);
  const part = (fill: number, size = MIN_PART_BYTES): Buffer => Buffer.alloc(size, fill);

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('assembles parts into one object with the multipart ETag', async () => {
    const parts = [part(1), part(2), part(3, 1000)];
    const upload = new Upload({
      client: s3(),
      partSize: MIN_PART_BYTES,
      params: {
        Bucket: bucket,
        Key: 'artifacts/app.tar',
        Body: Buffer.concat(parts),
        ContentType: 'application/x-tar',
      },
    });
    const result = await upload.done();
    const expected = `"${createHash('md5')
      .update(Buffer.concat(parts.map(md5)))
      .digest('hex')}-3"`;
    expect(result.ETag).toBe(expected);
    const head = await s3().send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'artifacts/app.tar' }),
    );
    expect(head).toMatchObject({
      ETag: expected,
      ContentLength: 2 * MIN_PART_BYTES + 1000,
      ContentType: 'application/x-tar',
    });
    // A range spanning the boundary between the first two parts.
    const across = await s3().send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: 'artifacts/app.tar',
        Range: `bytes=${MIN_PART_BYTES - 2}-${MIN_PART_BYTES + 1}`,
      }),
    );
    expect([...((await across.Body?.transformToByteArray()) ?? [])]).toEqual([1, 1, 2, 2]);
  });

  it('lists parts and uploads, and forgets aborted uploads', async () => {
    const { UploadId } = await s3().send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big' }),
    );
    const first = await s3().send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'big',
        UploadId,
        PartNumber: 1,
        Body: part(7, 10),
      }),
    );
    await s3().send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'big',
        UploadId,
        PartNumber: 2,
        Body: part(8, 20),
      }),
    );
    const listed = await s3().send(
      new ListPartsCommand({ Bucket: bucket, Key: 'big', UploadId, MaxParts: 1 }),
    );
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([[1, 10, first.ETag]]);
    expect(listed.IsTruncated).toBe(true);
    expect(listed.NextPartNumberMarker).toBe('1');
    const uploads = await s3().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['big', UploadId]]);
    await s3().send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'big', UploadId }));
    await expect(
      s3().send(new ListPartsCommand({ Bucket: bucket, Key: 'big', UploadId })),
    ).rejects.toBeInstanceOf(NoSuchUpload);
    await expect(
      s3().send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'big',
          UploadId: 'bogus',
          PartNumber: 1,
          Body: 'x',
        }),
      ),
    ).rejects.toBeInstanceOf(NoSuchUpload);
  });

  it('rejects parts out of order, unknown parts, small parts and bad part numbers', async () => {
    const { UploadId } = await s3().send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'bad' }),
    );
    const p1 = await s3().send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'bad',
        UploadId,
        PartNumber: 1,
        Body: part(1, 100),
      }),
    );
    const p2 = await s3().send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'bad',
        UploadId,
        PartNumber: 2,
        Body: part(2, 100),
      }),
    );
    const complete = (Parts: { PartNumber: number; ETag?: string }[]) =>
      rejection(
        s3().send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: 'bad',
            UploadId,
            MultipartUpload: { Parts },
          }),
        ),
      );
    expect(
      (
        await complete([
          { PartNumber: 2, ETag: p2.ETag },
          { PartNumber: 1, ETag: p1.ETag },
        ])
      ).name,
    ).toBe('InvalidPartOrder');
    expect((await complete([{ PartNumber: 1, ETag: '"ffff"' }])).name).toBe('InvalidPart');
    expect((await complete([{ PartNumber: 3, ETag: p1.ETag }])).name).toBe('InvalidPart');
    const small = await complete([
      { PartNumber: 1, ETag: p1.ETag },
      { PartNumber: 2, ETag: p2.ETag },
    ]);
    expect(small.name).toBe('EntityTooSmall');
    expect(statusOf(small)).toBe(400);
    const badNumber = await rejection(
      s3().send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'bad',
          UploadId,
          PartNumber: 10001,
          Body: 'x',
        }),
      ),
    );
    expect(badNumber.name).toBe('InvalidArgument');
    // A single small part is a valid upload.
    const done = await s3().send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'bad',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }] },
      }),
    );
    expect(done.ETag).toMatch(/-1"$/);
  });

  it('completes conditionally with If-None-Match: *', async () => {
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'exists', Body: 'x' }));
    const { UploadId } = await s3().send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'exists' }),
    );
    const p1 = await s3().send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'exists',
        UploadId,
        PartNumber: 1,
        Body: 'new',
      }),
    );
    const refused = await rejection(
      s3().send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: 'exists',
          UploadId,
          IfNoneMatch: '*',
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }] },
        }),
      ),
    );
    expect(refused.name).toBe('PreconditionFailed');
    expect(statusOf(refused)).toBe(412);
    const kept = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'exists' }));
    expect(await kept.Body?.transformToString()).toBe('x');
  });
});
