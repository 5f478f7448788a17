// The public API of the step and artifact type catalog. Schema building blocks and ARN helpers
// stay internal; definitions are reached through STEP_TYPES and ARTIFACT_TYPES.
export {
  ARTIFACT_ARCHITECTURES,
  ARTIFACT_TYPES,
  ARTIFACT_TYPE_IDS,
  BUNDLE_ARTIFACT_FIELDS,
  IMAGE_ARTIFACT_FIELDS,
  type ArtifactArchitecture,
  type ArtifactField,
  type ArtifactKind,
  type ArtifactTypeDefinition,
  type ArtifactTypeId,
} from './artifact-types.js';
export { canonicalArtifactType, type ArtifactTypeResolution } from './canonical-artifact-type.js';
export { canonicalStepType, type StepTypeResolution } from './canonical-step-type.js';
export { STEP_TYPES, stepTypeDefinition } from './catalog.js';
export { CLOUDFORMATION_CAPABILITIES } from './cloudformation.js';
export { CUSTOM_STEP, CUSTOM_STEP_TYPE_PATTERN, type CustomStepFacts } from './custom-step.js';
export { DEFERRED_VALUE_PATTERN, isDeferred, literalString } from './deferred-value.js';
export { ECS_LAUNCH_TYPES } from './ecs.js';
export {
  KMS_KEY_PLACEHOLDER,
  STATE_BUCKET_PLACEHOLDER,
  withUniqueSids,
  type IamContext,
  type IamStatement,
} from './iam-statement.js';
export { exprOr, expressionString } from './param-schemas.js';
export { PLANNED_STEP_TYPES, type PlannedStepType } from './planned.js';
export { parseStepParams, stepIamStatements } from './step-iam.js';
export type {
  RollbackMode,
  StepOutputs,
  StepRollback,
  StepTypeDefinition,
} from './step-type-definition.js';
export {
  PLANNED_STEP_TYPE_IDS,
  STEP_TYPE_IDS,
  STEP_TYPE_PREFIXES,
  type PlannedStepTypeId,
  type StepTypeId,
} from './step-type-ids.js';
export { TERRAFORM_APPROVAL_MODES } from './terraform.js';
