// Creating key records, checking that a key may be used, and rendering KeyMetadata.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxRuntime } from '../../framework/runtime.js';
import { disabled, invalidState } from './kms-errors.js';
import { keyArn, kmsState, type KmsKey, type KmsTag } from './kms-state.js';

/** Fields of a new key. */
export interface NewKey {
  /** A pre-chosen key id (CreateKey checks the policy against the final ARN). @default random */
  keyId?: string;
  accountId: string;
  region: string;
  description: string;
  policy: string;
  tags: KmsTag[];
  keyManager: KmsKey['keyManager'];
}

/** Adds a key with fresh random material; AWS managed keys rotate yearly from the start. */
export function addKey(runtime: SandboxRuntime, fields: NewKey): KmsKey {
  const keyId = fields.keyId ?? randomUUID();
  const key: KmsKey = {
    keyId,
    arn: keyArn(fields.region, fields.accountId, keyId),
    accountId: fields.accountId,
    region: fields.region,
    description: fields.description,
    keyManager: fields.keyManager,
    keyState: 'Enabled',
    creationDate: runtime.clock.now().toISOString(),
    policy: fields.policy,
    tags: fields.tags,
    rotationEnabled: fields.keyManager === 'AWS',
    rotationPeriodInDays: 365,
    material: randomBytes(32).toString('base64'),
  };
  kmsState(runtime, fields.accountId, fields.region).keys[keyId] = key;
  return key;
}

/** Throws unless the key can encrypt and decrypt now (`DisabledException`, `KMSInvalidStateException`). */
export function assertUsable(key: KmsKey): void {
  switch (key.keyState) {
    case 'Enabled':
      return;
    case 'Disabled':
      throw disabled(key.arn);
    case 'PendingDeletion':
      throw invalidState(`${key.arn} is pending deletion.`);
    default: {
      const never: never = key.keyState;
      throw new Error(`unknown key state ${String(never)}`);
    }
  }
}

/** Throws `KMSInvalidStateException` for keys pending deletion (management calls). */
export function assertNotPendingDeletion(key: KmsKey): void {
  if (key.keyState === 'PendingDeletion') throw invalidState(`${key.arn} is pending deletion.`);
}

/** The `KeyMetadata` structure of DescribeKey, CreateKey and friends. */
export function keyMetadata(key: KmsKey): Record<string, unknown> {
  return {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: new Date(key.creationDate),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: key.keyState,
    ...(key.deletionDate !== undefined ? { DeletionDate: new Date(key.deletionDate) } : {}),
    Origin: 'AWS_KMS',
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
  };
}
