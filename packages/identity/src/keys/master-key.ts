/**
 * The master key that encrypts the signing keys at rest: from `master_key`, from
 * `master_key_file`, or else generated once into `<data_dir>/master.key` (mode 0600).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RampartError } from '@rampart/core';
import { createFileExclusive } from './atomic-file.js';

/** AES-256 key length in bytes. */
export const MASTER_KEY_BYTES = 32;

/** The generated master key's file name inside the data directory. */
export const MASTER_KEY_FILE_NAME = 'master.key';

/** Where the master key comes from. */
export interface MasterKeySource {
  /** Names the source in messages: `master_key`, `master_key_file /etc/…`, or the generated file. */
  readonly description: string;
  /** The key; undefined only for the generated default before it was generated. */
  load(): Promise<Buffer | undefined>;
  /** The key, generating the default one first when there is none yet. */
  loadOrCreate(): Promise<Buffer>;
}

/** Options of {@link masterKeySource}; paths must be absolute. */
export interface MasterKeySourceOptions {
  /** The key in base64 (`master_key`). @default absent */
  masterKey?: string;
  /** A file holding the key in base64 (`master_key_file`). @default absent */
  masterKeyFile?: string;
  /** The data directory, home of the generated `master.key` when neither is given. */
  dataDir: string;
  /** Called once when a key is generated, with its file, so the caller can tell the user. @default none */
  onGenerated?: (file: string) => void;
}

/** Decodes a base64 master key; CONFIG_INVALID unless it is exactly 32 bytes. */
export function decodeMasterKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== MASTER_KEY_BYTES || key.toString('base64') !== trimmed) {
    throw new RampartError('CONFIG_INVALID', `${where} must hold 32 bytes in base64`, {
      hint: 'Create one with `openssl rand -base64 32`.',
    });
  }
  return key;
}

/** The master key source for the given configuration. */
export function masterKeySource(options: MasterKeySourceOptions): MasterKeySource {
  if (options.masterKey !== undefined) {
    const key = decodeMasterKey(options.masterKey, 'master_key');
    return {
      description: 'master_key',
      load: () => Promise.resolve(key),
      loadOrCreate: () => Promise.resolve(key),
    };
  }
  if (options.masterKeyFile !== undefined) {
    const file = options.masterKeyFile;
    const description = `master_key_file ${file}`;
    let cached: Promise<Buffer> | undefined;
    const load = (): Promise<Buffer> => (cached ??= readKeyFile(file, description, true));
    return { description, load, loadOrCreate: load };
  }
  return generatedMasterKey(join(options.dataDir, MASTER_KEY_FILE_NAME), options);
}

function generatedMasterKey(file: string, options: MasterKeySourceOptions): MasterKeySource {
  let key: Buffer | undefined;
  const load = async (): Promise<Buffer | undefined> => {
    key ??= await readKeyFile(file, file, false);
    return key;
  };
  return {
    description: file,
    load,
    async loadOrCreate() {
      const existing = await load();
      if (existing !== undefined) return existing;
      await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
      const fresh = randomBytes(MASTER_KEY_BYTES);
      // Exclusive creation: when two processes start at once, both end up with the winner's key.
      if (await createFileExclusive(file, `${fresh.toString('base64')}\n`)) {
        key = fresh;
        options.onGenerated?.(file);
        return fresh;
      }
      const winner = await load();
      if (winner === undefined) throw new Error(`${file} vanished while it was being created`);
      return winner;
    },
  };
}

async function readKeyFile(file: string, where: string, required: true): Promise<Buffer>;
async function readKeyFile(
  file: string,
  where: string,
  required: false,
): Promise<Buffer | undefined>;
async function readKeyFile(
  file: string,
  where: string,
  required: boolean,
): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return undefined;
    throw new RampartError(
      'CONFIG_INVALID',
      code === 'ENOENT'
        ? `${where} does not exist`
        : `${where} cannot be read (${code ?? String(error)})`,
      {
        hint: 'Point master_key_file at a readable file holding the key in base64, or fix its permissions.',
      },
    );
  }
  return decodeMasterKey(text, where);
}
