// Reads a request body into memory, refusing bodies over the protocol's limit.
import type { Readable } from 'node:stream';
import { CommonError } from './aws-error.js';

/**
 * Reads the whole body, or rejects with `BodyTooLarge` once it passes `maxBytes` (the stream is
 * then paused, not destroyed, so the error response can still be written; the server closes the
 * connection because the body was not read to its end). Rejects if the stream fails or closes
 * before its end. Listens to events rather than iterating: this runs for every request, and an
 * async iterator costs more than the typical one-chunk body.
 */
export function readBody(
  stream: Readable,
  maxBytes: number,
  headers: Record<string, string>,
): Promise<Buffer> {
  const declared = Number(headers['content-length'] ?? '0');
  if (declared > maxBytes) {
    return Promise.reject(
      new CommonError(
        'BodyTooLarge',
        `Request body of ${declared} bytes exceeds the ${maxBytes}-byte limit.`,
      ),
    );
  }
  if (stream.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += buffer.length;
      if (total > maxBytes) {
        cleanup();
        stream.pause();
        reject(new CommonError('BodyTooLarge', `Request body exceeds the ${maxBytes}-byte limit.`));
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('the request body ended before it was complete'));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
