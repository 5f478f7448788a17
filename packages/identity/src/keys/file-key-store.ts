/** The signing keys in one encrypted file, `<data_dir>/keys.json`, until the database holds them. */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RampartError } from '@rampart/core';
import { writeFileAtomic } from './atomic-file.js';
import { openKeys, sealKeys } from './key-file-envelope.js';
import type { KeyChange, KeyStore } from './key-store.js';
import type { MasterKeySource } from './master-key.js';
import type { StoredSigningKey } from './stored-signing-key.js';

/** The key file's name inside the data directory. */
export const KEY_FILE_NAME = 'keys.json';

/** Options of {@link FileKeyStore}. */
export interface FileKeyStoreOptions {
  /** The data directory (created with mode 0700 on the first write). */
  dataDir: string;
  masterKey: MasterKeySource;
}

interface Snapshot {
  /** Identity of the file version read: inode, size and change time. */
  version: string;
  keys: StoredSigningKey[];
}

/**
 * A {@link KeyStore} on one file, written atomically with mode 0600. Reads are cached until the
 * file changes, so a server notices a rotation made by `rampart oidc rotate` in another process.
 * Updates are serialized within a process; two processes rotating at the same instant may lose
 * one rotation (the database store will not).
 */
export class FileKeyStore implements KeyStore {
  readonly file: string;
  private readonly dataDir: string;
  private readonly masterKey: MasterKeySource;
  private snapshot: Snapshot | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: FileKeyStoreOptions) {
    this.dataDir = options.dataDir;
    this.file = join(options.dataDir, KEY_FILE_NAME);
    this.masterKey = options.masterKey;
  }

  async load(): Promise<StoredSigningKey[]> {
    const version = await this.fileVersion();
    if (version === undefined) return [];
    if (this.snapshot?.version === version) return [...this.snapshot.keys];
    const text = await this.read();
    const key = await this.masterKey.load();
    if (key === undefined) {
      throw new RampartError(
        'SIGNING_KEYS_UNREADABLE',
        `${this.file} exists but its master key ${this.masterKey.description} does not`,
        {
          hint: 'Restore master.key from your backup, or configure master_key / master_key_file. If it is lost, move keys.json away and run `rampart oidc rotate`.',
        },
      );
    }
    const keys = openKeys(text, key, { file: this.file, masterKey: this.masterKey.description });
    this.snapshot = { version, keys };
    return [...keys];
  }

  update(change: KeyChange): Promise<StoredSigningKey[]> {
    const next = this.queue.then(async () => {
      const current = await this.load();
      const updated = [...(await change(current))];
      const key = await this.masterKey.loadOrCreate();
      await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.file, sealKeys(updated, key));
      this.snapshot = undefined;
      return updated;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async fileVersion(): Promise<string | undefined> {
    try {
      const s = await stat(this.file, { bigint: true });
      return `${s.ino}:${s.size}:${s.ctimeNs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.unreadableFile(error);
    }
  }

  private async read(): Promise<string> {
    try {
      return await readFile(this.file, 'utf8');
    } catch (error) {
      throw this.unreadableFile(error);
    }
  }

  private unreadableFile(error: unknown): RampartError {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return new RampartError('FILE_UNREADABLE', `${this.file} cannot be read (${code})`, {
      hint: 'Run Rampart as the user that owns data_dir, or fix the permissions of keys.json.',
      cause: error,
    });
  }
}
