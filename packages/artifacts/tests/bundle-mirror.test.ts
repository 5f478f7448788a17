// mirrorBundle across two sandbox accounts: streamed between principals, server-side within one,
// skipped when the destination records the same SHA-256, verified against the recorded checksum.
import { createHash, randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { isRampartError } from '@rampart/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorBundle } from '../src/index.js';
import { policy, s3 } from './support/sandbox-access.js';

const CICD = '222222222222';
const DEV = '333333333333';
const SOURCE_BUCKET = 'cicd-bundles';
const DEST_BUCKET = 'dev-bundles';

const hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('mirrorBundle between sandbox accounts', () => {
  let sandbox: Sandbox;
  let cicd: S3Client;
  let dev: S3Client;

  const read = async (client: S3Client, bucket: string, key: string) => {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
  };
  const s3Actions = () =>
    sandbox.control.requestLog({ service: 's3' }).map((entry) => entry.action);

  beforeAll(async () => {
    sandbox = await startSandbox();
    cicd = s3(sandbox, sandbox.credentialsFor(CICD));
    dev = s3(sandbox, sandbox.credentialsFor(DEV));
    await cicd.send(new CreateBucketCommand({ Bucket: SOURCE_BUCKET }));
    await dev.send(new CreateBucketCommand({ Bucket: DEST_BUCKET }));
    // The dev account reads the CI/CD bundles, as the stage's mirror step does.
    await cicd.send(
      new PutBucketPolicyCommand({
        Bucket: SOURCE_BUCKET,
        Policy: policy([
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${DEV}:root` },
            Action: ['s3:GetObject', 's3:ListBucket'],
            Resource: [`arn:aws:s3:::${SOURCE_BUCKET}`, `arn:aws:s3:::${SOURCE_BUCKET}/*`],
          },
        ]),
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('streams between two principals, then skips on the same checksum with HEADs only', async () => {
    const data = randomBytes(300_000);
    await cicd.send(
      new PutObjectCommand({
        Bucket: SOURCE_BUCKET,
        Key: 'web/v1.zip',
        Body: data,
        ChecksumAlgorithm: 'SHA256',
        ContentType: 'application/zip',
      }),
    );
    const options = {
      source: { bucket: SOURCE_BUCKET, key: 'web/v1.zip' },
      destination: { bucket: DEST_BUCKET, key: 'mirrored/web/v1.zip' },
      sourceClient: cicd,
      destinationClient: dev,
    };
    const first = await mirrorBundle(options);
    expect(first).toEqual({
      sha256: hex(data),
      skipped: false,
      method: 'stream',
      bytesCopied: data.length,
      sourceChecksumRecorded: true,
    });
    expect((await read(dev, DEST_BUCKET, 'mirrored/web/v1.zip')).equals(data)).toBe(true);
    const head = await dev.send(
      new HeadObjectCommand({ Bucket: DEST_BUCKET, Key: 'mirrored/web/v1.zip' }),
    );
    expect(head.Metadata?.['sha256']).toBe(hex(data));
    expect(head.ContentType).toBe('application/zip');

    sandbox.control.clearRequestLog();
    const second = await mirrorBundle(options);
    expect(second).toMatchObject({ skipped: true, method: 'skipped', bytesCopied: 0 });
    expect(s3Actions()).toEqual(['HeadObject', 'HeadObject']);

    // A new build under the same key is copied again.
    const changed = randomBytes(1000);
    await cicd.send(
      new PutObjectCommand({
        Bucket: SOURCE_BUCKET,
        Key: 'web/v1.zip',
        Body: changed,
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    expect(await mirrorBundle(options)).toMatchObject({ skipped: false, sha256: hex(changed) });
    expect((await read(dev, DEST_BUCKET, 'mirrored/web/v1.zip')).equals(changed)).toBe(true);
  });

  it('copies server-side when one principal reads the source and writes the destination', async () => {
    const data = randomBytes(50_000);
    await cicd.send(
      new PutObjectCommand({
        Bucket: SOURCE_BUCKET,
        Key: 'web/v2.zip',
        Body: data,
        Metadata: { sha256: hex(data), build: '42' },
      }),
    );
    sandbox.control.clearRequestLog();
    const result = await mirrorBundle({
      source: { bucket: SOURCE_BUCKET, key: 'web/v2.zip' },
      destination: { bucket: DEST_BUCKET, key: 'web/v2.zip' },
      sourceClient: dev,
      destinationClient: dev,
    });
    expect(result).toMatchObject({ skipped: false, method: 'copy', sha256: hex(data) });
    expect(s3Actions()).toContain('CopyObject');
    expect(s3Actions()).not.toContain('GetObject');
    const head = await dev.send(new HeadObjectCommand({ Bucket: DEST_BUCKET, Key: 'web/v2.zip' }));
    expect(head.Metadata).toEqual({ sha256: hex(data), build: '42' });
    expect((await read(dev, DEST_BUCKET, 'web/v2.zip')).equals(data)).toBe(true);
  });

  it('hashes a source without a recorded checksum (multipart) so that the next run can skip', async () => {
    const data = randomBytes(12 * 1024 * 1024 + 123);
    await new Upload({
      client: cicd,
      params: { Bucket: SOURCE_BUCKET, Key: 'web/big.zip', Body: data },
      partSize: 5 * 1024 * 1024,
    }).done();
    const options = {
      source: { bucket: SOURCE_BUCKET, key: 'web/big.zip' },
      destination: { bucket: DEST_BUCKET, key: 'web/big.zip' },
      sourceClient: cicd,
      destinationClient: dev,
      partSize: 5 * 1024 * 1024,
    };
    const first = await mirrorBundle(options);
    expect(first).toMatchObject({
      skipped: false,
      method: 'stream',
      sourceChecksumRecorded: false,
      sha256: hex(data),
    });
    expect((await read(dev, DEST_BUCKET, 'web/big.zip')).equals(data)).toBe(true);
    expect(await mirrorBundle(options)).toMatchObject({ skipped: true });
  });

  it('refuses a source whose content does not match its recorded checksum, writing nothing', async () => {
    const data = randomBytes(10_000);
    await cicd.send(
      new PutObjectCommand({
        Bucket: SOURCE_BUCKET,
        Key: 'web/lying.zip',
        Body: data,
        Metadata: { sha256: hex(randomBytes(8)) },
      }),
    );
    const error = await rejection(
      mirrorBundle({
        source: { bucket: SOURCE_BUCKET, key: 'web/lying.zip' },
        destination: { bucket: DEST_BUCKET, key: 'web/lying.zip' },
        sourceClient: cicd,
        destinationClient: dev,
      }),
    );
    expect(isRampartError(error) && error.code).toBe('ARTIFACT_DIGEST_MISMATCH');
    const missing = await rejection(
      dev.send(new HeadObjectCommand({ Bucket: DEST_BUCKET, Key: 'web/lying.zip' })),
    );
    expect((missing as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(
      404,
    );
  });

  it('names a missing source and a destination it may not write', async () => {
    const missing = await rejection(
      mirrorBundle({
        source: { bucket: SOURCE_BUCKET, key: 'web/none.zip' },
        destination: { bucket: DEST_BUCKET, key: 'web/none.zip' },
        sourceClient: cicd,
        destinationClient: dev,
      }),
    );
    expect(isRampartError(missing) && missing.code).toBe('BUNDLE_NOT_FOUND');
    expect(String(missing)).toContain(`s3://${SOURCE_BUCKET}/web/none.zip`);

    await cicd.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: 'web/v3.zip', Body: 'x' }));
    const denied = await rejection(
      mirrorBundle({
        source: { bucket: SOURCE_BUCKET, key: 'web/v3.zip' },
        destination: { bucket: DEST_BUCKET, key: 'web/v3.zip' },
        sourceClient: cicd,
        destinationClient: cicd,
      }),
    );
    expect(isRampartError(denied) && denied.code).toBe('BUNDLE_ACCESS_DENIED');
    expect(isRampartError(denied) && denied.hint).toContain('s3:PutObject');
  });
});
