/**
 * Key states over time, without I/O: a key is active until a rotation retires it, then published
 * for the longest token lifetime so every token it signed can still be verified, then dropped.
 */
import { MAX_TOKEN_LIFETIME_SECONDS } from '../tokens/token-lifetime.js';
import type { StoredSigningKey } from './stored-signing-key.js';

/** `active` signs new tokens; `retired` is only published; `expired` is dropped. */
export type SigningKeyState = 'active' | 'retired' | 'expired';

/** When a retired key leaves the JWKS: its retirement plus the maximum token lifetime. */
export function removalTime(key: StoredSigningKey): Date | undefined {
  if (key.retiredAt === undefined) return undefined;
  return new Date(Date.parse(key.retiredAt) + MAX_TOKEN_LIFETIME_SECONDS * 1000);
}

/** The state of `key` at `now`. */
export function keyState(key: StoredSigningKey, now: Date): SigningKeyState {
  const removal = removalTime(key);
  if (removal === undefined) return 'active';
  return now.getTime() < removal.getTime() ? 'retired' : 'expired';
}

/** The keys still published at `now`: the active key first, then retired keys, newest first. */
export function liveKeys(keys: readonly StoredSigningKey[], now: Date): StoredSigningKey[] {
  return keys
    .filter((k) => keyState(k, now) !== 'expired')
    .sort((a, b) => rank(a) - rank(b) || Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

/** The active key, if any. */
export function activeKey(keys: readonly StoredSigningKey[]): StoredSigningKey | undefined {
  return keys.find((k) => k.retiredAt === undefined);
}

/**
 * The keys after a rotation at `now`: `next` becomes the active key, the active one is retired,
 * and keys whose tokens have all expired are dropped.
 */
export function rotateKeys(
  keys: readonly StoredSigningKey[],
  next: StoredSigningKey,
  now: Date,
): StoredSigningKey[] {
  const retired = keys.map((k) =>
    k.retiredAt === undefined ? { ...k, retiredAt: now.toISOString() } : k,
  );
  return [...liveKeys(retired, now), next];
}

function rank(key: StoredSigningKey): number {
  return key.retiredAt === undefined ? 0 : 1;
}
