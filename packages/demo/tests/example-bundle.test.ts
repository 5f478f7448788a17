/**
 * The example's bundle build command (`node build-bundle.mjs`): a zip made with Node alone that
 * unzips to the site's files, byte for byte the same on every run.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_DIR } from '../src/demo-settings.js';

const dir = mkdtempSync(join(tmpdir(), 'rampart-demo-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(output: string, folder = 'site'): { zip: Buffer; log: string } {
  const log = execFileSync(process.execPath, ['build-bundle.mjs', folder, output], {
    cwd: EXAMPLE_DIR,
    encoding: 'utf8',
  });
  return { zip: readFileSync(output), log };
}

/** The entries of a zip, read from its central directory (as unzip tools do). */
function entries(zip: Buffer): Map<string, Buffer> {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const found = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const compressed = zip.readUInt32LE(at + 20);
    const dataAt = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const data = inflateRawSync(zip.subarray(dataAt, dataAt + compressed));
    expect(data.length).toBe(size);
    found.set(name, data);
    at += 46 + nameLength;
  }
  return found;
}

describe("the example's bundle build", () => {
  it("zips the site's files, which unzip to the same bytes", () => {
    const { zip, log } = build(join(dir, 'out', 'site.zip'));
    const files = entries(zip);
    const site = readdirSync(join(EXAMPLE_DIR, 'site')).sort();
    expect([...files.keys()]).toEqual(site);
    for (const name of site) {
      expect(files.get(name)?.equals(readFileSync(join(EXAMPLE_DIR, 'site', name)))).toBe(true);
    }
    const sha = createHash('sha256').update(zip).digest('hex');
    expect(log).toContain(`sha256 ${sha}`);
  });

  it('gives the same zip on every run', () => {
    const a = build(join(dir, 'a.zip')).zip;
    const b = build(join(dir, 'b.zip')).zip;
    expect(a.equals(b)).toBe(true);
  });

  it('fails on a folder with no files, saying so', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    let stderr = '';
    try {
      execFileSync(process.execPath, ['build-bundle.mjs', empty, join(dir, 'x.zip')], {
        cwd: EXAMPLE_DIR,
        stdio: 'pipe',
      });
    } catch (error) {
      stderr = String((error as { stderr?: unknown }).stderr);
    }
    expect(stderr).toContain(`${empty} holds no files`);
  });
});
