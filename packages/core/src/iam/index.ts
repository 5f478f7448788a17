// Least-privilege policies of stage roles: what the planner shows and bootstrap deploys.
export { additionalPolicies, type NamedPolicy } from './additional-policies.js';
export { alarmArn, alarmStatements } from './alarm-access.js';
export { BUNDLE_WRITE_ACTIONS, buildStatements } from './build-access.js';
export {
  BUILD_POLICY_NAME,
  buildPolicies,
  type BuildPolicies,
  type BuildPoliciesInput,
} from './build-policies.js';
export { planBuildPolicies } from './plan-build-policies.js';
export {
  BUNDLE_READ_ACTIONS,
  ECR_PULL_ACTIONS,
  ECR_PUSH_ACTIONS,
  artifactStatements,
  bucketArn,
  repositoryArn,
  type CicdLocation,
} from './artifact-access.js';
export {
  INLINE_POLICIES_LIMIT,
  MANAGED_POLICIES_PER_ROLE,
  MANAGED_POLICY_LIMIT,
  fitPolicies,
  type PolicyNote,
  type RolePolicy,
} from './fit-policies.js';
export { ISSUER_HOST_PLACEHOLDER, planStagePolicies } from './plan-stage-policies.js';
export {
  POLICY_VERSION,
  policySize,
  type PolicyDocument,
  type PolicyDocumentStatement,
  type PolicyPrincipal,
} from './policy-document.js';
export {
  STAGE_POLICY_NAME,
  STEP_POLICY_NAME,
  stagePolicies,
  type StagePolicies,
  type StagePoliciesInput,
  type StagePolicyOrganization,
} from './stage-policies.js';
export { stepStatements } from './step-access.js';
export { STS_AUDIENCE, buildTrustPolicy, stageTrustPolicy } from './trust-policy.js';
