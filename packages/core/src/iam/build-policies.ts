/**
 * Everything a pipeline's build role needs: its name, trust policy and policy. The one function
 * `rampart plan` and bootstrap's pipeline stack share, like `stagePolicies` for stage roles.
 */
import { partitionOf } from '../aws-facts/index.js';
import { RampartError } from '../errors/index.js';
import type { PipelineModel } from '../model/pipeline-model.js';
import { buildOidcSubject, buildRoleName, stageRoleName } from '../naming/index.js';
import { buildStatements } from './build-access.js';
import { fitPolicies, type PolicyNote, type RolePolicy } from './fit-policies.js';
import { POLICY_VERSION, type PolicyDocument } from './policy-document.js';
import type { StagePolicyOrganization } from './stage-policies.js';
import { buildTrustPolicy } from './trust-policy.js';

/** Name of the build role's policy. */
export const BUILD_POLICY_NAME = 'rampart-build';

export interface BuildPoliciesInput {
  model: PipelineModel;
  organization: Pick<StagePolicyOrganization, 'slug' | 'cicd_account_id' | 'cicd_account_region'>;
  /** The issuer URL without scheme or trailing `/` (`oidcProviderHost(issuer_url)`). */
  issuerHost: string;
}

export interface BuildPolicies {
  roleName: string;
  roleArn: string;
  /** The CI/CD account, which holds the role. */
  accountId: string;
  /** The token `sub` the trust policy pins: `org:<org>/pipeline:<slug>/build`. */
  subject: string;
  trustPolicy: PolicyDocument;
  /** `rampart-build`, inline unless it is over IAM's limit. */
  policies: RolePolicy[];
  notes: PolicyNote[];
}

/**
 * The build role of `model` in the CI/CD account, or `undefined` when the pipeline builds nothing
 * there (no artifacts, or only `per_stage` ones, which stage roles build).
 *
 * @throws RampartError `RESOURCE_NAME_INVALID` when the organization or pipeline slug cannot be
 *   part of a token subject, or when a stage of the pipeline in the CI/CD account is named
 *   `build` (its role would be the build role).
 */
export function buildPolicies(input: BuildPoliciesInput): BuildPolicies | undefined {
  const { model, organization, issuerHost } = input;
  const statements = buildStatements({ model, organization });
  if (statements.length === 0) return undefined;
  const accountId = organization.cicd_account_id;
  const names = { org: organization.slug, slug: model.slug };
  const roleName = buildRoleName(names);
  for (const stage of [...model.stages, ...model.ephemeral]) {
    const clash = stageRoleName({ ...names, stage: stage.name }) === roleName;
    if (clash && stage.accountId === accountId) {
      throw new RampartError(
        'RESOURCE_NAME_INVALID',
        `stage "${stage.name}" of pipeline "${model.slug}" deploys to the CI/CD account ${accountId}, where its role would be the pipeline's build role ${roleName}`,
        { hint: `Rename stage "${stage.name}" (e.g. "${stage.name}-env").` },
      );
    }
  }
  const subject = buildOidcSubject(names);
  const partition = partitionOf(organization.cicd_account_region);
  const document: PolicyDocument = {
    Version: POLICY_VERSION,
    Statement: statements.map((s) => ({ ...s })),
  };
  const { policies, notes } = fitPolicies([{ name: BUILD_POLICY_NAME, document }], roleName);
  return {
    roleName,
    roleArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
    accountId,
    subject,
    trustPolicy: buildTrustPolicy({ partition, accountId, issuerHost, subject }),
    policies,
    notes,
  };
}
