// Secret values at rest: envelope encryption with a data key from KMS, requested — like AWS —
// as the caller through Secrets Manager, so the caller needs the key's permissions.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AwsError, CommonError } from '../../framework/aws-error.js';
import type { ActionContext } from '../../framework/service.js';
import {
  awsManagedKey,
  decryptVia,
  findKmsKey,
  generateDataKeyVia,
  type KmsKey,
} from '../kms/kms-envelope.js';
import { SECRETS_SERVICE, type SecretRecord, type SecretVersion } from './secret-state.js';

/** A secret value: `SecretString` or `SecretBinary`. */
export type SecretValue = { kind: 'string'; text: string } | { kind: 'binary'; bytes: Buffer };

const DEFAULT_KEY_ALIAS = 'alias/aws/secretsmanager';

function valueBytes(value: SecretValue): Buffer {
  return value.kind === 'string' ? Buffer.from(value.text, 'utf8') : value.bytes;
}

/** A digest binding a version id to its value, to recognise retried requests. */
export function valueDigest(versionId: string, value: SecretValue): string {
  return createHash('sha256')
    .update(`${versionId}\0${value.kind}\0`)
    .update(valueBytes(value))
    .digest('base64');
}

function isDefaultKeyName(kmsKeyId: string | undefined): boolean {
  return (
    kmsKeyId === undefined ||
    kmsKeyId === DEFAULT_KEY_ALIAS ||
    kmsKeyId.endsWith(`:${DEFAULT_KEY_ALIAS}`)
  );
}

/** Turns a KMS failure into what Secrets Manager answers. */
function kmsFailure(
  ctx: ActionContext,
  error: unknown,
  direction: 'encrypt' | 'decrypt',
  defaultKey: boolean,
  secret: SecretRecord,
): unknown {
  if (error instanceof CommonError && error.kind === 'AccessDenied') {
    return new AwsError(
      'AccessDeniedException',
      defaultKey && ctx.caller.accountId !== secret.accountId
        ? "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key."
        : 'Access to KMS is not allowed',
    );
  }
  if (error instanceof AwsError) {
    return direction === 'encrypt'
      ? new AwsError(
          'EncryptionFailure',
          `Secrets Manager can't encrypt the protected secret text using the provided KMS key: ${error.message}`,
        )
      : new AwsError(
          'DecryptionFailure',
          `Secrets Manager can't decrypt the protected secret text using the provided KMS key: ${error.message}`,
        );
  }
  return error;
}

/** The key that encrypts new versions of a secret (the AWS managed key created on first use). */
function secretKey(ctx: ActionContext, secret: SecretRecord): { key: KmsKey; defaultKey: boolean } {
  const scope = { accountId: secret.accountId, region: secret.region };
  if (isDefaultKeyName(secret.kmsKeyId)) {
    return { key: awsManagedKey(ctx, SECRETS_SERVICE, scope), defaultKey: true };
  }
  return { key: findKmsKey(ctx, secret.kmsKeyId ?? DEFAULT_KEY_ALIAS, scope), defaultKey: false };
}

const encryptionContext = (secret: SecretRecord, versionId: string): Record<string, string> => ({
  SecretARN: secret.arn,
  SecretVersionId: versionId,
});

/** Encrypts a value as a new version (no stages yet), asking KMS for a data key as the caller. */
export async function sealVersion(
  ctx: ActionContext,
  secret: SecretRecord,
  versionId: string,
  value: SecretValue,
): Promise<SecretVersion> {
  let defaultKey = isDefaultKeyName(secret.kmsKeyId);
  let dataKey: { keyArn: string; plaintext: Buffer; ciphertextBlob: Buffer };
  try {
    const chosen = secretKey(ctx, secret);
    defaultKey = chosen.defaultKey;
    dataKey = await generateDataKeyVia(ctx, chosen.key, {
      viaService: SECRETS_SERVICE,
      encryptionContext: encryptionContext(secret, versionId),
    });
  } catch (error: unknown) {
    throw kmsFailure(ctx, error, 'encrypt', defaultKey, secret);
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey.plaintext, iv);
  cipher.setAAD(Buffer.from(versionId, 'utf8'));
  const data = Buffer.concat([cipher.update(valueBytes(value)), cipher.final()]);
  return {
    versionId,
    stages: [],
    createdDate: ctx.clock.now().toISOString(),
    keyArn: dataKey.keyArn,
    defaultKey,
    encryptedDataKey: dataKey.ciphertextBlob.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
    binary: value.kind === 'binary',
    digest: valueDigest(versionId, value),
  };
}

/** Decrypts a version, asking KMS to decrypt its data key as the caller. */
export async function openVersion(
  ctx: ActionContext,
  secret: SecretRecord,
  version: SecretVersion,
): Promise<SecretValue> {
  let dataKey: Buffer;
  try {
    ({ plaintext: dataKey } = await decryptVia(
      ctx,
      Buffer.from(version.encryptedDataKey, 'base64'),
      {
        viaService: SECRETS_SERVICE,
        encryptionContext: encryptionContext(secret, version.versionId),
      },
    ));
  } catch (error: unknown) {
    throw kmsFailure(ctx, error, 'decrypt', version.defaultKey, secret);
  }
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(version.iv, 'base64'));
  decipher.setAAD(Buffer.from(version.versionId, 'utf8'));
  decipher.setAuthTag(Buffer.from(version.tag, 'base64'));
  const bytes = Buffer.concat([
    decipher.update(Buffer.from(version.data, 'base64')),
    decipher.final(),
  ]);
  return version.binary
    ? { kind: 'binary', bytes }
    : { kind: 'string', text: bytes.toString('utf8') };
}
