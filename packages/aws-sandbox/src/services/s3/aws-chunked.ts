// Decodes `Content-Encoding: aws-chunked` bodies (`STREAMING-…` payloads) as they stream in,
// verifying chunk and trailer signatures when the payload is signed.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { AwsError } from '../../framework/aws-error.js';
import { sha256Hex, sign } from '../../signing/sigv4.js';
import { incompleteBody, s3Error } from './s3-errors.js';

/** What chunk signatures chain from. */
export interface ChunkSigning {
  /** The derived SigV4 key of the request. */
  key: Buffer;
  amzDate: string;
  /** `<date>/<region>/s3/aws4_request`. */
  scope: string;
  /** The request's own signature, which the first chunk's signature chains from. */
  seedSignature: string;
}

const EMPTY_SHA256 = sha256Hex('');
/** Chunk header lines and trailer lines are short; anything longer is not aws-chunked. */
const MAX_LINE = 8192;
const CRLF = Buffer.from('\r\n');

type Phase = 'header' | 'data' | 'data-end' | 'trailer' | 'done';

function signatureMismatch(): AwsError {
  return s3Error(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    403,
  );
}

function malformedChunk(detail: string): AwsError {
  return s3Error('InvalidRequest', `Malformed aws-chunked body: ${detail}`, 400);
}

/**
 * A transform from the aws-chunked wire form to the object's bytes. Trailing headers
 * (`x-amz-checksum-crc32:…`) are collected in {@link AwsChunkedDecoder.trailers}.
 */
export class AwsChunkedDecoder extends Transform {
  /** Trailing headers by lower-cased name, available once the stream has finished. */
  readonly trailers: Record<string, string> = {};
  private phase: Phase = 'header';
  private line = Buffer.alloc(0);
  private remaining = 0;
  private chunkSignature = '';
  private chunkHash: Hash | undefined;
  private previousSignature: string;
  private readonly trailerLines: string[] = [];

  constructor(private readonly signing?: ChunkSigning) {
    super();
    this.previousSignature = signing?.seedSignature ?? '';
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.consume(chunk);
      done();
    } catch (error: unknown) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.phase === 'done' ? undefined : incompleteBody());
  }

  private consume(input: Buffer): void {
    let offset = 0;
    while (offset < input.length) {
      if (this.phase === 'data') {
        const take = Math.min(this.remaining, input.length - offset);
        const piece = input.subarray(offset, offset + take);
        this.chunkHash?.update(piece);
        this.push(piece);
        this.remaining -= take;
        offset += take;
        if (this.remaining === 0) this.phase = 'data-end';
        continue;
      }
      if (this.phase === 'done') {
        // Tolerate trailing line breaks some clients add; anything else is garbage.
        const rest = input.subarray(offset).toString('latin1');
        if (rest.trim() !== '') throw malformedChunk('data after the final chunk');
        return;
      }
      if (this.line.at(-1) === 0x0d && input[offset] === 0x0a) {
        // The CRLF was split between two pieces of the stream.
        const text = this.line.subarray(0, -1).toString('latin1');
        this.line = Buffer.alloc(0);
        offset += 1;
        this.onLine(text);
        continue;
      }
      const end = input.indexOf(CRLF, offset);
      const stop = end < 0 ? input.length : end;
      this.line = Buffer.concat([this.line, input.subarray(offset, stop)]);
      if (this.line.length > MAX_LINE) throw malformedChunk('line too long');
      if (end < 0) return;
      offset = end + 2;
      const text = this.line.toString('latin1');
      this.line = Buffer.alloc(0);
      this.onLine(text);
    }
  }

  private onLine(text: string): void {
    switch (this.phase) {
      case 'header':
        this.onHeader(text);
        return;
      case 'data-end':
        if (text !== '') throw malformedChunk('chunk data longer than its declared size');
        this.verifyChunk();
        this.phase = 'header';
        return;
      case 'trailer':
        if (text === '') {
          this.verifyTrailer();
          this.phase = 'done';
          return;
        }
        this.trailerLines.push(text);
        return;
      case 'data':
      case 'done':
        return;
      default: {
        const never: never = this.phase;
        throw new Error(`unknown phase ${String(never)}`);
      }
    }
  }

  private onHeader(text: string): void {
    const [sizeText = '', ...extensions] = text.split(';');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText.trim()))
      throw malformedChunk(`bad chunk size "${sizeText}"`);
    const size = Number.parseInt(sizeText.trim(), 16);
    this.chunkSignature = '';
    for (const extension of extensions) {
      const eq = extension.indexOf('=');
      if (eq > 0 && extension.slice(0, eq).trim() === 'chunk-signature') {
        this.chunkSignature = extension.slice(eq + 1).trim();
      }
    }
    if (this.signing && this.chunkSignature === '') throw signatureMismatch();
    this.chunkHash = this.signing ? createHash('sha256') : undefined;
    if (size > 0) {
      this.remaining = size;
      this.phase = 'data';
      return;
    }
    this.verifyChunk();
    this.phase = 'trailer';
  }

  private verifyChunk(): void {
    if (!this.signing) return;
    const dataHash = this.chunkHash?.digest('hex') ?? EMPTY_SHA256;
    const { key, amzDate, scope } = this.signing;
    const expected = sign(
      key,
      [
        'AWS4-HMAC-SHA256-PAYLOAD',
        amzDate,
        scope,
        this.previousSignature,
        EMPTY_SHA256,
        dataHash,
      ].join('\n'),
    );
    if (expected !== this.chunkSignature) throw signatureMismatch();
    this.previousSignature = expected;
  }

  private verifyTrailer(): void {
    let trailerSignature: string | undefined;
    let canonical = '';
    for (const line of this.trailerLines) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformedChunk(`bad trailer "${line}"`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'x-amz-trailer-signature') {
        trailerSignature = value;
        continue;
      }
      this.trailers[name] = value;
      canonical += `${name}:${value}\n`;
    }
    if (!this.signing || this.trailerLines.length === 0) return;
    if (trailerSignature === undefined) throw signatureMismatch();
    const { key, amzDate, scope } = this.signing;
    const expected = sign(
      key,
      [
        'AWS4-HMAC-SHA256-TRAILER',
        amzDate,
        scope,
        this.previousSignature,
        sha256Hex(canonical),
      ].join('\n'),
    );
    if (expected !== trailerSignature) throw signatureMismatch();
  }
}
