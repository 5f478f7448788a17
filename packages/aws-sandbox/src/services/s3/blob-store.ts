// Object data on disk: immutable blob files under the runtime's data directory, read by range.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { SandboxRuntime } from '../../framework/runtime.js';
import type { Segment } from './s3-state.js';

/**
 * The directory of S3 blobs. Blobs are written once and never changed or deleted while the
 * sandbox runs, so a snapshot of the state stays valid however the objects change afterwards.
 */
export async function blobDirectory(runtime: SandboxRuntime): Promise<string> {
  const dir = join(runtime.dataDir, 's3-blobs');
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A fresh blob file name. */
export function newBlobName(): string {
  return randomUUID();
}

/** Removes a blob that was never referenced (a failed or rejected upload). */
export async function discardBlob(runtime: SandboxRuntime, blob: string): Promise<void> {
  await rm(join(runtime.dataDir, 's3-blobs', blob), { force: true });
}

/** Bytes `start`…`end` (inclusive) of the data made of `segments`, streamed from disk. */
export function readSegments(
  runtime: SandboxRuntime,
  segments: readonly Segment[],
  start: number,
  end: number,
): Readable {
  const dir = join(runtime.dataDir, 's3-blobs');
  async function* generate(): AsyncGenerator<Buffer> {
    let position = 0;
    for (const segment of segments) {
      const segmentEnd = position + segment.length - 1;
      if (segment.length > 0 && segmentEnd >= start && position <= end) {
        const from = Math.max(start, position) - position;
        const to = Math.min(end, segmentEnd) - position;
        const stream = createReadStream(join(dir, segment.blob), {
          start: segment.offset + from,
          end: segment.offset + to,
        });
        for await (const chunk of stream) yield chunk as Buffer;
      }
      position += segment.length;
      if (position > end) break;
    }
  }
  return Readable.from(generate(), { objectMode: false });
}
