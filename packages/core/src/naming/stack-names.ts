/**
 * Names of the bootstrap stacks. Unlike other resource names they keep their case
 * (`Rampart-acme-Org`), as CloudFormation allows, so they read well in the console.
 */
import { resourceName } from './resource-name.js';

/** The per-account stack holding the OIDC provider for this control plane's issuer. */
export const ACCOUNT_STACK_NAME = 'Rampart-Account';

/** `Rampart-<org>-Org`: KMS key, Terraform state bucket and artifact stores in the CI/CD account. */
export function orgStackName(input: { org: string }): string {
  return resourceName('cfn-stack', ['Rampart', input.org, 'Org']);
}

/** `Rampart-<slug>-Pipeline`: the pipeline's resources in the CI/CD account. */
export function pipelineStackName(input: { slug: string }): string {
  return resourceName('cfn-stack', ['Rampart', input.slug, 'Pipeline']);
}

/** `Rampart-<slug>-<stage>-Stage`: the stage role and mirrored artifact stores in the stage's account. */
export function stageStackName(input: { slug: string; stage: string }): string {
  return resourceName('cfn-stack', ['Rampart', input.slug, input.stage, 'Stage']);
}
