/** Names of the organization's shared resources in the CI/CD account: state bucket and KMS key. */
import { RampartError } from '../errors/index.js';
import { normalizeResourceName, resourceName } from './resource-name.js';

/** KMS rejects alias names longer than this, `alias/` included. */
const KMS_ALIAS_MAX = 256;

/**
 * The organization's Terraform state bucket, `<cicd_account_id>-rampart-<org>-tfstate`, cut to S3's
 * 63 characters with a hash suffix when longer. The account id keeps the global bucket namespace
 * from colliding across organizations; `rampart` tells a reader who made it.
 */
export function terraformStateBucketName(input: { cicdAccountId: string; org: string }): string {
  return resourceName('s3-bucket', [input.cicdAccountId, 'rampart', input.org, 'tfstate']);
}

/**
 * The alias of the organization's KMS key, `alias/rampart-<org>` (lowercased, other characters
 * turned into `-`). It encrypts the Terraform state; stage roles use it through its key ARN.
 *
 * @throws RampartError `RESOURCE_NAME_INVALID` when the alias would exceed KMS's 256 characters.
 */
export function organizationKeyAlias(input: { org: string }): string {
  const alias = `alias/${normalizeResourceName('iam-role', ['rampart', input.org])}`;
  if (alias.length > KMS_ALIAS_MAX) {
    throw new RampartError(
      'RESOURCE_NAME_INVALID',
      `the KMS alias for organization ${JSON.stringify(input.org)} is ${alias.length} characters, ` +
        `more than the ${KMS_ALIAS_MAX} KMS allows`,
      { hint: 'Use a shorter organization slug in rampart.config.yaml.' },
    );
  }
  return alias;
}
