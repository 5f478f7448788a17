/** The 6-character suffix that keeps truncated resource names unique. */
import { createHash } from 'node:crypto';

/** Length of the hash suffix of a truncated name, without its leading `-`. */
export const SHORT_HASH_LENGTH = 6;

/** The first {@link SHORT_HASH_LENGTH} lowercase hex digits of the SHA-256 of `text` (UTF-8). */
export function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, SHORT_HASH_LENGTH);
}
