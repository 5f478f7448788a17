import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../framework/aws-error.js';
import { AwsChunkedDecoder } from './aws-chunked.js';

async function decode(
  pieces: string[],
): Promise<{ data: string; trailers: Record<string, string> }> {
  const decoder = new AwsChunkedDecoder();
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(pieces.map((piece) => Buffer.from(piece, 'latin1'))),
    decoder,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return { data: Buffer.concat(out).toString('latin1'), trailers: decoder.trailers };
}

const BODY = '5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n';

describe('AwsChunkedDecoder', () => {
  it('decodes chunks and collects trailers however the stream is split', async () => {
    const whole = await decode([BODY]);
    expect(whole).toEqual({
      data: 'hello world',
      trailers: { 'x-amz-checksum-crc32': 'DUoRhQ==' },
    });
    // One byte at a time splits every CRLF and header.
    expect(await decode([...BODY])).toEqual(whole);
    expect(await decode([BODY.slice(0, 3), BODY.slice(3, 9), BODY.slice(9)])).toEqual(whole);
  });

  it('accepts a body without trailers', async () => {
    expect(await decode(['3\r\nabc\r\n0\r\n\r\n'])).toEqual({ data: 'abc', trailers: {} });
  });

  it.each([
    ['a bad size', 'zz\r\nabc\r\n0\r\n\r\n', 'InvalidRequest'],
    ['data longer than declared', '2\r\nabc\r\n0\r\n\r\n', 'InvalidRequest'],
    ['a missing final chunk', '3\r\nabc\r\n', 'IncompleteBody'],
    ['garbage after the end', '0\r\n\r\nmore', 'InvalidRequest'],
    ['a malformed trailer', '0\r\nnot-a-header\r\n\r\n', 'InvalidRequest'],
  ])('rejects %s', async (_name, body, code) => {
    const error = await decode([body]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).code).toBe(code);
  });
});
