import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { SandboxRuntime } from '../../framework/runtime.js';
import { createInitialState, DEFAULT_ACCOUNTS } from '../../state/accounts.js';
import {
  appendToUpload,
  BlobError,
  blobPath,
  blobSize,
  bufferStream,
  completeUpload,
  createUploadFile,
  readBlob,
  writeBlob,
} from './blob-store.js';
import type { EcrUpload } from './ecr-state.js';
import { randomBlob } from './test-support/ecr-sandbox.js';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function failure(promise: Promise<unknown>): Promise<BlobError> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof BlobError) return error;
    throw error;
  }
  throw new Error('expected a BlobError');
}

describe('the blob store', () => {
  let dataDir: string;
  let runtime: SandboxRuntime;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ecr-blobs-'));
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    runtime = new SandboxRuntime({
      state: createInitialState(DEFAULT_ACCOUNTS, clock),
      clock,
      services: [],
      dataDir,
    });
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const upload = (id: string): EcrUpload => ({
    id,
    repositoryName: 'app',
    size: 0,
    startedAt: '2026-03-01T10:00:00Z',
  });

  it('writes a verified blob once, under its digest, and reads ranges of it', async () => {
    const blob = randomBlob(3000);
    const stored = await writeBlob(runtime, bufferStream(blob.data), {
      expectedDigest: blob.digest,
      tempId: 'one',
    });
    expect(stored).toEqual({ digest: blob.digest, size: 3000 });
    expect(blobPath(runtime, blob.digest)).toBe(
      join(dataDir, 'ecr-blobs', 'sha256', blob.digest.slice(7)),
    );
    expect((await readFile(blobPath(runtime, blob.digest))).equals(blob.data)).toBe(true);
    expect(await collect(readBlob(runtime, blob.digest, { start: 100, end: 199 }))).toEqual(
      blob.data.subarray(100, 200),
    );
    // Writing the same content again keeps the file as it was and leaves no temporary file.
    await writeBlob(runtime, bufferStream(blob.data), {
      expectedDigest: blob.digest,
      tempId: 'two',
    });
    expect(await readdir(join(dataDir, 'ecr-uploads'))).toEqual([]);
  });

  it('keeps nothing of a blob whose digest or length is wrong', async () => {
    const blob = randomBlob(100);
    const wrong = await failure(
      writeBlob(runtime, bufferStream(blob.data), {
        expectedDigest: randomBlob(1).digest,
        tempId: 'bad',
      }),
    );
    expect(wrong.kind).toBe('digest-mismatch');
    expect(wrong.computedDigest).toBe(blob.digest);
    const short = await failure(
      writeBlob(runtime, bufferStream(blob.data), {
        expectedDigest: blob.digest,
        expectedLength: 101,
        tempId: 'short',
      }),
    );
    expect(short.kind).toBe('incomplete');
    const broken = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    expect(
      (await failure(writeBlob(runtime, broken, { expectedDigest: blob.digest, tempId: 'x' })))
        .kind,
    ).toBe('incomplete');
    expect(await blobSize(runtime, blob.digest)).toBeUndefined();
    expect(await readdir(join(dataDir, 'ecr-uploads'))).toEqual([]);
  });

  it('assembles chunked uploads, surviving a failed chunk and a lost running hash', async () => {
    const blob = randomBlob(4000);
    const session = upload('chunks');
    await createUploadFile(runtime, session.id);
    await appendToUpload(runtime, session, bufferStream(blob.data.subarray(0, 1000)));
    expect(session.size).toBe(1000);
    // A chunk that breaks off midway leaves the upload where it was.
    let sent = false;
    const breaking = new Readable({
      read() {
        if (!sent) {
          sent = true;
          this.push(Buffer.alloc(500, 7));
        } else {
          this.destroy(new Error('client went away'));
        }
      },
    });
    expect((await failure(appendToUpload(runtime, session, breaking))).kind).toBe('incomplete');
    expect(session.size).toBe(1000);
    const announced = await failure(
      appendToUpload(runtime, session, bufferStream(blob.data.subarray(1000, 2000)), {
        expectedLength: 999,
      }),
    );
    expect(announced.kind).toBe('incomplete');
    expect(session.size).toBe(1000);
    await appendToUpload(runtime, session, bufferStream(blob.data.subarray(1000, 2000)));
    // As after a restore: the running hash is gone, so completion hashes the file instead.
    runtime.caches.clear();
    await appendToUpload(runtime, session, Readable.from([blob.data.subarray(2000)]));
    expect(session.size).toBe(4000);
    const mismatch = await failure(completeUpload(runtime, session, randomBlob(2).digest));
    expect(mismatch.kind).toBe('digest-mismatch');
    expect(await completeUpload(runtime, session, blob.digest)).toEqual({
      digest: blob.digest,
      size: 4000,
    });
    expect((await readFile(blobPath(runtime, blob.digest))).equals(blob.data)).toBe(true);
  });
});
