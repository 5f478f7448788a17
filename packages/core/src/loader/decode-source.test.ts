import { describe, expect, it } from 'vitest';
import { RampartError } from '../errors/index.js';
import { decodeSource, formatBytes } from './decode-source.js';
import { MAX_FILE_BYTES } from './limits.js';

const enc = new TextEncoder();
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...enc.encode(p)] : p)));

function decodeError(input: Uint8Array): RampartError {
  try {
    decodeSource(input, 'p.yaml');
  } catch (error) {
    if (error instanceof RampartError) return error;
    throw error;
  }
  throw new Error('decodeSource did not throw');
}

describe('decodeSource', () => {
  it('returns UTF-8 text unchanged, multi-byte characters included', () => {
    expect(decodeSource(bytes('a: "é😀"\n'), 'p.yaml')).toBe('a: "é😀"\n');
  });

  it('drops a leading byte-order mark only', () => {
    expect(decodeSource(bytes([0xef, 0xbb, 0xbf], 'a: 1\n'), 'p.yaml')).toBe('a: 1\n');
  });

  it('reports a Latin-1 byte as FILE_NOT_UTF8 with the byte, its line and column', () => {
    const e = decodeError(bytes('version: "1.0.0"\npipeline:\n  tracks: ma', [0xff, 0xfe], 'in\n'));
    expect(e.code).toBe('FILE_NOT_UTF8');
    expect(e.source).toBe('user');
    expect(e.message).toContain('p.yaml is not valid UTF-8');
    expect(e.message).toContain('0xff');
    expect(e.message).toContain('line 3');
    expect(e.location).toEqual({ file: 'p.yaml', line: 3, column: 13 });
    expect(e.hint).toContain('iconv');
  });

  it('reports a sequence cut off at the end of the file', () => {
    const e = decodeError(bytes('a\nbc', [0xe2, 0x82]));
    expect(e.code).toBe('FILE_NOT_UTF8');
    expect(e.message).toContain('0xe2');
    expect(e.location).toEqual({ file: 'p.yaml', line: 2, column: 3 });
  });

  it('locates an encoded surrogate (ED A0 80) at its own line and column', () => {
    const e = decodeError(bytes('version: "1.0.0"\n# ', [0xed, 0xa0, 0x80], '\n'));
    expect(e.code).toBe('FILE_NOT_UTF8');
    expect(e.message).toContain('0xed');
    expect(e.location).toEqual({ file: 'p.yaml', line: 2, column: 3 });
  });

  it('locates an overlong encoding (E0 80 80) at its own line and column', () => {
    const e = decodeError(bytes('a\n# ', [0xe0, 0x80, 0x80], '\n'));
    expect(e.location).toEqual({ file: 'p.yaml', line: 2, column: 3 });
  });

  it('accepts a file of exactly the size limit', () => {
    const text = decodeSource(new Uint8Array(MAX_FILE_BYTES).fill(0x20), 'p.yaml');
    expect(text.length).toBe(MAX_FILE_BYTES);
  });

  it('refuses one byte over the limit with FILE_TOO_LARGE at 1:1', () => {
    const e = decodeError(new Uint8Array(MAX_FILE_BYTES + 1).fill(0x20));
    expect(e.code).toBe('FILE_TOO_LARGE');
    expect(e.message).toContain('limited to 1.0 MiB');
    expect(e.location).toEqual({ file: 'p.yaml', line: 1, column: 1 });
    expect(e.hint).toBeDefined();
  });

  it('does not claim an oversized file is as large as the limit', () => {
    const e = decodeError(new Uint8Array(MAX_FILE_BYTES + 1).fill(0x20));
    expect(e.message).not.toMatch(/is 1\.0 MiB; pipeline files are limited to 1\.0 MiB/);
  });
});

describe('formatBytes', () => {
  it('uses bytes, KiB and MiB', () => {
    expect(formatBytes(12)).toBe('12 bytes');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes(17 * 1024 * 1024)).toBe('17.0 MiB');
  });
});
