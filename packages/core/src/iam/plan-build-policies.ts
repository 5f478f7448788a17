/** The build role for `rampart plan`, which may run without organization settings or an issuer. */
import type { OrganizationInfo } from '../model/expression-scope.js';
import type { PipelineModel } from '../model/pipeline-model.js';
import { oidcProviderHost } from '../naming/index.js';
import { buildPolicies, type BuildPolicies } from './build-policies.js';
import { ISSUER_HOST_PLACEHOLDER } from './plan-stage-policies.js';

/**
 * The pipeline's build role as far as it can be known offline, or `undefined` when the pipeline
 * builds nothing in the CI/CD account or the organization slug, CI/CD account id or region is
 * missing. Without an issuer URL the trust policy shows {@link ISSUER_HOST_PLACEHOLDER}.
 */
export function planBuildPolicies(input: {
  model: PipelineModel;
  organization: Partial<OrganizationInfo> | undefined;
  /** @default ISSUER_HOST_PLACEHOLDER in the trust policy */
  issuerUrl?: string;
}): BuildPolicies | undefined {
  const org = input.organization;
  if (
    org?.slug === undefined ||
    org.cicd_account_id === undefined ||
    org.cicd_account_region === undefined
  ) {
    return undefined;
  }
  return buildPolicies({
    model: input.model,
    organization: {
      slug: org.slug,
      cicd_account_id: org.cicd_account_id,
      cicd_account_region: org.cicd_account_region,
    },
    issuerHost:
      input.issuerUrl === undefined ? ISSUER_HOST_PLACEHOLDER : oidcProviderHost(input.issuerUrl),
  });
}
