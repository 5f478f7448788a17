/**
 * Secrets as the store keeps them: the encrypted value and its wrapped data key, or a reference to
 * a Secrets Manager secret. The store never sees a value in clear; the server encrypts.
 */

/** Where a secret applies: every pipeline and stage, or the stages of one name in every pipeline. */
export type SecretScope = 'organization' | 'stage';

/** Every {@link SecretScope}. */
export const SECRET_SCOPES: readonly SecretScope[] = ['organization', 'stage'];

/**
 * How the value is kept: `local` (encrypted here, data key wrapped by the server's master key),
 * `kms` (encrypted here, data key wrapped by the organization's KMS key) or `secrets-manager`
 * (kept by the user in Secrets Manager; only the ARN is stored).
 */
export type SecretStorage = 'local' | 'kms' | 'secrets-manager';

/** Every {@link SecretStorage}. */
export const SECRET_STORAGES: readonly SecretStorage[] = ['local', 'kms', 'secrets-manager'];

/** Names one secret. */
export interface SecretRef {
  name: string;
  scope: SecretScope;
  /** The stage name; required for `stage`, absent for `organization`. @default absent */
  stage?: string;
}

/** An encrypted value: AES-256-GCM ciphertext and its data key, wrapped by `keyId`. */
export interface EnvelopeMaterial {
  storage: 'local' | 'kms';
  /** Base64 of the sealed value (nonce, tag, ciphertext). */
  ciphertext: string;
  /** Base64 of the data key encrypted by the wrapping key. */
  wrappedKey: string;
  /** Which key wrapped the data key (`master-key`, a KMS key ARN). */
  keyId: string;
}

/** A reference to a Secrets Manager secret that holds the value. */
export interface SecretsManagerMaterial {
  storage: 'secrets-manager';
  arn: string;
}

/** What is stored instead of the value. */
export type SecretMaterial = EnvelopeMaterial | SecretsManagerMaterial;

/** A secret as listed: never its value or material. */
export interface SecretInfo extends SecretRef {
  /** 1 when created, +1 on each change of the value. */
  version: number;
  description?: string;
  storage: SecretStorage;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** A secret with what decrypts (or finds) its value. */
export interface StoredSecret extends SecretInfo {
  material: SecretMaterial;
}

/** What {@link SecretStore.put} writes. */
export interface SecretWrite extends SecretRef {
  material: SecretMaterial;
  /** Kept when absent on an update. @default unchanged (none on create) */
  description?: string;
  /** Who sets it (an API caller's actor). */
  actor: string;
}

/** The store of secrets. */
export interface SecretStore {
  /** Creates the secret (version 1) or replaces its value (version + 1). */
  put(write: SecretWrite): Promise<SecretInfo>;
  /** The secret with its material, or undefined. */
  get(ref: SecretRef): Promise<StoredSecret | undefined>;
  /** Every secret, organization ones first, then by stage and name; never material. */
  list(): Promise<SecretInfo[]>;
  /** Deletes the secret; false when there is none. */
  delete(ref: SecretRef): Promise<boolean>;
}
