/**
 * The encrypted form of the signing keys (`keys.json`): AES-256-GCM under the master key, with the
 * header authenticated too. A master-key id in the header tells "another master key" apart from
 * "the file was modified", which GCM alone cannot.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { RampartError } from '@rampart/core';
import { z } from 'zod';
import { storedSigningKeySchema, type StoredSigningKey } from './stored-signing-key.js';

const FORMAT = 'rampart-signing-keys';
const VERSION = 1;
const CIPHER = 'aes-256-gcm';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

const envelopeSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  cipher: z.literal(CIPHER),
  masterKeyId: z.string().regex(/^[0-9a-f]{16}$/),
  iv: base64,
  tag: base64,
  ciphertext: base64,
});

type Envelope = z.infer<typeof envelopeSchema>;

const contentSchema = z.strictObject({ keys: z.array(storedSigningKeySchema) });

/** A short, non-secret fingerprint of a master key, so a mismatch can be named. */
export function masterKeyId(masterKey: Buffer): string {
  return createHmac('sha256', masterKey).update('rampart master key id').digest('hex').slice(0, 16);
}

function additionalData(envelope: Pick<Envelope, 'masterKeyId'>): Buffer {
  return Buffer.from(`${FORMAT}/${VERSION}/${CIPHER}/${envelope.masterKeyId}`);
}

/** The file text holding `keys` encrypted under `masterKey`. */
export function sealKeys(keys: readonly StoredSigningKey[], masterKey: Buffer): string {
  const id = masterKeyId(masterKey);
  const iv = randomBytes(12);
  const cipher = createCipheriv(CIPHER, masterKey, iv);
  cipher.setAAD(additionalData({ masterKeyId: id }));
  const plaintext = Buffer.from(JSON.stringify({ keys }));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const envelope: Envelope = {
    format: FORMAT,
    version: VERSION,
    cipher: CIPHER,
    masterKeyId: id,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

/**
 * The keys in a file's text. Throws SIGNING_KEYS_UNREADABLE when the text is not a key file,
 * was written under another master key, or fails authentication (modified or truncated).
 */
export function openKeys(
  text: string,
  masterKey: Buffer,
  where: { file: string; masterKey: string },
): StoredSigningKey[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw unreadable(`${where.file} is not a Rampart key file (not JSON)`);
  }
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) {
    const version = (raw as { version?: unknown } | null)?.version;
    throw unreadable(
      typeof version === 'number' && version > VERSION
        ? `${where.file} was written by a newer Rampart (key file version ${version})`
        : `${where.file} is not a Rampart key file (header ${parsed.error.issues[0]?.path.join('.') || ''} malformed)`,
    );
  }
  const envelope = parsed.data;
  const id = masterKeyId(masterKey);
  if (envelope.masterKeyId !== id) {
    throw unreadable(
      `${where.file} was encrypted with another master key (id ${envelope.masterKeyId}); the configured one (${where.masterKey}) has id ${id}`,
    );
  }
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv(CIPHER, masterKey, Buffer.from(envelope.iv, 'base64'));
    decipher.setAAD(additionalData(envelope));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    plaintext = Buffer.concat([
      decipher.update(Buffer.from(envelope.ciphertext, 'base64')),
      decipher.final(),
    ]);
  } catch {
    throw unreadable(`${where.file} failed its integrity check: it was modified or is corrupt`);
  }
  const content = contentSchema.safeParse(JSON.parse(plaintext.toString('utf8')));
  if (!content.success) throw unreadable(`${where.file} holds malformed keys`);
  const keys = content.data.keys;
  if (keys.filter((k) => k.retiredAt === undefined).length > 1) {
    throw unreadable(`${where.file} holds more than one active key`);
  }
  return keys;
}

function unreadable(message: string): RampartError {
  return new RampartError('SIGNING_KEYS_UNREADABLE', message, {
    hint: 'Configure the master key the keys were written with (master_key, master_key_file or data_dir/master.key). If it is lost, move keys.json away and run `rampart oidc rotate`, then `rampart oidc publish` if you publish the documents.',
  });
}
