/** The JSON Web Key Set AWS verifies token signatures with. */
import { liveKeys } from '../keys/key-lifecycle.js';
import {
  publicJwkOf,
  type PublicSigningJwk,
  type StoredSigningKey,
} from '../keys/stored-signing-key.js';

/** `/.well-known/jwks.json`. */
export interface JsonWebKeySet {
  keys: PublicSigningJwk[];
}

/**
 * The key set at `now`: the active key and every retired key that may still have unexpired
 * tokens, public parts only. Expired keys are left out even before a store drops them.
 */
export function jwksDocument(keys: readonly StoredSigningKey[], now: Date): JsonWebKeySet {
  return { keys: liveKeys(keys, now).map(publicJwkOf) };
}
