import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '@rampart/aws-sandbox';
import { describe, expect, it } from 'vitest';
import { dataDirOf, issuerFromConfig, keyRingFromConfig } from './issuer-from-config.js';
import type { FileKeyStore } from './keys/file-key-store.js';
import { thrown, useTempDirs } from './test-support/temp-dirs.js';

const tempDir = useTempDirs();

describe('keyRingFromConfig / issuerFromConfig', () => {
  it('keeps keys in data_dir (relative to the base directory), generating master.key there', async () => {
    const base = tempDir();
    const generated: string[] = [];
    const keys = keyRingFromConfig({
      config: { data_dir: 'state' },
      baseDir: base,
      clock: new ManualClock('2026-03-01T10:00:00Z'),
      onMasterKeyGenerated: (file) => generated.push(file),
    });
    await keys.ensureActive();
    expect(generated).toEqual([join(base, 'state', 'master.key')]);
    expect((keys.store as FileKeyStore).file).toBe(join(base, 'state', 'keys.json'));
    expect(statSync(join(base, 'state', 'keys.json')).mode & 0o777).toBe(0o600);
    expect(dataDirOf({}, base)).toBe(join(base, '.rampart'));
  });

  it('uses master_key_file relative to the base directory and generates nothing', async () => {
    const base = tempDir();
    mkdirSync(join(base, 'secrets'));
    writeFileSync(join(base, 'secrets', 'key'), Buffer.alloc(32, 9).toString('base64'));
    const keys = keyRingFromConfig({ config: { master_key_file: 'secrets/key' }, baseDir: base });
    await keys.ensureActive();
    expect(existsSync(join(base, '.rampart', 'keys.json'))).toBe(true);
    expect(existsSync(join(base, '.rampart', 'master.key'))).toBe(false);
  });

  it('the issuer comes from issuer_url, or the override; none is CONFIG_INVALID', async () => {
    const base = tempDir();
    expect(
      issuerFromConfig({ config: { issuer_url: 'https://r.example/' }, baseDir: base }).issuerUrl,
    ).toBe('https://r.example');
    expect(
      issuerFromConfig({ config: {}, baseDir: base, issuerUrl: 'http://127.0.0.1:9000' }).issuerUrl,
    ).toBe('http://127.0.0.1:9000');
    expect(await thrown(() => issuerFromConfig({ config: {}, baseDir: base }))).toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'issuer_url is not configured',
    });
  });
});
