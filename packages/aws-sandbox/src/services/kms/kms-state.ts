// KMS's plain-data state per account and region, and the one accessor that also carries out
// deletions whose waiting period has passed on the sandbox clock.
import type { SandboxRuntime } from '../../framework/runtime.js';

/** A key's lifecycle state (the subset of AWS's states symmetric AWS_KMS keys can be in). */
export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

/** A `{ TagKey, TagValue }` tag, KMS's own tag shape. */
export interface KmsTag {
  TagKey: string;
  TagValue: string;
}

/** One KMS key. */
export interface KmsKey {
  keyId: string;
  /** `arn:aws:kms:<region>:<account>:key/<keyId>` */
  arn: string;
  accountId: string;
  region: string;
  description: string;
  /** `AWS` for the service keys (`aws/secretsmanager`) the sandbox creates on first use. */
  keyManager: 'CUSTOMER' | 'AWS';
  keyState: KeyState;
  creationDate: string;
  /** When a scheduled deletion happens (ISO), while `PendingDeletion`. */
  deletionDate?: string;
  pendingWindowInDays?: number;
  /** The key policy (policy name `default`), as JSON text. */
  policy: string;
  tags: KmsTag[];
  rotationEnabled: boolean;
  rotationPeriodInDays: number;
  /** The 256-bit key material, base64. Never leaves the sandbox. */
  material: string;
}

/** One alias. */
export interface KmsAlias {
  /** `alias/…` */
  name: string;
  arn: string;
  targetKeyId: string;
  creationDate: string;
  lastUpdatedDate: string;
}

/** KMS data of one account and region. */
export interface KmsState {
  /** Keys by key id, in creation order. */
  keys: Record<string, KmsKey>;
  /** Aliases by name. */
  aliases: Record<string, KmsAlias>;
}

/** The state key of KMS (its SigV4 signing name). */
export const KMS_SERVICE = 'kms';

const emptyState = (): KmsState => ({ keys: {}, aliases: {} });

/**
 * KMS's state in one account and region. Keys whose deletion date has passed are removed first,
 * with the aliases pointing at them, as AWS deletes them when the waiting period ends.
 */
export function kmsState(runtime: SandboxRuntime, accountId: string, region: string): KmsState {
  const state = runtime.serviceState(KMS_SERVICE, accountId, region, emptyState);
  const now = runtime.clock.now().getTime();
  for (const key of Object.values(state.keys)) {
    if (key.deletionDate !== undefined && new Date(key.deletionDate).getTime() <= now) {
      delete state.keys[key.keyId];
      for (const alias of Object.values(state.aliases)) {
        if (alias.targetKeyId === key.keyId) delete state.aliases[alias.name];
      }
    }
  }
  return state;
}

/** The ARN of a key. */
export function keyArn(region: string, accountId: string, keyId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

/** The ARN of an alias (`name` includes `alias/`). */
export function aliasArn(region: string, accountId: string, name: string): string {
  return `arn:aws:kms:${region}:${accountId}:${name}`;
}
