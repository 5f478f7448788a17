/** The registry of built-in step types, keyed by canonical id. */
import { approvalBake, approvalManual, approvalTest } from './approval.js';
import { cloudformationDeploy } from './cloudformation.js';
import { cloudfrontInvalidate } from './cloudfront.js';
import { ecsDeploy, ecsRunTask } from './ecs.js';
import { lambdaDeploy, lambdaInvoke } from './lambda.js';
import { s3Upload } from './s3.js';
import { scriptRun } from './script.js';
import type { StepTypeDefinition } from './step-type-definition.js';
import type { StepTypeId } from './step-type-ids.js';
import { terraformSynthesize } from './terraform.js';

/** Each built-in step type, with its precise params type. */
export const STEP_TYPES = {
  'RAMPART:TERRAFORM:SYNTHESIZE': terraformSynthesize,
  'RAMPART:ECS:DEPLOY': ecsDeploy,
  'RAMPART:ECS:RUN_TASK': ecsRunTask,
  'RAMPART:LAMBDA:DEPLOY': lambdaDeploy,
  'RAMPART:LAMBDA:INVOKE': lambdaInvoke,
  'RAMPART:CLOUDFORMATION:DEPLOY': cloudformationDeploy,
  'RAMPART:S3:UPLOAD': s3Upload,
  'RAMPART:CLOUDFRONT:INVALIDATE': cloudfrontInvalidate,
  'RAMPART:APPROVAL:BAKE': approvalBake,
  'RAMPART:APPROVAL:MANUAL': approvalManual,
  'RAMPART:APPROVAL:TEST': approvalTest,
  'RAMPART:SCRIPT:RUN': scriptRun,
} as const satisfies Record<StepTypeId, StepTypeDefinition>;

/** The definition of a built-in step type, with its params erased to `unknown`. */
export function stepTypeDefinition(id: StepTypeId): StepTypeDefinition {
  return STEP_TYPES[id];
}
