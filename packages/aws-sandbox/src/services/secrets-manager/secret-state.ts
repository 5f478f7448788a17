// Secrets Manager's plain-data state per account and region, and the accessor that also removes
// secrets whose recovery window has passed on the sandbox clock.
import type { SandboxRuntime } from '../../framework/runtime.js';

/** A `{ Key, Value }` tag. */
export interface SecretTag {
  Key: string;
  Value: string;
}

/** One version of a secret's value, encrypted at rest (envelope encryption under a KMS key). */
export interface SecretVersion {
  versionId: string;
  /** Staging labels (`AWSCURRENT`, `AWSPREVIOUS`, custom); none means deprecated. */
  stages: string[];
  createdDate: string;
  lastAccessedDate?: string;
  /** The ARN of the KMS key that encrypted the data key. */
  keyArn: string;
  /** Whether that key is the account's `aws/secretsmanager` key. */
  defaultKey: boolean;
  /** The KMS-encrypted data key, base64. */
  encryptedDataKey: string;
  /** AES-256-GCM of the value under the data key: IV, tag and ciphertext, base64. */
  iv: string;
  tag: string;
  data: string;
  /** Whether the value is `SecretBinary` (else `SecretString`). */
  binary: boolean;
  /** SHA-256 of the version id and value, so retried requests compare without decrypting. */
  digest: string;
}

/** One secret. */
export interface SecretRecord {
  name: string;
  /** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>` */
  arn: string;
  accountId: string;
  region: string;
  description?: string;
  /** The KMS key as the caller named it; absent means `aws/secretsmanager`. */
  kmsKeyId?: string;
  createdDate: string;
  lastChangedDate: string;
  lastAccessedDate?: string;
  /** When DeleteSecret was called, while the secret is scheduled for deletion. */
  deletedDate?: string;
  /** When the recovery window ends and the secret is removed. */
  deletionDate?: string;
  tags: SecretTag[];
  /** The resource policy, JSON text. */
  policy?: string;
  /** Versions by id. */
  versions: Record<string, SecretVersion>;
  /** Version ids, oldest first. */
  versionOrder: string[];
}

/** Secrets Manager data of one account and region. */
export interface SecretsState {
  /** Secrets by name, in creation order. */
  secrets: Record<string, SecretRecord>;
}

/** The state key of Secrets Manager (its SigV4 signing name). */
export const SECRETS_SERVICE = 'secretsmanager';

const emptyState = (): SecretsState => ({ secrets: {} });

/** Secrets Manager's state in one account and region, after removing expired deletions. */
export function secretsState(
  runtime: SandboxRuntime,
  accountId: string,
  region: string,
): SecretsState {
  const state = runtime.serviceState(SECRETS_SERVICE, accountId, region, emptyState);
  const now = runtime.clock.now().getTime();
  for (const secret of Object.values(state.secrets)) {
    if (secret.deletionDate !== undefined && new Date(secret.deletionDate).getTime() <= now) {
      delete state.secrets[secret.name];
    }
  }
  return state;
}
