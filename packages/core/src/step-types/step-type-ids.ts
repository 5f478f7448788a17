/** The ids of the built-in step types: `RAMPART:<GROUP>:<NAME>`. */

/** Step types Rampart runs. */
export const STEP_TYPE_IDS = [
  'RAMPART:TERRAFORM:SYNTHESIZE',
  'RAMPART:ECS:DEPLOY',
  'RAMPART:ECS:RUN_TASK',
  'RAMPART:LAMBDA:DEPLOY',
  'RAMPART:LAMBDA:INVOKE',
  'RAMPART:CLOUDFORMATION:DEPLOY',
  'RAMPART:S3:UPLOAD',
  'RAMPART:CLOUDFRONT:INVALIDATE',
  'RAMPART:APPROVAL:BAKE',
  'RAMPART:APPROVAL:MANUAL',
  'RAMPART:APPROVAL:TEST',
  'RAMPART:SCRIPT:RUN',
] as const;

export type StepTypeId = (typeof STEP_TYPE_IDS)[number];

/** Step types the format reserves but Rampart does not run yet. */
export const PLANNED_STEP_TYPE_IDS = ['RAMPART:EKS:DEPLOY', 'RAMPART:EKS:HELM'] as const;

export type PlannedStepTypeId = (typeof PLANNED_STEP_TYPE_IDS)[number];

/** The prefixes that name the same built-in types; DevRamps files use the second. */
export const STEP_TYPE_PREFIXES = ['RAMPART', 'DEVRAMPS'] as const;
