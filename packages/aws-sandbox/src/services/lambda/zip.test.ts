import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readZipDirectory, readZipEntry, ZipFormatError } from './zip-reader.js';
import { buildZip } from './zip-writer.js';

describe('zip reader and writer', () => {
  it('round-trips stored and deflated entries, byte for byte and deterministically', () => {
    const big = 'x'.repeat(10_000);
    const files = [
      { name: 'index.mjs', data: 'export const handler = () => 1;' },
      { name: 'lib/data.txt', data: big, compress: false },
      { name: 'lib/bin', data: Buffer.from([0, 1, 2, 255]) },
    ];
    const zip = buildZip(files);
    expect(buildZip(files).equals(zip)).toBe(true);
    const entries = readZipDirectory(zip);
    expect(entries.map((e) => [e.name, e.method, e.size])).toEqual([
      ['index.mjs', 8, 31],
      ['lib/data.txt', 0, 10_000],
      ['lib/bin', 8, 4],
    ]);
    expect(entries.map((e) => readZipEntry(zip, e).toString('latin1'))).toEqual([
      'export const handler = () => 1;',
      big,
      Buffer.from([0, 1, 2, 255]).toString('latin1'),
    ]);
  });

  it('refuses what is not a usable zip', () => {
    expect(() => readZipDirectory(Buffer.from('definitely not a zip archive'))).toThrow(
      ZipFormatError,
    );
    expect(() => readZipDirectory(buildZip([{ name: '../escape.js', data: 'x' }]))).toThrow(
      /escapes the archive/,
    );
    expect(() => readZipDirectory(buildZip([{ name: '/etc/passwd', data: 'x' }]))).toThrow(
      /absolute path/,
    );
    // A flipped byte in the data fails the CRC check.
    const zip = buildZip([{ name: 'a.txt', data: 'hello', compress: false }]);
    const corrupt = Buffer.from(zip);
    corrupt[30 + 'a.txt'.length] = 'j'.charCodeAt(0);
    const [entry] = readZipDirectory(corrupt);
    if (!entry) throw new Error('no entry');
    expect(() => readZipEntry(corrupt, entry)).toThrow(/CRC/);
  });

  it('bounds inflation by the declared size', () => {
    const zip = buildZip([{ name: 'bomb', data: 'small', compress: false }]);
    const bomb = Buffer.from(zip);
    // Claim deflate with 5 bytes of output while the data inflates to far more.
    const [entry] = readZipDirectory(bomb);
    if (!entry) throw new Error('no entry');
    const data = deflateRawSync(Buffer.alloc(1_000_000));
    const forged = { ...entry, method: 8, compressedSize: data.length };
    const archive = Buffer.concat([bomb.subarray(0, 30 + 4), data]);
    expect(() => readZipEntry(archive, forged)).toThrow(ZipFormatError);
  });
});
