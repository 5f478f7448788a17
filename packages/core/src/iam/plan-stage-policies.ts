/** Stage policies for `rampart plan`, which may run without organization settings or an issuer. */
import type { OrganizationInfo } from '../model/expression-scope.js';
import type { PipelineModel, StageModel } from '../model/pipeline-model.js';
import type { ResolvedStage } from '../model/resolve-stage.js';
import { oidcProviderHost } from '../naming/index.js';
import { stagePolicies, type StagePolicies } from './stage-policies.js';

/** Stands for the issuer host in trust policies planned without `issuer_url`. */
export const ISSUER_HOST_PLACEHOLDER = '<issuer-host>';

/**
 * The stage's policies as far as they can be known offline, or `undefined` when the organization
 * slug, CI/CD account id or region is missing (every role, subject and state ARN depends on them).
 * The KMS key shows as a placeholder; without an issuer URL, so does the issuer host.
 */
export function planStagePolicies(input: {
  model: PipelineModel;
  stage: StageModel;
  resolved: ResolvedStage;
  organization: Partial<OrganizationInfo> | undefined;
  /** @default ISSUER_HOST_PLACEHOLDER in the trust policy */
  issuerUrl?: string;
}): StagePolicies | undefined {
  const org = input.organization;
  if (
    org?.slug === undefined ||
    org.cicd_account_id === undefined ||
    org.cicd_account_region === undefined
  ) {
    return undefined;
  }
  return stagePolicies({
    model: input.model,
    stage: input.stage,
    resolved: input.resolved,
    organization: {
      slug: org.slug,
      cicd_account_id: org.cicd_account_id,
      cicd_account_region: org.cicd_account_region,
    },
    issuerHost:
      input.issuerUrl === undefined ? ISSUER_HOST_PLACEHOLDER : oidcProviderHost(input.issuerUrl),
  });
}
