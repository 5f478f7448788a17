// Bootstrap's CloudFormation templates: deterministic plain JSON, one generator per stack kind.
export { ACCOUNT_PARAMETERS, accountTemplate } from './account-template.js';
export type { BootstrapSettings } from './bootstrap-settings.js';
export {
  KEEP_DATA,
  NO_VALUE,
  fnIf,
  getAtt,
  ref,
  type CfnDeletionPolicy,
  type CfnOutput,
  type CfnParameter,
  type CfnResource,
  type CfnTemplate,
} from './cfn-template.js';
export {
  LOGICAL_IDS,
  artifactIdParts,
  bundleBucketLogicalId,
  bundleBucketPolicyLogicalId,
  imageRepositoryLogicalId,
  logicalIdPart,
  managedPolicyLogicalIds,
} from './logical-ids.js';
export { BUCKET_POLICY_LIMIT, organizationTemplate } from './organization-template.js';
export { pipelineTemplate } from './pipeline-template.js';
export { accountRoot, stageRolesOf, type StageRoleRef } from './policy-helpers.js';
export { MANAGED_BY, RAMPART_TAG_KEYS, rampartTags, type CfnTag } from './rampart-tags.js';
export {
  STAGE_ROLE_MAX_SESSION_SECONDS,
  stageTemplate,
  type StageTemplateTarget,
} from './stage-template.js';
export { checkTemplateReferences } from './template-references.js';
export { BOOTSTRAP_TEMPLATE_VERSION, templateVersionOutput } from './template-version.js';
