import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RampartError } from '@rampart/core';
import { describe, expect, it } from 'vitest';
import { thrown, useTempDirs } from '../test-support/temp-dirs.js';
import { FileKeyStore } from './file-key-store.js';
import { generateSigningKey } from './generate-signing-key.js';
import { masterKeySource } from './master-key.js';
import type { StoredSigningKey } from './stored-signing-key.js';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');
const tempDir = useTempDirs();

const storeFor = (dataDir: string, masterKey = KEY_A) =>
  new FileKeyStore({ dataDir, masterKey: masterKeySource({ dataDir, masterKey }) });

let sample: StoredSigningKey | undefined;
async function sampleKey(): Promise<StoredSigningKey> {
  sample ??= await generateSigningKey(new Date('2026-03-01T10:00:00Z'));
  return sample;
}

describe('FileKeyStore', () => {
  it('round-trips keys through an encrypted keys.json with mode 0600, leaving no temp files', async () => {
    const dataDir = join(tempDir(), 'data');
    const key = await sampleKey();
    const store = storeFor(dataDir);
    expect(await store.load()).toEqual([]);
    expect(await store.update(() => [key])).toEqual([key]);
    expect(await storeFor(dataDir).load()).toEqual([key]);
    expect(readdirSync(dataDir)).toEqual(['keys.json']);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    const text = readFileSync(store.file, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ format: 'rampart-signing-keys', version: 1 });
    // Neither the private exponent nor the key id appears in the clear.
    expect(text).not.toContain(key.privateJwk.d.slice(0, 40));
    expect(text).not.toContain(key.kid);
  });

  it('a modified key file is refused as modified, not decrypted', async () => {
    const dataDir = tempDir();
    const store = storeFor(dataDir);
    await store.update(async () => [await sampleKey()]);
    const envelope = JSON.parse(readFileSync(store.file, 'utf8')) as { ciphertext: string };
    const bytes = Buffer.from(envelope.ciphertext, 'base64');
    bytes[10] = (bytes[10] ?? 0) ^ 1;
    writeFileSync(
      store.file,
      JSON.stringify({ ...envelope, ciphertext: bytes.toString('base64') }),
    );
    const error = (await thrown(() => storeFor(dataDir).load())) as RampartError;
    expect(error.code).toBe('SIGNING_KEYS_UNREADABLE');
    expect(error.message).toBe(
      `${store.file} failed its integrity check: it was modified or is corrupt`,
    );
  });

  it('a file encrypted under another master key names both key ids', async () => {
    const dataDir = tempDir();
    await storeFor(dataDir, KEY_A).update(async () => [await sampleKey()]);
    const error = (await thrown(() => storeFor(dataDir, KEY_B).load())) as RampartError;
    expect(error.code).toBe('SIGNING_KEYS_UNREADABLE');
    expect(error.message).toMatch(
      /was encrypted with another master key \(id [0-9a-f]{16}\); the configured one \(master_key\) has id [0-9a-f]{16}$/,
    );
    expect(error.hint).toContain('rampart oidc rotate');
  });

  it('a file that is not a key file, or from a newer version, is refused', async () => {
    const dataDir = tempDir();
    const store = storeFor(dataDir);
    writeFileSync(store.file, 'not json');
    expect(await thrown(() => store.load())).toMatchObject({
      code: 'SIGNING_KEYS_UNREADABLE',
      message: `${store.file} is not a Rampart key file (not JSON)`,
    });
    writeFileSync(store.file, JSON.stringify({ format: 'rampart-signing-keys', version: 2 }));
    expect(await thrown(() => storeFor(dataDir).load())).toMatchObject({
      message: `${store.file} was written by a newer Rampart (key file version 2)`,
    });
  });

  it('keys.json without its generated master.key is refused instead of replaced', async () => {
    const dataDir = tempDir();
    const generated = new FileKeyStore({ dataDir, masterKey: masterKeySource({ dataDir }) });
    await generated.update(async () => [await sampleKey()]);
    writeFileSync(join(dataDir, 'master.key.moved'), readFileSync(join(dataDir, 'master.key')));
    rmSync(join(dataDir, 'master.key'));
    const fresh = new FileKeyStore({ dataDir, masterKey: masterKeySource({ dataDir }) });
    const error = (await thrown(() => fresh.update((keys) => keys))) as RampartError;
    expect(error.code).toBe('SIGNING_KEYS_UNREADABLE');
    expect(error.message).toContain('exists but its master key');
    expect(readdirSync(dataDir).sort()).toEqual(['keys.json', 'master.key.moved']);
  });

  it('sees a change written by another store instance (another process)', async () => {
    const dataDir = tempDir();
    const server = storeFor(dataDir);
    const cli = storeFor(dataDir);
    const key = await sampleKey();
    await server.update(() => [key]);
    expect(await server.load()).toHaveLength(1);
    await cli.update((keys) => keys.map((k) => ({ ...k, retiredAt: '2026-03-01T11:00:00.000Z' })));
    expect((await server.load())[0]?.retiredAt).toBe('2026-03-01T11:00:00.000Z');
  });

  it('serializes concurrent updates in one process', async () => {
    const dataDir = tempDir();
    const store = storeFor(dataDir);
    const key = await sampleKey();
    await Promise.all(
      ['a', 'b', 'c'].map((kid) =>
        store.update((keys) => [...keys, { ...key, kid, retiredAt: key.createdAt }]),
      ),
    );
    expect((await store.load()).map((k) => k.kid).sort()).toEqual(['a', 'b', 'c']);
  });
});
