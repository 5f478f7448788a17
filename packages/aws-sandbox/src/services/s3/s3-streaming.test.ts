import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CICD } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { s3Client } from './test-support/s3-test-kit.js';

const MIB = 1024 * 1024;
/** Large enough that buffering it would show in the process's resident memory. */
const OBJECT_MIB = 256;

/** A generated body: each MiB filled with its index, never held whole. */
function generated(md5: ReturnType<typeof createHash>, onChunk: () => void): Readable {
  function* chunks(): Generator<Buffer> {
    for (let i = 0; i < OBJECT_MIB; i += 1) {
      const chunk = Buffer.alloc(MIB, i % 251);
      md5.update(chunk);
      onChunk();
      yield chunk;
    }
  }
  return Readable.from(chunks());
}

describe('S3 streaming', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('streams a large object to disk and back without holding it in memory', async () => {
    const s3 = s3Client(sandbox, sandbox.credentialsFor(CICD), clock);
    await s3.send(new CreateBucketCommand({ Bucket: 'cicd-large' }));
    const sent = createHash('md5');
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = (): void => {
      peak = Math.max(peak, process.memoryUsage().rss);
    };
    const body = generated(sent, sample);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'cicd-large',
        Key: 'artifact.bin',
        Body: body,
        ContentLength: OBJECT_MIB * MIB,
      }),
    );
    const expectedMd5 = sent.digest('hex');
    expect(put.ETag).toBe(`"${expectedMd5}"`);

    const got = await s3.send(new GetObjectCommand({ Bucket: 'cicd-large', Key: 'artifact.bin' }));
    expect(got.ContentLength).toBe(OBJECT_MIB * MIB);
    const received = createHash('md5');
    let size = 0;
    for await (const chunk of got.Body as Readable) {
      received.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      sample();
    }
    expect(size).toBe(OBJECT_MIB * MIB);
    expect(received.digest('hex')).toBe(expectedMd5);
    // The object is on disk, and resident memory grew far less than its size.
    const blobs = join(sandbox.dataDir, 's3-blobs');
    expect(blobs.startsWith(sandbox.dataDir)).toBe(true);
    expect((await stat(blobs)).isDirectory()).toBe(true);
    expect(peak - before).toBeLessThan(OBJECT_MIB * MIB * 0.4);
  }, 120_000);
});
