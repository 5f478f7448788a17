// Random identifiers in AWS's formats (access keys, unique ids, request ids).
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += BASE32[(bytes[i % bytes.length] ?? 0) % 32];
  return out;
}

/** A unique id such as `AROA` + 17 characters (roles), `AIDA…` (users), `ANPA…` (policies). */
export function uniqueId(prefix: string): string {
  return prefix + base32(randomBytes(17), 17);
}

/** A new access key pair; `AKIA` for users, `ASIA` for sessions. */
export function newAccessKey(prefix: 'AKIA' | 'ASIA'): {
  accessKeyId: string;
  secretAccessKey: string;
} {
  return {
    accessKeyId: prefix + base32(randomBytes(16), 16),
    secretAccessKey: randomBytes(30).toString('base64'),
  };
}

/**
 * Stable keys derived from an account id, so the default admin credentials stay the same across
 * restarts (handy in the demo: exported shell variables keep working).
 */
export function derivedAccessKey(seed: string): { accessKeyId: string; secretAccessKey: string } {
  const digest = createHash('sha256').update(`rampart-aws-sandbox:${seed}`).digest();
  return {
    accessKeyId: 'AKIA' + base32(digest, 16),
    secretAccessKey: createHash('sha256').update(digest).digest('base64').slice(0, 40),
  };
}

/** A session token (opaque to clients). */
export function newSessionToken(): string {
  return 'FwoGZXIvYXdzE' + randomBytes(96).toString('base64');
}

/** A request id. */
export function newRequestId(): string {
  return randomUUID();
}
