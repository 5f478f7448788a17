// The sandbox's ciphertext blob: AES-256-GCM under a key's material, naming the key so Decrypt
// finds it without a KeyId, with the header and the encryption context as authenticated data.
//
// Layout: [0x01][u16 BE length n][key ARN, n bytes utf8][IV, 12][tag, 16][ciphertext]
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { canonicalContext, type EncryptionContext } from './encryption-context.js';
import { invalidCiphertext } from './kms-errors.js';

const FORMAT_VERSION = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;

function header(keyArn: string): Buffer {
  const arn = Buffer.from(keyArn, 'utf8');
  const head = Buffer.alloc(3);
  head.writeUInt8(FORMAT_VERSION, 0);
  head.writeUInt16BE(arn.length, 1);
  return Buffer.concat([head, arn]);
}

function aad(head: Buffer, context: EncryptionContext): Buffer {
  return Buffer.concat([head, canonicalContext(context)]);
}

/** Encrypts `plaintext` under a key's 256-bit material. */
export function sealCiphertext(
  material: Buffer,
  keyArn: string,
  plaintext: Buffer,
  context: EncryptionContext,
): Buffer {
  const head = header(keyArn);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(aad(head, context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, iv, cipher.getAuthTag(), body]);
}

function split(blob: Buffer): {
  head: Buffer;
  keyArn: string;
  iv: Buffer;
  tag: Buffer;
  body: Buffer;
} {
  if (blob.length < 3 || blob.readUInt8(0) !== FORMAT_VERSION) throw invalidCiphertext();
  const arnLength = blob.readUInt16BE(1);
  const headLength = 3 + arnLength;
  if (blob.length < headLength + IV_BYTES + TAG_BYTES) throw invalidCiphertext();
  const keyArn = blob.subarray(3, headLength).toString('utf8');
  if (!keyArn.startsWith('arn:aws:kms:')) throw invalidCiphertext();
  return {
    head: blob.subarray(0, headLength),
    keyArn,
    iv: blob.subarray(headLength, headLength + IV_BYTES),
    tag: blob.subarray(headLength + IV_BYTES, headLength + IV_BYTES + TAG_BYTES),
    body: blob.subarray(headLength + IV_BYTES + TAG_BYTES),
  };
}

/** The ARN of the key a blob was encrypted under; `InvalidCiphertextException` if not a blob. */
export function ciphertextKeyArn(blob: Buffer): string {
  return split(blob).keyArn;
}

/** Decrypts a blob; `InvalidCiphertextException` if it was altered or the context differs. */
export function openCiphertext(material: Buffer, blob: Buffer, context: EncryptionContext): Buffer {
  const { head, iv, tag, body } = split(blob);
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, iv);
    decipher.setAAD(aad(head, context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw invalidCiphertext();
  }
}
