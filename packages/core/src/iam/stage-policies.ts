/**
 * Everything a stage role needs: its name, its trust policy and its policies. The one function
 * the planner (`rampart plan`) and bootstrap (the stage stack) share, so what a plan shows is what
 * bootstrap deploys.
 */
import { partitionOf } from '../aws-facts/index.js';
import { RampartError } from '../errors/index.js';
import type { OrganizationInfo } from '../model/expression-scope.js';
import type { PipelineModel, StageModel } from '../model/pipeline-model.js';
import { resolveStage, type ResolvedStage } from '../model/resolve-stage.js';
import { oidcSubject, stageRoleName, terraformStateBucketName } from '../naming/index.js';
import { parseArn, type IamContext, type IamStatement } from '../step-types/iam-statement.js';
import { additionalPolicies, type NamedPolicy } from './additional-policies.js';
import { alarmStatements } from './alarm-access.js';
import { artifactStatements } from './artifact-access.js';
import { fitPolicies, type PolicyNote, type RolePolicy } from './fit-policies.js';
import { POLICY_VERSION, type PolicyDocument } from './policy-document.js';
import { stepStatements } from './step-access.js';
import { stageTrustPolicy } from './trust-policy.js';

/** Name of the policy holding the statements of the stage's steps. */
export const STEP_POLICY_NAME = 'rampart-steps';

/** Name of the policy holding the stage-wide statements: artifact mirroring, rollback alarms. */
export const STAGE_POLICY_NAME = 'rampart-stage';

/** The organization settings a stage role depends on (from the control plane's configuration). */
export type StagePolicyOrganization = Pick<
  OrganizationInfo,
  'slug' | 'cicd_account_id' | 'cicd_account_region'
> & {
  /** Only for expressions that read `organization.name`. @default a marker */
  name?: string;
};

export interface StagePoliciesInput {
  model: PipelineModel;
  stage: StageModel;
  organization: StagePolicyOrganization;
  /** The issuer URL without scheme or trailing `/` (`oidcProviderHost(issuer_url)`). */
  issuerHost: string;
  /**
   * The stage resolved with the same organization (validation's `resolvedStages`).
   * @default resolved here, expression errors ignored (validation reports them)
   */
  resolved?: ResolvedStage;
  /**
   * The ARN of the organization's KMS key: the `KeyArn` output of the org stack, which IAM needs
   * as an exact ARN. Plans, made before the key exists, show a placeholder.
   * @default KMS_KEY_PLACEHOLDER
   */
  kmsKeyArn?: string;
}

export interface StagePolicies {
  roleName: string;
  roleArn: string;
  /** The token `sub` the trust policy pins. */
  subject: string;
  trustPolicy: PolicyDocument;
  /** In order: steps, stage-wide, then the additional policies in file order. */
  policies: RolePolicy[];
  /** Size notes: policies moved to managed policies, or too large for IAM. */
  notes: PolicyNote[];
}

/**
 * The stage role's name, trust policy and policies, deterministic for the same input: statements
 * keep step and file order, actions are sorted, Sids are fixed by the step types (numbered when
 * repeated), resource lists are sorted.
 *
 * @throws RampartError `RESOURCE_NAME_INVALID` when the organization, pipeline or stage name
 *   cannot be part of a token subject; `CONFIG_INVALID` for an issuer host with a scheme or
 *   wildcard; `STEP_PARAMS_INVALID` when a step's resolved params no longer match its type.
 */
export function stagePolicies(input: StagePoliciesInput): StagePolicies {
  const { model, stage, organization, issuerHost } = input;
  checkIssuerHost(issuerHost);
  if (input.kmsKeyArn !== undefined) checkKeyArn(input.kmsKeyArn);
  const partition = partitionOf(stage.region);
  const names = { org: organization.slug, slug: model.slug, stage: stage.name };
  const roleName = stageRoleName(names);
  const subject = oidcSubject(names);
  const resolved =
    input.resolved ??
    resolveStage(model, stage, { organization: { ...organization } }, () => undefined);
  const ctx: IamContext = {
    partition,
    accountId: stage.accountId,
    region: stage.region,
    pipelineSlug: model.slug,
    stageName: stage.name,
    stateBucket: terraformStateBucketName({
      cicdAccountId: organization.cicd_account_id,
      org: organization.slug,
    }),
    ...(input.kmsKeyArn === undefined ? {} : { kmsKeyArn: input.kmsKeyArn }),
  };
  const named: NamedPolicy[] = [];
  const steps = stepStatements(resolved, ctx);
  if (steps.length > 0) named.push({ name: STEP_POLICY_NAME, document: documentOf(steps) });
  const stageWide = [
    ...artifactStatements({ model, stage, organization }),
    ...alarmStatements(stage),
  ];
  if (stageWide.length > 0) {
    named.push({ name: STAGE_POLICY_NAME, document: documentOf(stageWide) });
  }
  named.push(...additionalPolicies(model.policies, stage.name));
  const { policies, notes } = fitPolicies(named, roleName);
  return {
    roleName,
    roleArn: `arn:${partition}:iam::${stage.accountId}:role/${roleName}`,
    subject,
    trustPolicy: stageTrustPolicy({ partition, accountId: stage.accountId, issuerHost, subject }),
    policies,
    notes,
  };
}

function documentOf(statements: readonly IamStatement[]): PolicyDocument {
  return { Version: POLICY_VERSION, Statement: statements.map((s) => ({ ...s })) };
}

/**
 * A condition key prefix must be the provider id exactly: a scheme would never match, and a
 * wildcard or white space has no place in a host.
 */
function checkIssuerHost(host: string): void {
  if (host === '' || /:\/\/|[\s*?]|\/$/.test(host)) {
    throw new RampartError(
      'CONFIG_INVALID',
      `issuer host ${JSON.stringify(host)} must be the issuer URL without scheme or trailing "/"`,
      { hint: 'Pass oidcProviderHost(issuer_url), e.g. "rampart.acme.example".' },
    );
  }
}

function checkKeyArn(value: string): void {
  const parsed = parseArn(value);
  if (parsed?.service !== 'kms' || !parsed.resource.startsWith('key/')) {
    throw new RampartError(
      'INTERNAL',
      `${JSON.stringify(value)} is not the ARN of a KMS key (arn:…:kms:<region>:<account>:key/<id>)`,
      { source: 'system', hint: 'Pass the KeyArn output of the organization stack.' },
    );
  }
}
