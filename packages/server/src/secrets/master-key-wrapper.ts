/** Data keys wrapped by the server's master key (`master_key`, `master_key_file`, `data_dir/master.key`). */
import { RampartError } from '@rampart/core';
import { masterKeyId, type MasterKeySource } from '@rampart/identity';
import type { DataKeyWrapper, WrappedDataKey } from './data-key-wrapper.js';
import { newDataKey, open, seal } from './envelope-cipher.js';

/** The embedded default: no AWS needed, the master key never leaves the server. */
export class MasterKeyWrapper implements DataKeyWrapper {
  readonly storage = 'local' as const;
  readonly #source: MasterKeySource;

  constructor(source: MasterKeySource) {
    this.#source = source;
  }

  async generate(context: string): Promise<WrappedDataKey> {
    const master = await this.#source.loadOrCreate();
    const plaintext = newDataKey();
    return {
      plaintext,
      wrapped: seal(plaintext, master, `data-key/${context}`),
      keyId: `master:${masterKeyId(master)}`,
    };
  }

  async unwrap(wrapped: string, keyId: string, context: string): Promise<Buffer> {
    const master = await this.#source.loadOrCreate();
    const current = `master:${masterKeyId(master)}`;
    if (keyId !== current) {
      throw new RampartError(
        'SECRET_UNAVAILABLE',
        `secret ${context} was encrypted under master key ${keyId}, and this server has ${current} (${this.#source.description})`,
        {
          source: 'system',
          hint: 'Start the server with the master key the secret was set with, or set the secret again.',
        },
      );
    }
    return open(wrapped, master, `data-key/${context}`);
  }
}
