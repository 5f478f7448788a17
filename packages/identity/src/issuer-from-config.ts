/** Builds the key ring and the issuer from the control-plane configuration. */
import { isAbsolute, resolve } from 'node:path';
import { RampartError, type ControlPlaneConfig } from '@rampart/core';
import type { Clock } from './clock.js';
import { FileKeyStore } from './keys/file-key-store.js';
import { KeyRing } from './keys/key-ring.js';
import { masterKeySource } from './keys/master-key.js';
import { OidcIssuer } from './oidc-issuer.js';

/** Where keys live when `data_dir` is not configured, relative to the base directory. */
export const DEFAULT_DATA_DIR = '.rampart';

/** Options of {@link keyRingFromConfig}. */
export interface KeyRingFromConfigOptions {
  config: ControlPlaneConfig;
  /** @default the system clock */
  clock?: Clock;
  /** Relative `data_dir` and `master_key_file` are resolved against it. @default process.cwd() */
  baseDir?: string;
  /** Called when a master key is generated into `data_dir/master.key`. @default none */
  onMasterKeyGenerated?: (file: string) => void;
}

/** Options of {@link issuerFromConfig}. */
export interface IssuerFromConfigOptions extends KeyRingFromConfigOptions {
  /** Used instead of `issuer_url` (the server's own address when none is configured). @default config.issuer_url */
  issuerUrl?: string;
}

/** The data directory the configuration names, absolute. */
export function dataDirOf(config: ControlPlaneConfig, baseDir = process.cwd()): string {
  return resolve(baseDir, config.data_dir ?? DEFAULT_DATA_DIR);
}

/** The signing keys in `data_dir/keys.json`, encrypted under the configured master key. */
export function keyRingFromConfig(options: KeyRingFromConfigOptions): KeyRing {
  const baseDir = options.baseDir ?? process.cwd();
  const dataDir = dataDirOf(options.config, baseDir);
  const file = options.config.master_key_file;
  const masterKey = masterKeySource({
    dataDir,
    ...(options.config.master_key === undefined ? {} : { masterKey: options.config.master_key }),
    ...(file === undefined
      ? {}
      : { masterKeyFile: isAbsolute(file) ? file : resolve(baseDir, file) }),
    ...(options.onMasterKeyGenerated === undefined
      ? {}
      : { onGenerated: options.onMasterKeyGenerated }),
  });
  return new KeyRing({
    store: new FileKeyStore({ dataDir, masterKey }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
}

/** The issuer of the configuration; CONFIG_INVALID when it names no issuer URL. */
export function issuerFromConfig(options: IssuerFromConfigOptions): OidcIssuer {
  const issuerUrl = options.issuerUrl ?? options.config.issuer_url;
  if (issuerUrl === undefined) {
    throw new RampartError('CONFIG_INVALID', 'issuer_url is not configured', {
      hint: 'Set issuer_url in rampart.config.yaml (or RAMPART_ISSUER_URL) to the https:// address AWS fetches the discovery document from.',
    });
  }
  return new OidcIssuer({ issuerUrl, keys: keyRingFromConfig(options) });
}
