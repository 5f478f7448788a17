// KMS for other services, in-process: data keys and decryption authorized as the caller acting
// through that service (`kms:ViaService`), and the AWS managed keys (`aws/secretsmanager`,
// `aws/s3`) created on first use. Errors are KMS's own; callers map them to their service's codes.
import type { ActionContext } from '../../framework/service.js';
import type { EncryptionContext } from './encryption-context.js';
import { cryptoConditions, decryptWith, keyOfCiphertext, newDataKey } from './key-crypto.js';
import { awsManagedKeyPolicy } from './key-policy.js';
import { keyTarget, resolveKey, type KeyScope } from './key-reference.js';
import { addKey } from './key-records.js';
import { aliasArn, kmsState, type KmsKey } from './kms-state.js';

export type { EncryptionContext } from './encryption-context.js';
export type { KeyScope } from './key-reference.js';
export type { KmsKey } from './kms-state.js';

/** How another service uses a key on behalf of its caller. */
export interface ViaServiceUse {
  /** The calling service's signing name (`secretsmanager`, `s3`), for `kms:ViaService`. */
  viaService: string;
  /** Bound to the ciphertext; the same context is needed to decrypt. */
  encryptionContext: EncryptionContext;
}

const SERVICE_LABELS: Record<string, string> = {
  secretsmanager: 'Secrets Manager data',
  s3: 'S3 objects',
};

function viaServiceConditions(
  ctx: ActionContext,
  use: ViaServiceUse,
  key: KmsKey,
): Record<string, string | string[]> {
  return {
    ...cryptoConditions(ctx, use.encryptionContext),
    'kms:ViaService': `${use.viaService}.${key.region}.amazonaws.com`,
  };
}

/**
 * Resolves a `KmsKeyId` as another service receives it (key id, key ARN, alias name or alias
 * ARN; unqualified names in `scope`), without authorizing anything.
 */
export function findKmsKey(ctx: ActionContext, keyId: string, scope: KeyScope): KmsKey {
  return resolveKey(ctx, keyId, scope).key;
}

/**
 * The AWS managed key of a service in an account and region (`alias/aws/<service>`), created
 * with AWS's policy the first time a service needs it, as AWS does.
 */
export function awsManagedKey(ctx: ActionContext, service: string, scope: KeyScope): KmsKey {
  const state = kmsState(ctx.runtime, scope.accountId, scope.region);
  const aliasName = `alias/aws/${service}`;
  const existing = state.aliases[aliasName];
  const found = existing ? state.keys[existing.targetKeyId] : undefined;
  if (found) return found;
  const key = addKey(ctx.runtime, {
    ...scope,
    description: `Default key that protects my ${SERVICE_LABELS[service] ?? `${service} data`} when no other key is defined`,
    policy: awsManagedKeyPolicy(scope.accountId, scope.region, service),
    tags: [],
    keyManager: 'AWS',
  });
  const now = ctx.clock.now().toISOString();
  state.aliases[aliasName] = {
    name: aliasName,
    arn: aliasArn(scope.region, scope.accountId, aliasName),
    targetKeyId: key.keyId,
    creationDate: now,
    lastUpdatedDate: now,
  };
  return key;
}

/**
 * `kms:GenerateDataKey` on `key` for the caller of `ctx` through another service: authorizes
 * (key policy and IAM, across accounts as in AWS), then returns a 256-bit data key in plaintext
 * and encrypted. Throws `CommonError('AccessDenied')` or KMS's `AwsError`s.
 */
export async function generateDataKeyVia(
  ctx: ActionContext,
  key: KmsKey,
  use: ViaServiceUse,
): Promise<{ keyArn: string; plaintext: Buffer; ciphertextBlob: Buffer }> {
  await ctx.authorize('kms:GenerateDataKey', keyTarget(key), viaServiceConditions(ctx, use, key));
  const { plaintext, ciphertext } = newDataKey(key, 32, use.encryptionContext);
  return { keyArn: key.arn, plaintext, ciphertextBlob: ciphertext };
}

/**
 * `kms:Decrypt` of a blob for the caller of `ctx` through another service. The blob names its
 * key; throws `CommonError('AccessDenied')` or KMS's `AwsError`s (`InvalidCiphertextException`
 * when the context differs, `DisabledException`, `NotFoundException`, …).
 */
export async function decryptVia(
  ctx: ActionContext,
  ciphertextBlob: Buffer,
  use: ViaServiceUse,
): Promise<{ keyArn: string; plaintext: Buffer }> {
  const key = keyOfCiphertext(ctx, ciphertextBlob);
  await ctx.authorize('kms:Decrypt', keyTarget(key), viaServiceConditions(ctx, use, key));
  return { keyArn: key.arn, plaintext: decryptWith(key, ciphertextBlob, use.encryptionContext) };
}
