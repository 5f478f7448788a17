/**
 * Secret data keys from the organization's KMS key in the CI/CD account (`alias/rampart-<org>`):
 * `GenerateDataKey` for each new secret version, `Decrypt` when a step needs the value. The
 * secret's identity is the encryption context, so a wrapped key only opens for its own secret.
 */
import { RampartError } from '@rampart/core';
import type { AwsClientFactory, AwsCredentialsSource } from '../sdk/aws-client-factory.js';

/** Options of {@link KmsDataKeyWrapper}. */
export interface KmsDataKeyWrapperOptions {
  sdk: AwsClientFactory;
  /** The CI/CD account's region. */
  region: string;
  /** The key: `alias/rampart-<org>` (see `organizationKeyAlias`), a key id or an ARN. */
  keyId: string;
  /** @default the factory's (the server's own AWS credentials) */
  credentials?: AwsCredentialsSource;
}

/** A fresh data key (in clear for this one use) and its KMS ciphertext. */
export interface KmsDataKey {
  plaintext: Buffer;
  wrapped: string;
  keyId: string;
}

export class KmsDataKeyWrapper {
  readonly storage = 'kms' as const;
  readonly #options: KmsDataKeyWrapperOptions;

  constructor(options: KmsDataKeyWrapperOptions) {
    this.#options = options;
  }

  async generate(context: string): Promise<KmsDataKey> {
    // Loaded on first use, not with the module: see AwsClientFactory.
    const { GenerateDataKeyCommand } = await import('@aws-sdk/client-kms');
    const result = await this.#call('generate a data key', (kms) =>
      kms.send(
        new GenerateDataKeyCommand({
          KeyId: this.#options.keyId,
          KeySpec: 'AES_256',
          EncryptionContext: { 'rampart:secret': context },
        }),
      ),
    );
    if (result.Plaintext === undefined || result.CiphertextBlob === undefined) {
      throw new RampartError('SECRET_UNAVAILABLE', 'KMS returned no data key', {
        source: 'system',
        retryable: true,
      });
    }
    return {
      plaintext: Buffer.from(result.Plaintext),
      wrapped: Buffer.from(result.CiphertextBlob).toString('base64'),
      keyId: result.KeyId ?? this.#options.keyId,
    };
  }

  async unwrap(wrapped: string, keyId: string, context: string): Promise<Buffer> {
    const { DecryptCommand } = await import('@aws-sdk/client-kms');
    const result = await this.#call('decrypt a data key', (kms) =>
      kms.send(
        new DecryptCommand({
          CiphertextBlob: Buffer.from(wrapped, 'base64'),
          KeyId: keyId,
          EncryptionContext: { 'rampart:secret': context },
        }),
      ),
    );
    if (result.Plaintext === undefined) {
      throw new RampartError('SECRET_UNAVAILABLE', 'KMS returned no plaintext', {
        source: 'system',
        retryable: true,
      });
    }
    return Buffer.from(result.Plaintext);
  }

  async #call<T>(what: string, send: (kms: ReturnType<AwsClientFactory['kms']>) => Promise<T>) {
    const kms = this.#options.sdk.kms({
      region: this.#options.region,
      ...(this.#options.credentials === undefined
        ? {}
        : { credentials: this.#options.credentials }),
    });
    try {
      return await send(kms);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      throw new RampartError(
        'SECRET_UNAVAILABLE',
        `KMS key ${this.#options.keyId} in ${this.#options.region} could not ${what} (${name})`,
        {
          source: 'system',
          retryable: name === 'ThrottlingException' || name === 'KMSInternalException',
          hint: 'Check that bootstrap created the organization key and that the server may use it (kms:GenerateDataKey, kms:Decrypt).',
          cause: error,
        },
      );
    } finally {
      kms.destroy();
    }
  }
}
