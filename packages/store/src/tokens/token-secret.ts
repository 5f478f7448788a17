/**
 * The text of an API token: `rmp_<id>_<secret>`. The id (16 hex digits) finds the row without
 * searching by secret; 32 random bytes make the secret; the store keeps the SHA-256 of the whole.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'rmp_';
const TOKEN_PATTERN = /^rmp_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A freshly generated token. */
export interface TokenSecret {
  id: string;
  secret: string;
  hash: string;
}

/** SHA-256 of a token's text, hex. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new random token. */
export function generateTokenSecret(): TokenSecret {
  const id = randomBytes(8).toString('hex');
  const secret = `${PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  return { id, secret, hash: hashTokenSecret(secret) };
}

/** The id inside a token's text, or undefined when the text is not shaped like a token. */
export function tokenIdOf(secret: string): string | undefined {
  return TOKEN_PATTERN.exec(secret)?.[1];
}

/** Compares two hex SHA-256 digests in time independent of where they differ. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}
