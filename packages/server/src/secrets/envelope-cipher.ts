/**
 * AES-256-GCM under a data key: the sealed form is base64 of nonce (12 bytes), tag (16 bytes) and
 * ciphertext. The secret's identity is authenticated (additional data), so a ciphertext copied to
 * another secret's row does not open there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A data key: 32 random bytes, one per secret version. */
export function newDataKey(): Buffer {
  return randomBytes(32);
}

/** Seals `plaintext` under `key`, binding it to `context`. */
export function seal(plaintext: Buffer, key: Buffer, context: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
}

/** Opens what {@link seal} made; throws when the key, the context or a byte differs. */
export function open(sealed: string, key: Buffer, context: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error('the sealed value is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(bytes.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
  return Buffer.concat([
    decipher.update(bytes.subarray(NONCE_BYTES + TAG_BYTES)),
    decipher.final(),
  ]);
}
