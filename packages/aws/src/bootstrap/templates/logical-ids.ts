/**
 * Logical ids of the resources in bootstrap templates. CloudFormation replaces a resource whose
 * logical id changes, which for a bucket, key, repository or role means losing it, so these ids are
 * fixed forever (a test pins them); ids derived from artifact ids follow one fixed rule.
 */
import { RampartError, shortHash, type PipelineModel } from '@rampart/core';

/** The ids of the resources every template of a kind has. */
export const LOGICAL_IDS = {
  /** Account stack: the IAM OIDC provider for the issuer. */
  oidcProvider: 'OidcProvider',
  /** Account stack: a no-op kept when an existing provider is adopted, so the stack is never empty. */
  adoptionAnchor: 'AdoptedProviderAnchor',
  /** Org stack: the organization's KMS key. */
  organizationKey: 'OrganizationKey',
  organizationKeyAlias: 'OrganizationKeyAlias',
  /** Org stack: the Terraform state bucket and its policy. */
  stateBucket: 'TerraformStateBucket',
  stateBucketPolicy: 'TerraformStateBucketPolicy',
  /** Stage stack: the stage's deployment role. */
  stageRole: 'StageRole',
  /** Pipeline stack: the role the pipeline's builds run as in the CI/CD account. */
  buildRole: 'BuildRole',
  /** Stage stack with alarm push: the connection holding the token, the API destination, … */
  alarmPushConnection: 'AlarmPushConnection',
  alarmPushDestination: 'AlarmPushDestination',
  /** … the role EventBridge invokes the destination as, and the rule matching the alarms. */
  alarmPushRole: 'AlarmPushRole',
  alarmPushRule: 'AlarmPushRule',
} as const;

/** `web-image` → `WebImage`: each run of letters and digits, first letter upper-cased. */
export function logicalIdPart(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * The id part of each artifact of a pipeline, by artifact id. Artifact ids are unique, but two may
 * differ only where the rule drops a `-` (`web-1` and `web1` both give `Web1`); renaming either
 * would replace its store, so the clash is refused instead of resolved.
 *
 * @throws RampartError `RESOURCE_NAME_INVALID` naming both artifacts.
 */
export function artifactIdParts(
  model: Pick<PipelineModel, 'slug' | 'artifacts'>,
): Map<string, string> {
  const parts = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const artifact of model.artifacts) {
    const part = logicalIdPart(artifact.id);
    const owner = owners.get(part);
    if (owner !== undefined && owner !== artifact.id) {
      throw new RampartError(
        'RESOURCE_NAME_INVALID',
        `artifacts "${owner}" and "${artifact.id}" of pipeline "${model.slug}" would share the ` +
          `CloudFormation logical id part "${part}"`,
        { hint: `Give one of them an explicit id that differs in more than its hyphens.` },
      );
    }
    owners.set(part, artifact.id);
    parts.set(artifact.id, part);
  }
  return parts;
}

/** The ECR repository of an artifact, in the pipeline stack (CI/CD copy) or a stage stack. */
export function imageRepositoryLogicalId(part: string): string {
  return `ImageRepository${part}`;
}

/** The S3 bucket of a bundle artifact, in the pipeline stack or a stage stack. */
export function bundleBucketLogicalId(part: string): string {
  return `BundleBucket${part}`;
}

/** The policy of that bucket. */
export function bundleBucketPolicyLogicalId(part: string): string {
  return `BundleBucketPolicy${part}`;
}

/**
 * Ids of a stage role's managed policies, from their names. They hold no data, so a clash
 * (`additional-11` and `additional-1-1`) is resolved by appending a hash of the name.
 */
export function managedPolicyLogicalIds(names: readonly string[]): string[] {
  const base = names.map((name) => `StageRolePolicy${logicalIdPart(name)}`);
  return base.map((id, k) =>
    base.indexOf(id) === base.lastIndexOf(id) ? id : `${id}${shortHash(names[k] ?? '')}`,
  );
}
