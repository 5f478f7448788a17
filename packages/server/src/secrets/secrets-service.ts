/**
 * Secrets as the API and the engine use them: set (encrypted with a fresh data key, or recorded
 * as a Secrets Manager reference), listed without values, deleted, and read just before a step.
 */
import { RampartError } from '@rampart/core';
import type { SecretInfo, SetSecretRequest, SetSecretResponse } from '@rampart/protocol';
import { SECRET_VALUE_MAX_BYTES } from '@rampart/protocol';
import type { SecretMaterial, SecretRef, SecretStore, StoredSecret } from '@rampart/store';
import type { DataKeyWrapper } from './data-key-wrapper.js';
import { open, seal } from './envelope-cipher.js';
import { userSecretName, type UserSecretSource } from './user-secret-source.js';

/** Options of {@link SecretsService}. */
export interface SecretsServiceOptions {
  store: SecretStore;
  /** Wraps the data keys of Rampart-managed secrets. */
  wrapper: DataKeyWrapper;
  /** Secrets Manager in the CI/CD account. @default none: user-managed secrets are refused */
  userSecrets?: UserSecretSource;
}

/** `organization secret "X"` / `stage "prod" secret "X"`: how messages name a secret. */
export function describeSecret(ref: SecretRef): string {
  return ref.scope === 'organization'
    ? `organization secret "${ref.name}"`
    : `stage "${ref.stage ?? ''}" secret "${ref.name}"`;
}

/** The identity a secret's ciphertext and data key are bound to. */
function contextOf(ref: SecretRef): string {
  return ref.scope === 'organization'
    ? `organization:${ref.name}`
    : `stage:${ref.stage}:${ref.name}`;
}

function refOf(request: { name: string; stage?: string | undefined }): SecretRef {
  return request.stage === undefined
    ? { name: request.name, scope: 'organization' }
    : { name: request.name, scope: 'stage', stage: request.stage };
}

function notFound(ref: SecretRef): RampartError {
  return new RampartError('SECRET_NOT_FOUND', `${describeSecret(ref)} is not set`, {
    hint:
      ref.scope === 'organization'
        ? `Set it: rampart secrets set ${ref.name}`
        : `Set it: rampart secrets set ${ref.name} --stage ${ref.stage ?? ''}`,
  });
}

export class SecretsService {
  readonly #options: SecretsServiceOptions;

  constructor(options: SecretsServiceOptions) {
    this.#options = options;
  }

  /** Creates or replaces a secret; `actor` is recorded as its author. */
  async set(request: SetSecretRequest, actor: string): Promise<SetSecretResponse> {
    const ref = refOf(request);
    const material =
      request.managed === 'user'
        ? await this.#reference(ref)
        : await this.#encrypt(ref, request.value ?? '');
    const secret = await this.#options.store.put({
      ...ref,
      material,
      actor,
      ...(request.description === undefined ? {} : { description: request.description }),
    });
    return { secret, created: secret.version === 1 };
  }

  list(): Promise<SecretInfo[]> {
    return this.#options.store.list();
  }

  /** Deletes a secret; `SECRET_NOT_FOUND` when there is none. */
  async delete(request: { name: string; stage?: string | undefined }): Promise<void> {
    const ref = refOf(request);
    if (!(await this.#options.store.delete(ref))) throw notFound(ref);
  }

  /** The refs of `refs` that are not set. */
  async missing(refs: readonly SecretRef[]): Promise<SecretRef[]> {
    if (refs.length === 0) return [];
    const known = new Set((await this.#options.store.list()).map((s) => contextOf(s)));
    return refs.filter((ref) => !known.has(contextOf(ref)));
  }

  /**
   * The value of a secret, decrypted (or read from Secrets Manager) for one step. Throws
   * `SECRET_NOT_FOUND` or `SECRET_UNAVAILABLE`, naming the secret and its scope.
   */
  async value(ref: SecretRef): Promise<string> {
    const secret = await this.#options.store.get(ref);
    if (secret === undefined) throw notFound(ref);
    try {
      return await this.#read(secret);
    } catch (error) {
      if (error instanceof RampartError) throw error;
      throw new RampartError('SECRET_UNAVAILABLE', `${describeSecret(ref)} cannot be decrypted`, {
        source: 'system',
        hint: 'The key that wrapped it is not the one this server has: restore that key, or set the secret again.',
        cause: error,
      });
    }
  }

  async #read(secret: StoredSecret): Promise<string> {
    const { material } = secret;
    if (material.storage === 'secrets-manager') {
      const source = this.#userSecrets();
      return source.read(material.arn);
    }
    if (material.storage !== this.#options.wrapper.storage) {
      throw new RampartError(
        'SECRET_UNAVAILABLE',
        `${describeSecret(secret)} was encrypted with a ${material.storage === 'kms' ? 'KMS' : 'master'} key, and this server wraps keys with its ${this.#options.wrapper.storage === 'kms' ? 'KMS' : 'master'} key`,
        {
          source: 'system',
          hint: 'Set secrets.encryption back to what it was when the secret was set, or set the secret again.',
        },
      );
    }
    const context = contextOf(secret);
    const key = await this.#options.wrapper.unwrap(material.wrappedKey, material.keyId, context);
    try {
      return open(material.ciphertext, key, context).toString('utf8');
    } finally {
      key.fill(0);
    }
  }

  async #encrypt(ref: SecretRef, value: string): Promise<SecretMaterial> {
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length === 0 || bytes.length > SECRET_VALUE_MAX_BYTES) {
      throw new RampartError(
        'SECRET_VALUE_INVALID',
        `the value of ${describeSecret(ref)} is ${bytes.length === 0 ? 'empty' : `${bytes.length} bytes, more than ${SECRET_VALUE_MAX_BYTES}`}`,
        { hint: 'Pipe 1 byte to 64 KiB of text on stdin, or pass --from-file FILE.' },
      );
    }
    const context = contextOf(ref);
    const key = await this.#options.wrapper.generate(context);
    try {
      return {
        storage: this.#options.wrapper.storage,
        ciphertext: seal(bytes, key.plaintext, context),
        wrappedKey: key.wrapped,
        keyId: key.keyId,
      };
    } finally {
      key.plaintext.fill(0);
      bytes.fill(0);
    }
  }

  async #reference(ref: SecretRef): Promise<SecretMaterial> {
    const arn = await this.#userSecrets().locate(userSecretName(ref));
    return { storage: 'secrets-manager', arn };
  }

  #userSecrets(): UserSecretSource {
    const source = this.#options.userSecrets;
    if (source === undefined) {
      throw new RampartError(
        'SECRET_UNAVAILABLE',
        'user-managed secrets need the CI/CD account: this server has no organization configured',
        {
          source: 'system',
          hint: 'Set organization.cicd_account_id and organization.cicd_account_region in rampart.config.yaml.',
        },
      );
    }
    return source;
  }
}
