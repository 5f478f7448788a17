// Reads a request body into memory, refusing bodies over the protocol's limit.
import type { Readable } from 'node:stream';
import { CommonError } from './aws-error.js';

/** Reads the whole body, or throws `BodyTooLarge` once it passes `maxBytes`. */
export async function readBody(
  stream: Readable,
  maxBytes: number,
  headers: Record<string, string>,
): Promise<Buffer> {
  const declared = Number(headers['content-length'] ?? '0');
  if (declared > maxBytes) {
    throw new CommonError(
      'BodyTooLarge',
      `Request body of ${declared} bytes exceeds the ${maxBytes}-byte limit.`,
    );
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    total += buffer.length;
    if (total > maxBytes) {
      throw new CommonError('BodyTooLarge', `Request body exceeds the ${maxBytes}-byte limit.`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
