// Encryption with a resolved key, shared by the KMS API and by services that use KMS in-process.
import { randomBytes } from 'node:crypto';
import type { ActionContext } from '../../framework/service.js';
import { ciphertextKeyArn, openCiphertext, sealCiphertext } from './ciphertext.js';
import { encryptionContextConditions, type EncryptionContext } from './encryption-context.js';
import { parseKeyReference, resolveKey } from './key-reference.js';
import { assertUsable } from './key-records.js';
import { invalidCiphertext } from './kms-errors.js';
import type { KmsKey } from './kms-state.js';

/** The largest Encrypt plaintext. */
export const MAX_PLAINTEXT_BYTES = 4096;

/** Encrypts under a usable key (`DisabledException`, `KMSInvalidStateException` otherwise). */
export function encryptUnder(key: KmsKey, plaintext: Buffer, context: EncryptionContext): Buffer {
  assertUsable(key);
  return sealCiphertext(Buffer.from(key.material, 'base64'), key.arn, plaintext, context);
}

/** Decrypts with a usable key; `InvalidCiphertextException` if altered or the context differs. */
export function decryptWith(key: KmsKey, blob: Buffer, context: EncryptionContext): Buffer {
  assertUsable(key);
  return openCiphertext(Buffer.from(key.material, 'base64'), blob, context);
}

/** A fresh data key of `bytes` random bytes and its encryption under `key`. */
export function newDataKey(
  key: KmsKey,
  bytes: number,
  context: EncryptionContext,
): { plaintext: Buffer; ciphertext: Buffer } {
  const plaintext = randomBytes(bytes);
  return { plaintext, ciphertext: encryptUnder(key, plaintext, context) };
}

/** The key a ciphertext names (in any account); `InvalidCiphertextException` if none is named. */
export function keyOfCiphertext(ctx: ActionContext, blob: Buffer): KmsKey {
  const arn = ciphertextKeyArn(blob);
  let isKeyArn = false;
  try {
    isKeyArn =
      parseKeyReference(arn, { accountId: ctx.accountId, region: ctx.region }).kind === 'key' &&
      arn.startsWith('arn:');
  } catch {
    isKeyArn = false;
  }
  if (!isKeyArn) throw invalidCiphertext();
  return resolveKey(ctx, arn).key;
}

/** Condition keys of cryptographic operations. */
export function cryptoConditions(
  ctx: ActionContext,
  context: EncryptionContext,
): Record<string, string | string[]> {
  return {
    ...encryptionContextConditions(context),
    'kms:CallerAccount': ctx.caller.accountId,
    'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT',
  };
}
