import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signer, sha256 } from '../../../tests/raw-requests.js';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { presignS3, s3Fetch, signS3 } from './test-support/s3-raw.js';
import { rejection, s3Client, statusOf } from './test-support/s3-test-kit.js';

const bucket = 'dev-wire';

describe('S3 on the wire', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const credentials = () => sandbox.credentialsFor(DEV);
  const raw = (request: Omit<Parameters<typeof s3Fetch>[1], 'credentials' | 'clock'>) =>
    s3Fetch(sandbox, { ...request, credentials: credentials(), clock });

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    await s3Client(sandbox, credentials(), clock).send(new CreateBucketCommand({ Bucket: bucket }));
  });
  beforeEach(() => clock.set('2026-03-01T10:00:00Z'));
  afterAll(async () => {
    await sandbox.stop();
  });

  it('answers errors in S3 XML with a request id, and HEAD errors without a body', async () => {
    const response = await raw({
      method: 'GET',
      path: `/${bucket}/missing`,
      headers: { 'x-amz-content-sha256': sha256('') },
    });
    expect(response.status).toBe(404);
    const requestId = response.headers.get('x-amz-request-id') ?? '';
    expect(requestId).not.toBe('');
    expect(await response.text()).toMatch(
      new RegExp(
        `^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>missing</Key><RequestId>${requestId}</RequestId><HostId>[^<]+</HostId></Error>$`,
      ),
    );
    const head = await raw({
      method: 'HEAD',
      path: `/${bucket}/missing`,
      headers: { 'x-amz-content-sha256': sha256('') },
    });
    expect(head.status).toBe(404);
    expect(await head.text()).toBe('');
  });

  it('rejects bodies that do not match their x-amz-content-sha256 or are malformed XML', async () => {
    const mismatch = await raw({
      method: 'PUT',
      path: `/${bucket}/k`,
      headers: { 'x-amz-content-sha256': sha256('something else') },
      body: 'data',
    });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    const xml = '<VersioningConfiguration><Status>Enabled</Status>';
    const malformed = await raw({
      method: 'PUT',
      path: `/${bucket}`,
      query: { versioning: '' },
      headers: { 'x-amz-content-sha256': sha256(xml) },
      body: xml,
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('<Code>MalformedXML</Code>');
    const badKey = await raw({
      method: 'PUT',
      path: `/${bucket}/k`,
      headers: { 'x-amz-content-sha256': 'NOT-A-HASH' },
      body: 'data',
    });
    expect(await badKey.text()).toContain('<Code>InvalidArgument</Code>');
  });

  it('answers NotImplemented for S3 features the sandbox lacks', async () => {
    const response = await raw({
      method: 'GET',
      path: `/${bucket}`,
      query: { cors: '' },
      headers: { 'x-amz-content-sha256': sha256('') },
    });
    expect(response.status).toBe(501);
    expect(await response.text()).toContain('<Code>NotImplemented</Code>');
  });

  it('defaults the content type to binary/octet-stream', async () => {
    await raw({
      method: 'PUT',
      path: `/${bucket}/untyped`,
      headers: { 'x-amz-content-sha256': sha256('x') },
      body: Buffer.from('x'),
    });
    const got = await raw({
      method: 'GET',
      path: `/${bucket}/untyped`,
      headers: { 'x-amz-content-sha256': sha256('') },
    });
    expect(got.headers.get('content-type')).toBe('binary/octet-stream');
    expect(got.headers.get('etag')).toBe(`"${createHash('md5').update('x').digest('hex')}"`);
  });

  it('decodes STREAMING-AWS4-HMAC-SHA256-PAYLOAD uploads and checks every chunk signature', async () => {
    const chunks = [Buffer.alloc(70_000, 'a'), Buffer.from('tail')];
    const headers = {
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(70_004),
    };
    const upload = async (tamper: boolean): Promise<Response> => {
      const request = {
        method: 'PUT',
        path: `/${bucket}/chunked`,
        headers,
        credentials: credentials(),
        clock,
      };
      const signed = await signS3(sandbox, request);
      let previous = /Signature=([0-9a-f]+)/.exec(signed['authorization'] ?? '')?.[1] ?? '';
      const chunkSigner = signer('s3', credentials(), false);
      const parts: Buffer[] = [];
      for (const chunk of [...chunks, Buffer.alloc(0)]) {
        const signature = await chunkSigner.sign(
          {
            headers: new Uint8Array(0),
            payload: tamper && chunk.length === 4 ? Buffer.from('TAIL') : chunk,
          },
          { signingDate: clock.now(), priorSignature: previous },
        );
        parts.push(
          Buffer.from(`${chunk.length.toString(16)};chunk-signature=${signature}\r\n`),
          chunk,
          Buffer.from('\r\n'),
        );
        previous = signature;
      }
      return fetch(`${sandbox.endpoint}/${bucket}/chunked`, {
        method: 'PUT',
        headers: signed,
        body: Buffer.concat(parts),
      });
    };
    const ok = await upload(false);
    expect(ok.status).toBe(200);
    const got = await s3Client(sandbox, credentials(), clock).send(
      new GetObjectCommand({ Bucket: bucket, Key: 'chunked' }),
    );
    expect(await got.Body?.transformToString()).toBe(`${'a'.repeat(70_000)}tail`);
    const bad = await upload(true);
    expect(bad.status).toBe(403);
    expect(await bad.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('verifies the checksum trailer of STREAMING-UNSIGNED-PAYLOAD-TRAILER uploads', async () => {
    const send = async (checksum: string): Promise<Response> => {
      const headers = {
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '11',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      };
      const request = {
        method: 'PUT',
        path: `/${bucket}/trailer`,
        headers,
        credentials: credentials(),
        clock,
      };
      return fetch(`${sandbox.endpoint}/${bucket}/trailer`, {
        method: 'PUT',
        headers: await signS3(sandbox, request),
        body: Buffer.from(
          `5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`,
        ),
      });
    };
    const good = await send('DUoRhQ==');
    expect(good.status).toBe(200);
    expect(good.headers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
    const bad = await send('AAAAAA==');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<Code>BadDigest</Code>');
    const got = await s3Client(sandbox, credentials(), clock).send(
      new GetObjectCommand({ Bucket: bucket, Key: 'trailer' }),
    );
    expect(await got.Body?.transformToString()).toBe('hello world');
  });

  it('serves presigned GET and PUT URLs until they expire', async () => {
    const put = await presignS3(
      sandbox,
      { method: 'PUT', path: `/${bucket}/presigned`, credentials: credentials(), clock },
      300,
    );
    expect(put).toContain('X-Amz-Signature=');
    const uploaded = await fetch(put, { method: 'PUT', body: 'via url' });
    expect(uploaded.status).toBe(200);
    const get = await presignS3(
      sandbox,
      { method: 'GET', path: `/${bucket}/presigned`, credentials: credentials(), clock },
      300,
    );
    const downloaded = await fetch(get);
    expect(await downloaded.text()).toBe('via url');
    clock.advance(301_000);
    const expired = await fetch(get);
    expect(expired.status).toBe(403);
    const body = await expired.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('Request has expired');
  });

  it('rejects unknown keys and bad signatures with S3 codes', async () => {
    const unknown = s3Client(
      sandbox,
      { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' },
      clock,
    );
    const error = await rejection(
      unknown.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' })),
    );
    expect(error.name).toBe('InvalidAccessKeyId');
    expect(statusOf(error)).toBe(403);
    const wrong = s3Client(
      sandbox,
      { accessKeyId: credentials().accessKeyId, secretAccessKey: 'wrong' },
      clock,
    );
    const mismatch = await rejection(
      wrong.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })),
    );
    expect(mismatch).toBeInstanceOf(S3ServiceException);
    expect(mismatch.name).toBe('SignatureDoesNotMatch');
  });

  it('throttles with SlowDown when a fault is injected', async () => {
    sandbox.control.injectFault({ service: 's3', action: 'GetObject', kind: 'throttle', times: 1 });
    const error = await rejection(
      s3Client(sandbox, credentials(), clock).send(
        new GetObjectCommand({ Bucket: bucket, Key: 'untyped' }),
      ),
    );
    expect(error.name).toBe('SlowDown');
    expect(statusOf(error)).toBe(503);
  });
});
