// Receives a request body as it streams in: decodes aws-chunked, checks every digest the client
// sent (x-amz-content-sha256, Content-MD5, x-amz-checksum-*), and writes it to a blob or memory.
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsError } from '../../framework/aws-error.js';
import type { ActionContext } from '../../framework/service.js';
import { signingKey } from '../../signing/sigv4.js';
import { AwsChunkedDecoder, type ChunkSigning } from './aws-chunked.js';
import { blobDirectory, discardBlob, newBlobName } from './blob-store.js';
import {
  CHECKSUM_ALGORITHMS,
  checksumHeader,
  createDigest,
  parseChecksumAlgorithm,
  type Digest,
} from './checksums.js';
import {
  badDigest,
  incompleteBody,
  invalidArgument,
  invalidRequest,
  s3Error,
} from './s3-errors.js';
import type { ChecksumAlgorithm, StoredChecksum } from './s3-state.js';

/** The largest object a single PUT may carry (5 GiB), as in AWS. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

/** Where the body goes. */
export type BodySink = { kind: 'blob'; maxBytes: number } | { kind: 'memory'; maxBytes: number };

/** A received body. */
export interface ReceivedBody {
  /** The blob written (blob sinks). */
  blob?: string;
  /** The bytes (memory sinks). */
  data?: Buffer;
  size: number;
  md5Hex: string;
  /** The verified additional checksum, if the client sent one. */
  checksum?: StoredChecksum;
}

/** Counts and hashes the decoded bytes on their way to the sink. */
class Meter extends Transform {
  size = 0;
  readonly md5: Hash = createHash('md5');
  constructor(
    private readonly maxBytes: number,
    readonly sha256: Hash | undefined,
    readonly digest: Digest | undefined,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      done(
        s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
          MaxSizeAllowed: String(this.maxBytes),
        }),
      );
      return;
    }
    this.md5.update(chunk);
    this.sha256?.update(chunk);
    this.digest?.update(chunk);
    done(undefined, chunk);
  }
}

class MemorySink extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    this.chunks.push(chunk);
    done();
  }
}

type PayloadMode =
  { kind: 'plain'; sha256?: string } | { kind: 'chunked'; signed: boolean; trailer: boolean };

function payloadMode(ctx: ActionContext): PayloadMode {
  const claimed = ctx.request.headers['x-amz-content-sha256'];
  if (claimed === undefined || claimed === 'UNSIGNED-PAYLOAD') return { kind: 'plain' };
  if (/^[0-9a-f]{64}$/.test(claimed)) return { kind: 'plain', sha256: claimed };
  switch (claimed) {
    case 'STREAMING-UNSIGNED-PAYLOAD-TRAILER':
      return { kind: 'chunked', signed: false, trailer: true };
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD':
      return { kind: 'chunked', signed: true, trailer: false };
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER':
      return { kind: 'chunked', signed: true, trailer: true };
    default:
      throw invalidArgument(
        'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
        'x-amz-content-sha256',
        claimed,
      );
  }
}

function chunkSigning(ctx: ActionContext): ChunkSigning {
  const info = ctx.signature;
  if (!info || ctx.caller.kind === 'anonymous') {
    throw invalidRequest('Signed aws-chunked payloads need a signed request.');
  }
  return {
    key: signingKey(
      ctx.caller.credential.secretAccessKey,
      info.scopeDate,
      info.region,
      info.service,
    ),
    amzDate: info.amzDate,
    scope: `${info.scopeDate}/${info.region}/${info.service}/aws4_request`,
    seedSignature: info.signature,
  };
}

/** The checksum the client announced: its algorithm, and the value when it came as a header. */
function announcedChecksum(
  headers: Record<string, string>,
  trailerNames: string[],
): { algorithm: ChecksumAlgorithm; value?: string } | undefined {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = headers[checksumHeader(algorithm)];
    if (value !== undefined) return { algorithm, value };
  }
  for (const name of trailerNames) {
    const algorithm = CHECKSUM_ALGORITHMS.find((candidate) => checksumHeader(candidate) === name);
    if (algorithm) return { algorithm };
  }
  const sdk = headers['x-amz-sdk-checksum-algorithm'];
  if (sdk !== undefined) {
    const algorithm = parseChecksumAlgorithm(sdk);
    if (!algorithm) {
      throw invalidRequest('Value for x-amz-sdk-checksum-algorithm header is invalid.');
    }
  }
  return undefined;
}

/**
 * Receives the body of `ctx.request`. Throws the S3 error for a digest that does not match, a
 * body shorter than announced, or one over `sink.maxBytes`; nothing is kept on failure.
 */
export async function receiveBody(ctx: ActionContext, sink: BodySink): Promise<ReceivedBody> {
  const { headers } = ctx.request;
  const mode = payloadMode(ctx);
  const trailerNames =
    mode.kind === 'chunked' && mode.trailer
      ? (headers['x-amz-trailer'] ?? '')
          .split(',')
          .map((name) => name.trim().toLowerCase())
          .filter((name) => name !== '')
      : [];
  const announced = announcedChecksum(headers, trailerNames);
  const lengthHeader =
    mode.kind === 'chunked' ? headers['x-amz-decoded-content-length'] : headers['content-length'];
  const expectedLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
  if (
    expectedLength !== undefined &&
    (!Number.isSafeInteger(expectedLength) || expectedLength < 0)
  ) {
    throw invalidArgument('The content length is not valid.', 'Content-Length', lengthHeader);
  }
  if (mode.kind === 'chunked' && expectedLength === undefined) {
    throw s3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
  }
  if (expectedLength !== undefined && expectedLength > sink.maxBytes) {
    throw s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
      ProposedSize: String(expectedLength),
      MaxSizeAllowed: String(sink.maxBytes),
    });
  }
  const contentMd5 = headers['content-md5'];
  if (contentMd5 !== undefined && Buffer.from(contentMd5, 'base64').length !== 16) {
    throw s3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, {
      'Content-MD5': contentMd5,
    });
  }
  const decoder =
    mode.kind === 'chunked'
      ? new AwsChunkedDecoder(mode.signed ? chunkSigning(ctx) : undefined)
      : undefined;
  const meter = new Meter(
    sink.maxBytes,
    mode.kind === 'plain' && mode.sha256 !== undefined ? createHash('sha256') : undefined,
    announced ? createDigest(announced.algorithm) : undefined,
  );
  const blob = sink.kind === 'blob' ? newBlobName() : undefined;
  const memory = sink.kind === 'memory' ? new MemorySink() : undefined;
  const target =
    blob !== undefined
      ? createWriteStream(join(await blobDirectory(ctx.runtime), blob), { flags: 'wx' })
      : (memory as MemorySink);
  try {
    await (decoder
      ? pipeline(ctx.request.stream, decoder, meter, target)
      : pipeline(ctx.request.stream, meter, target));
    if (expectedLength !== undefined && meter.size !== expectedLength) throw incompleteBody();
    if (mode.kind === 'plain' && mode.sha256 !== undefined) {
      if (meter.sha256?.digest('hex') !== mode.sha256) {
        throw s3Error(
          'XAmzContentSHA256Mismatch',
          "The provided 'x-amz-content-sha256' header does not match what was computed.",
          400,
          { ClientComputedContentSHA256: mode.sha256 },
        );
      }
    }
    const md5 = meter.md5.digest();
    if (contentMd5 !== undefined && !md5.equals(Buffer.from(contentMd5, 'base64'))) {
      throw badDigest('Content-MD5');
    }
    let checksum: StoredChecksum | undefined;
    if (announced && meter.digest) {
      const value = announced.value ?? decoder?.trailers[checksumHeader(announced.algorithm)];
      if (value === undefined) {
        throw invalidRequest(
          `The ${checksumHeader(announced.algorithm)} trailer announced in x-amz-trailer is missing.`,
        );
      }
      if (value !== meter.digest.base64()) throw badDigest(announced.algorithm);
      checksum = { algorithm: announced.algorithm, value };
    }
    return {
      ...(blob !== undefined ? { blob } : {}),
      ...(memory ? { data: Buffer.concat(memory.chunks) } : {}),
      size: meter.size,
      md5Hex: md5.toString('hex'),
      ...(checksum ? { checksum } : {}),
    };
  } catch (error: unknown) {
    if (blob !== undefined) await discardBlob(ctx.runtime, blob);
    if (error instanceof AwsError) throw error;
    // The client went away or sent a broken stream.
    throw incompleteBody();
  }
}
