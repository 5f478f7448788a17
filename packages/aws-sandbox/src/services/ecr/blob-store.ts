// Blob bytes on disk, content-addressed and written once: `<dataDir>/ecr-blobs/sha256/<hex>`,
// shared by every account (access is decided by each repository's layer links in the state).
// Uploads stream into `<dataDir>/ecr-uploads/<id>` while being hashed, are verified against the
// digest the client claims, and are then renamed into place. No blob is ever held in memory.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SandboxRuntime } from '../../framework/runtime.js';
import type { EcrUpload } from './ecr-state.js';

/** Large buffers between socket, hash and file: fewer, bigger writes. */
const IO_CHUNK = 1024 * 1024;

/** Why a blob write failed. */
export type BlobErrorKind = 'digest-mismatch' | 'too-large' | 'incomplete';

/** A failed blob write; nothing was kept. */
export class BlobError extends Error {
  constructor(
    readonly kind: BlobErrorKind,
    message: string,
    /** The digest of what was received, for `digest-mismatch`. */
    readonly computedDigest?: string,
  ) {
    super(message);
    this.name = 'BlobError';
  }
}

/** A stored blob. */
export interface StoredBlob {
  digest: string;
  size: number;
}

/** The running hash of an upload, kept between its chunks (not state: recomputed when lost). */
interface UploadHash {
  hash: Hash;
  size: number;
}

function blobDir(runtime: SandboxRuntime): string {
  return join(runtime.dataDir, 'ecr-blobs', 'sha256');
}

function uploadDir(runtime: SandboxRuntime): string {
  return join(runtime.dataDir, 'ecr-uploads');
}

function uploadPath(runtime: SandboxRuntime, id: string): string {
  return join(uploadDir(runtime), id);
}

function hashKey(id: string): string {
  return `ecr-upload-hash:${id}`;
}

/** The file of a blob (`sha256:<hex>`). */
export function blobPath(runtime: SandboxRuntime, digest: string): string {
  return join(blobDir(runtime), digest.slice('sha256:'.length));
}

/** The size of a blob on disk, or undefined when no such blob was ever written. */
export async function blobSize(
  runtime: SandboxRuntime,
  digest: string,
): Promise<number | undefined> {
  try {
    return (await stat(blobPath(runtime, digest))).size;
  } catch {
    return undefined;
  }
}

/** Bytes `start`…`end` (inclusive) of a blob, streamed from disk. */
export function readBlob(
  runtime: SandboxRuntime,
  digest: string,
  range?: { start: number; end: number },
): Readable {
  return createReadStream(blobPath(runtime, digest), {
    highWaterMark: IO_CHUNK,
    ...(range ? { start: range.start, end: range.end } : {}),
  });
}

/** Counts and (optionally) hashes the bytes flowing through. */
class Meter extends Transform {
  bytes = 0;
  constructor(
    readonly hash: Hash | undefined,
    private readonly maxBytes: number,
  ) {
    super({ highWaterMark: IO_CHUNK });
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new BlobError('too-large', `the blob exceeds ${this.maxBytes} bytes`));
      return;
    }
    this.hash?.update(chunk);
    done(undefined, chunk);
  }
}

function hexOf(hash: Hash): string {
  return `sha256:${hash.digest('hex')}`;
}

async function hashFile(path: string, length: number): Promise<string> {
  const hash = createHash('sha256');
  if (length > 0) {
    for await (const chunk of createReadStream(path, {
      end: length - 1,
      highWaterMark: IO_CHUNK,
    })) {
      hash.update(chunk as Buffer);
    }
  }
  return hexOf(hash);
}

/** Moves a verified file into the store; a blob already there is kept as written. */
async function commit(runtime: SandboxRuntime, file: string, digest: string): Promise<void> {
  await mkdir(blobDir(runtime), { recursive: true });
  const target = blobPath(runtime, digest);
  if ((await blobSize(runtime, digest)) !== undefined) {
    await rm(file, { force: true });
    return;
  }
  await rename(file, target);
}

/** Creates the (empty) file of a new upload. */
export async function createUploadFile(runtime: SandboxRuntime, id: string): Promise<void> {
  await mkdir(uploadDir(runtime), { recursive: true });
  await writeFile(uploadPath(runtime, id), '', { flag: 'wx' });
  runtime.caches.set(hashKey(id), { hash: createHash('sha256'), size: 0 } satisfies UploadHash);
}

/** Removes an upload's file and running hash. */
export async function discardUpload(runtime: SandboxRuntime, id: string): Promise<void> {
  runtime.caches.delete(hashKey(id));
  await rm(uploadPath(runtime, id), { force: true });
}

/**
 * Appends a stream to an upload at its recorded size and advances `upload.size`. A failure
 * leaves the upload as it was. `expectedLength`, when given, must be exactly what arrives.
 */
export async function appendToUpload(
  runtime: SandboxRuntime,
  upload: EcrUpload,
  source: Readable,
  options: { expectedLength?: number; maxBytes?: number } = {},
): Promise<number> {
  const path = uploadPath(runtime, upload.id);
  const start = upload.size;
  // Bytes past the recorded size are left-overs of a failed append: drop them.
  try {
    await truncate(path, start);
  } catch {
    // The file was lost (a restored snapshot of an upload from another run): start it afresh.
    if (start !== 0) throw new BlobError('incomplete', 'the upload data is gone; start over');
    await mkdir(uploadDir(runtime), { recursive: true });
    await writeFile(path, '');
  }
  const cached = runtime.caches.get(hashKey(upload.id)) as UploadHash | undefined;
  const running = cached !== undefined && cached.size === start ? cached : undefined;
  if (!running) runtime.caches.delete(hashKey(upload.id));
  // Hash a copy, so a failed append does not spoil the running hash.
  const meter = new Meter(running?.hash.copy(), options.maxBytes ?? Number.MAX_SAFE_INTEGER);
  try {
    await pipeline(
      source,
      meter,
      createWriteStream(path, { flags: 'r+', start, highWaterMark: IO_CHUNK }),
    );
  } catch (error: unknown) {
    await truncate(path, start).catch(() => undefined);
    if (error instanceof BlobError) throw error;
    throw new BlobError('incomplete', 'the upload stream ended early');
  }
  if (options.expectedLength !== undefined && meter.bytes !== options.expectedLength) {
    await truncate(path, start).catch(() => undefined);
    throw new BlobError(
      'incomplete',
      `received ${meter.bytes} bytes where ${options.expectedLength} were announced`,
    );
  }
  upload.size = start + meter.bytes;
  if (running && meter.hash) {
    runtime.caches.set(hashKey(upload.id), {
      hash: meter.hash,
      size: upload.size,
    } satisfies UploadHash);
  }
  return meter.bytes;
}

/**
 * Verifies an upload against the digest the client claims and moves it into the store. On a
 * mismatch the upload stays open (the client may still fix it, or cancel it).
 */
export async function completeUpload(
  runtime: SandboxRuntime,
  upload: EcrUpload,
  expectedDigest: string,
): Promise<StoredBlob> {
  const path = uploadPath(runtime, upload.id);
  const cached = runtime.caches.get(hashKey(upload.id)) as UploadHash | undefined;
  const digest =
    cached !== undefined && cached.size === upload.size
      ? hexOf(cached.hash.copy())
      : await hashFile(path, upload.size);
  if (digest !== expectedDigest) {
    throw new BlobError(
      'digest-mismatch',
      `the uploaded content has digest ${digest}, not ${expectedDigest}`,
      digest,
    );
  }
  await truncate(path, upload.size);
  await commit(runtime, path, digest);
  runtime.caches.delete(hashKey(upload.id));
  return { digest, size: upload.size };
}

/**
 * Streams a whole blob into the store in one go (monolithic uploads), verified against
 * `expectedDigest`; nothing is kept on failure.
 */
export async function writeBlob(
  runtime: SandboxRuntime,
  source: Readable,
  options: { expectedDigest: string; expectedLength?: number; tempId: string },
): Promise<StoredBlob> {
  await mkdir(uploadDir(runtime), { recursive: true });
  const path = uploadPath(runtime, options.tempId);
  const meter = new Meter(createHash('sha256'), Number.MAX_SAFE_INTEGER);
  try {
    await pipeline(
      source,
      meter,
      createWriteStream(path, { flags: 'wx', highWaterMark: IO_CHUNK }),
    );
    if (options.expectedLength !== undefined && meter.bytes !== options.expectedLength) {
      throw new BlobError(
        'incomplete',
        `received ${meter.bytes} bytes where ${options.expectedLength} were announced`,
      );
    }
    const digest = hexOf(meter.hash as Hash);
    if (digest !== options.expectedDigest) {
      throw new BlobError(
        'digest-mismatch',
        `the uploaded content has digest ${digest}, not ${options.expectedDigest}`,
        digest,
      );
    }
    await commit(runtime, path, digest);
    return { digest, size: meter.bytes };
  } catch (error: unknown) {
    await rm(path, { force: true });
    if (error instanceof BlobError) throw error;
    throw new BlobError('incomplete', 'the upload stream ended early');
  }
}

/** Stores bytes already in memory (manifests are never blobs; this is for tests and small parts). */
export function bufferStream(data: Buffer): Readable {
  return Readable.from([data], { objectMode: false });
}
