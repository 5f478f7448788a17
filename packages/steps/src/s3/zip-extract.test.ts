import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { zipFile } from '../test-support/zip-file.js';
import { BundleError, extractZip } from './zip-extract.js';

describe('extractZip', () => {
  const dirs: string[] = [];
  const unpack = async (zip: Buffer) => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-zip-test-'));
    dirs.push(dir);
    const file = join(dir, 'bundle.zip');
    writeFileSync(file, zip);
    const out = join(dir, 'out');
    mkdirSync(out);
    const count = await extractZip(file, out, 'bundle');
    return { out, count };
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('unpacks deflated and stored entries, directories and empty files', async () => {
    const big = 'x'.repeat(100_000);
    for (const store of [false, true]) {
      const { out, count } = await unpack(
        zipFile(
          { 'index.html': '<h1>hi</h1>', 'assets/': '', 'assets/app.js': big, 'empty.txt': '' },
          { store },
        ),
      );
      expect(count).toBe(3);
      expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('<h1>hi</h1>');
      expect(readFileSync(join(out, 'assets', 'app.js'), 'utf8')).toBe(big);
      expect(readFileSync(join(out, 'empty.txt'), 'utf8')).toBe('');
    }
  });

  it('refuses paths that lead out, damaged data and files that are not zips', async () => {
    await expect(unpack(zipFile({ '../evil.txt': 'x' }))).rejects.toThrow(
      'bundle holds the path "../evil.txt", which leads out of it',
    );
    await expect(unpack(zipFile({ '/etc/passwd': 'x' }))).rejects.toBeInstanceOf(BundleError);
    const zip = zipFile({ 'a.txt': 'hello world' }, { store: true });
    // Flip one byte of the stored content: the CRC no longer matches.
    const corrupt = Buffer.from(zip);
    corrupt[30 + 'a.txt'.length] = 'H'.charCodeAt(0);
    await expect(unpack(corrupt)).rejects.toThrow(
      'bundle: a.txt is corrupt (size or CRC does not match)',
    );
    await expect(unpack(Buffer.from('not a zip at all, just text'))).rejects.toThrow(
      'bundle is not a zip file',
    );
    // Nothing was written outside the output folders.
    expect(dirs.every((d) => readdirSync(d).sort().join() === 'bundle.zip,out')).toBe(true);
  });
});
