// Bootstrap's CloudFormation templates: deterministic plain JSON, one generator per stack kind.
export { ACCOUNT_PARAMETERS, accountTemplate } from './account-template.js';
export {
  ALARM_EVENTS_PATH,
  ALARM_PATTERN_LIMIT,
  ALARM_PUSH_MAX_EVENT_AGE_SECONDS,
  ALARM_PUSH_PARAMETER,
  ALARM_PUSH_RATE_PER_SECOND,
  ALARM_PUSH_TOKEN_HEADER,
  alarmArn,
  alarmEventPattern,
  alarmEventsEndpoint,
  alarmPushName,
  alarmPushParts,
  alarmWatchOf,
  type AlarmPushParts,
  type AlarmPushSettings,
  type AlarmWatch,
} from './alarm-push.js';
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
