/** The port through which signing keys are persisted: a file today, the database later. */
import type { StoredSigningKey } from './stored-signing-key.js';

/** A change to the stored keys: the new list, computed from the current one. */
export type KeyChange = (
  current: readonly StoredSigningKey[],
) => readonly StoredSigningKey[] | Promise<readonly StoredSigningKey[]>;

/** Durable storage of the signing keys, encrypted at rest by the implementation. */
export interface KeyStore {
  /** Every stored key; empty before the first key is created. */
  load(): Promise<StoredSigningKey[]>;
  /**
   * Applies `change` to the current keys and stores the result as one step; concurrent updates
   * through the same store do not lose each other's changes. Returns the stored keys.
   */
  update(change: KeyChange): Promise<StoredSigningKey[]>;
}
