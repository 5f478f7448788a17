import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RampartError } from '@rampart/core';
import { describe, expect, it } from 'vitest';
import { thrown, useTempDirs } from '../test-support/temp-dirs.js';
import { decodeMasterKey, masterKeySource } from './master-key.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const tempDir = useTempDirs();

describe('masterKeySource', () => {
  it('uses master_key when configured, and never writes a file', async () => {
    const dataDir = tempDir();
    const source = masterKeySource({ masterKey: KEY, dataDir });
    expect((await source.loadOrCreate()).equals(Buffer.alloc(32, 7))).toBe(true);
    expect(source.description).toBe('master_key');
    expect(() => statSync(join(dataDir, 'master.key'))).toThrow();
  });

  it('reads master_key_file (base64, surrounding whitespace allowed)', async () => {
    const dir = tempDir();
    const file = join(dir, 'key.b64');
    writeFileSync(file, `  ${KEY}\n`);
    const source = masterKeySource({ masterKeyFile: file, dataDir: dir });
    expect((await source.load())?.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(source.description).toBe(`master_key_file ${file}`);
  });

  it('a configured master_key_file that is missing or malformed is CONFIG_INVALID', async () => {
    const dir = tempDir();
    const missing = await thrown(() =>
      masterKeySource({ masterKeyFile: join(dir, 'nope'), dataDir: dir }).loadOrCreate(),
    );
    expect(missing).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((missing as RampartError).message).toContain('does not exist');
    const short = join(dir, 'short');
    writeFileSync(short, Buffer.alloc(16).toString('base64'));
    const error = await thrown(() =>
      masterKeySource({ masterKeyFile: short, dataDir: dir }).load(),
    );
    expect((error as RampartError).message).toBe(
      `master_key_file ${short} must hold 32 bytes in base64`,
    );
  });

  it('without configuration, generates data_dir/master.key once, mode 0600, and reports it', async () => {
    const dataDir = join(tempDir(), 'data');
    const generated: string[] = [];
    const source = masterKeySource({ dataDir, onGenerated: (f) => generated.push(f) });
    expect(await source.load()).toBeUndefined();
    const key = await source.loadOrCreate();
    const file = join(dataDir, 'master.key');
    expect(generated).toEqual([file]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    // A second source (another process) reads the same key and generates nothing.
    const again = masterKeySource({ dataDir, onGenerated: (f) => generated.push(f) });
    expect((await again.loadOrCreate()).equals(key)).toBe(true);
    expect(generated).toHaveLength(1);
  });

  it('two sources racing to generate end up with one key', async () => {
    const dataDir = tempDir();
    const [a, b] = await Promise.all([
      masterKeySource({ dataDir }).loadOrCreate(),
      masterKeySource({ dataDir }).loadOrCreate(),
    ]);
    expect(a.equals(b)).toBe(true);
  });
});

describe('decodeMasterKey', () => {
  it('accepts exactly 32 bytes of canonical base64', () => {
    expect(decodeMasterKey(KEY, 'x')).toHaveLength(32);
    for (const bad of ['', 'not base64!', Buffer.alloc(31).toString('base64'), `${KEY}AAAA`]) {
      expect(() => decodeMasterKey(bad, 'master_key')).toThrow('master_key must hold 32 bytes');
    }
  });
});
