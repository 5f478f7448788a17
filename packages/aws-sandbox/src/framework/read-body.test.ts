import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CommonError } from './aws-error.js';
import { readBody } from './read-body.js';

const kindOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof CommonError ? error.kind : (error as Error).message),
  );

describe('readBody', () => {
  it('concatenates every chunk', async () => {
    const stream = Readable.from([Buffer.from('Action='), Buffer.from('GetCallerIdentity'), 'x']);
    expect((await readBody(stream, 100, {})).toString()).toBe('Action=GetCallerIdentityx');
  });

  it('reads an empty body', async () => {
    expect((await readBody(Readable.from([]), 100, {})).length).toBe(0);
  });

  it('returns an empty body for a stream that already ended', async () => {
    const stream = Readable.from([Buffer.from('abc')]);
    await readBody(stream, 100, {});
    expect((await readBody(stream, 100, {})).length).toBe(0);
  });

  it('refuses a declared length over the limit without reading', async () => {
    const stream = new PassThrough();
    expect(await kindOf(readBody(stream, 10, { 'content-length': '11' }))).toBe('BodyTooLarge');
    expect(stream.readableFlowing).toBe(null);
  });

  it('refuses an undeclared body once it passes the limit, and stops reading', async () => {
    const stream = new PassThrough();
    const result = kindOf(readBody(stream, 10, {}));
    stream.write(Buffer.alloc(6));
    stream.write(Buffer.alloc(6));
    expect(await result).toBe('BodyTooLarge');
    expect(stream.isPaused()).toBe(true);
  });

  it('accepts a body of exactly the limit', async () => {
    const stream = Readable.from([Buffer.alloc(5), Buffer.alloc(5)]);
    expect((await readBody(stream, 10, {})).length).toBe(10);
  });

  it('rejects when the stream fails', async () => {
    const stream = new PassThrough();
    const result = kindOf(readBody(stream, 10, {}));
    stream.destroy(new Error('socket reset'));
    expect(await result).toBe('socket reset');
  });

  it('rejects when the stream closes before its end', async () => {
    const stream = new PassThrough();
    const result = kindOf(readBody(stream, 10, {}));
    stream.write('ab');
    stream.destroy();
    expect(await result).toBe('the request body ended before it was complete');
  });
});
