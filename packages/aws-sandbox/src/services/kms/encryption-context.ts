// Encryption contexts: parsed from requests, bound into ciphertexts, offered as condition keys.
import { CommonError } from '../../framework/aws-error.js';
import type { Input } from '../../framework/input.js';

/** Non-secret key-value pairs bound to a ciphertext as additional authenticated data. */
export type EncryptionContext = Record<string, string>;

/** Reads an encryption-context map parameter (absent → empty). */
export function readEncryptionContext(input: Input, name: string): EncryptionContext {
  const map = input.obj(name);
  const context: EncryptionContext = {};
  if (!map) return context;
  for (const [key, value] of Object.entries(map.raw)) {
    if (typeof value !== 'string') {
      throw new CommonError('InvalidParameter', `${name} values must be strings`);
    }
    context[key] = value;
  }
  return context;
}

/** The context in a canonical byte form (sorted keys), so equal maps authenticate equally. */
export function canonicalContext(context: EncryptionContext): Buffer {
  const entries = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

/** `kms:EncryptionContext:<key>` and `kms:EncryptionContextKeys` for policy conditions. */
export function encryptionContextConditions(
  context: EncryptionContext,
): Record<string, string | string[]> {
  const conditions: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(context)) {
    conditions[`kms:EncryptionContext:${key}`] = value;
  }
  const keys = Object.keys(context);
  if (keys.length > 0) conditions['kms:EncryptionContextKeys'] = keys;
  return conditions;
}
