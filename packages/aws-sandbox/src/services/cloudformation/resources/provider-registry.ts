// Every resource type the sandbox can create. Add a type: one file exporting a ResourceProvider,
// one line here (see docs/cloudformation.md).
import { iamManagedPolicyProvider } from './iam-managed-policy.js';
import { iamOidcProviderProvider } from './iam-oidc-provider.js';
import { iamPolicyProvider } from './iam-policy.js';
import { iamRoleProvider } from './iam-role.js';
import { kmsAliasProvider } from './kms-alias.js';
import { kmsKeyProvider } from './kms-key.js';
import type { ResourceProvider } from './resource-provider.js';
import { s3BucketPolicyProvider } from './s3-bucket-policy.js';
import { s3BucketProvider } from './s3-bucket.js';
import { secretsManagerSecretProvider } from './secretsmanager-secret.js';
import { waitConditionHandleProvider } from './wait-condition-handle.js';

const PROVIDERS: readonly ResourceProvider[] = [
  iamOidcProviderProvider,
  iamRoleProvider,
  iamPolicyProvider,
  iamManagedPolicyProvider,
  s3BucketProvider,
  s3BucketPolicyProvider,
  kmsKeyProvider,
  kmsAliasProvider,
  secretsManagerSecretProvider,
  waitConditionHandleProvider,
];

const BY_TYPE = new Map(PROVIDERS.map((provider) => [provider.type, provider]));

/** The provider of a resource type, if the sandbox supports it. */
export function providerFor(type: string): ResourceProvider | undefined {
  return BY_TYPE.get(type);
}

/** The supported resource types, sorted. */
export function supportedTypes(): string[] {
  return [...BY_TYPE.keys()].sort();
}
