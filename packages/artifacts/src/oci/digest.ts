/** Content digests (`sha256:<hex>`) of the OCI image specification: parsing and computing. */
import { createHash } from 'node:crypto';

/** The digest algorithms Rampart can verify, with the length of their hex encoding. */
const ALGORITHMS = { sha256: 64, sha512: 128 } as const;

export type DigestAlgorithm = keyof typeof ALGORITHMS;

const DIGEST = /^(sha256|sha512):([a-f0-9]+)$/;

/** Whether `value` is a digest Rampart can verify (`sha256:` or `sha512:` and lower-case hex). */
export function isDigest(value: string): boolean {
  const match = DIGEST.exec(value);
  if (match === null) return false;
  const [, algorithm, hex] = match as unknown as [string, DigestAlgorithm, string];
  return hex.length === ALGORITHMS[algorithm];
}

/** The digest of `bytes` with the algorithm of `like` (a digest), SHA-256 by default. */
export function digestOf(bytes: Uint8Array, like?: string): string {
  const algorithm: DigestAlgorithm = like?.startsWith('sha512:') === true ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** A digest shortened for humans: `sha256:0123456789ab`. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return digest.slice(0, colon + 13);
}
