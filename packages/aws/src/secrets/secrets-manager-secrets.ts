/**
 * User-managed secrets: kept by the user in Secrets Manager in the CI/CD account under `rampart/`;
 * Rampart stores the ARN and reads the current value just before a step uses it.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { RampartError } from '@rampart/core';
import type { AwsClientFactory, AwsCredentialsSource } from '../sdk/aws-client-factory.js';

/** Options of {@link SecretsManagerSecrets}. */
export interface SecretsManagerSecretsOptions {
  sdk: AwsClientFactory;
  /** The CI/CD account's region. */
  region: string;
  /** @default the factory's (the server's own AWS credentials) */
  credentials?: AwsCredentialsSource;
}

export class SecretsManagerSecrets {
  readonly #options: SecretsManagerSecretsOptions;

  constructor(options: SecretsManagerSecretsOptions) {
    this.#options = options;
  }

  /** The ARN of the secret `name`; `SECRET_NOT_FOUND` when it does not exist (or is being deleted). */
  async locate(name: string): Promise<string> {
    // Loaded on first use, not with the module: see AwsClientFactory.
    const { DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
    const described = await this.#call(name, (sm) =>
      sm.send(new DescribeSecretCommand({ SecretId: name })),
    );
    if (described.ARN === undefined || described.DeletedDate !== undefined) {
      throw notFound(name, this.#options.region);
    }
    return described.ARN;
  }

  /** The current (`AWSCURRENT`) value of the secret `arn`, as text. */
  async read(arn: string): Promise<string> {
    const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const result = await this.#call(arn, (sm) =>
      sm.send(new GetSecretValueCommand({ SecretId: arn })),
    );
    if (result.SecretString !== undefined) return result.SecretString;
    if (result.SecretBinary !== undefined) return Buffer.from(result.SecretBinary).toString('utf8');
    throw new RampartError('SECRET_UNAVAILABLE', `Secrets Manager secret ${arn} has no value`, {
      source: 'system',
      hint: 'Put a value into the secret (aws secretsmanager put-secret-value).',
    });
  }

  async #call<T>(id: string, send: (sm: SecretsManagerClient) => Promise<T>): Promise<T> {
    const sm = this.#options.sdk.secretsManager({
      region: this.#options.region,
      ...(this.#options.credentials === undefined
        ? {}
        : { credentials: this.#options.credentials }),
    });
    try {
      return await send(sm);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      if (name === 'ResourceNotFoundException') throw notFound(id, this.#options.region);
      throw new RampartError(
        'SECRET_UNAVAILABLE',
        `Secrets Manager could not read ${id} in ${this.#options.region} (${name})`,
        {
          source: 'system',
          retryable: name === 'ThrottlingException' || name === 'InternalServiceError',
          hint: 'Check that the secret exists and that the server may read it (secretsmanager:GetSecretValue, and kms:Decrypt on its key).',
          cause: error,
        },
      );
    } finally {
      sm.destroy();
    }
  }
}

function notFound(id: string, region: string): RampartError {
  return new RampartError(
    'SECRET_NOT_FOUND',
    `Secrets Manager has no secret ${id} in the CI/CD account (${region})`,
    {
      hint: `Create it first: aws secretsmanager create-secret --name ${id} --secret-string file://value.txt`,
    },
  );
}
