import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGING } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { rejection, s3Client, statusOf } from './test-support/s3-test-kit.js';

describe('S3 versioning', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const bucket = 'staging-versions';
  const s3 = () => s3Client(sandbox, sandbox.credentialsFor(STAGING), clock);
  const text = async (input: { Key: string; VersionId?: string }) =>
    (await s3().send(new GetObjectCommand({ Bucket: bucket, ...input }))).Body?.transformToString();

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('replaces objects in place until versioning is enabled, then keeps every version', async () => {
    const unversioned = await s3().send(
      new PutObjectCommand({ Bucket: bucket, Key: 'before', Body: '1' }),
    );
    expect(unversioned.VersionId).toBeUndefined();
    await s3().send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    const v1 = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'state', Body: 'one' }));
    clock.advance(1000);
    const v2 = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'state', Body: 'two' }));
    expect(v1.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    expect(await text({ Key: 'state' })).toBe('two');
    expect(await text({ Key: 'state', VersionId: v1.VersionId ?? '' })).toBe('one');
    const old = await s3().send(
      new GetObjectCommand({ Bucket: bucket, Key: 'before', VersionId: 'null' }),
    );
    expect(await old.Body?.transformToString()).toBe('1');
    const missing = await rejection(text({ Key: 'state', VersionId: 'NoSuchVersionIdAtAll' }));
    expect(missing.name).toBe('NoSuchVersion');
    expect(statusOf(missing)).toBe(404);
  });

  it('hides deleted keys behind delete markers and lists every version', async () => {
    const deleted = await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'state' }));
    expect(deleted.DeleteMarker).toBe(true);
    expect(deleted.VersionId).toBeDefined();
    await expect(text({ Key: 'state' })).rejects.toBeInstanceOf(NoSuchKey);
    const listed = await s3().send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((item) => item.Key)).toEqual(['before']);
    const versions = await s3().send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'state' }),
    );
    expect(versions.Versions?.map((v) => [v.Key, v.IsLatest, v.Size])).toEqual([
      ['state', false, 3],
      ['state', false, 3],
    ]);
    expect(versions.DeleteMarkers?.map((m) => [m.Key, m.IsLatest, m.VersionId])).toEqual([
      ['state', true, deleted.VersionId],
    ]);
    const page = await s3().send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'state', MaxKeys: 2 }),
    );
    expect(page.IsTruncated).toBe(true);
    const next = await s3().send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: 'state',
        KeyMarker: page.NextKeyMarker,
        VersionIdMarker: page.NextVersionIdMarker,
      }),
    );
    expect(next.Versions).toHaveLength(1);
    expect(next.IsTruncated).toBe(false);
    // Removing the marker version brings the object back.
    await s3().send(
      new DeleteObjectCommand({ Bucket: bucket, Key: 'state', VersionId: deleted.VersionId }),
    );
    expect(await text({ Key: 'state' })).toBe('two');
  });

  it('refuses to delete a bucket until every version is gone', async () => {
    const error = await rejection(s3().send(new DeleteBucketCommand({ Bucket: bucket })));
    expect(error.name).toBe('BucketNotEmpty');
    const versions = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }));
    for (const item of [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])]) {
      await s3().send(
        new DeleteObjectCommand({ Bucket: bucket, Key: item.Key, VersionId: item.VersionId }),
      );
    }
    await s3().send(new DeleteBucketCommand({ Bucket: bucket }));
  });

  it('writes the null version while versioning is suspended', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'staging-suspended' }));
    const enable = (Status: 'Enabled' | 'Suspended') =>
      s3().send(
        new PutBucketVersioningCommand({
          Bucket: 'staging-suspended',
          VersioningConfiguration: { Status },
        }),
      );
    await enable('Enabled');
    const kept = await s3().send(
      new PutObjectCommand({ Bucket: 'staging-suspended', Key: 'k', Body: 'a' }),
    );
    await enable('Suspended');
    await s3().send(new PutObjectCommand({ Bucket: 'staging-suspended', Key: 'k', Body: 'b' }));
    await s3().send(new PutObjectCommand({ Bucket: 'staging-suspended', Key: 'k', Body: 'c' }));
    const versions = await s3().send(
      new ListObjectVersionsCommand({ Bucket: 'staging-suspended' }),
    );
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual(['null', kept.VersionId]);
  });
});
