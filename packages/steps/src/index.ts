// Public API of @rampart/steps.
export { builtinStepExecutors, type BuiltinStepExecutorOptions } from './builtin-step-executors.js';
export {
  createScriptRunExecutor,
  type ScriptRunExecutorOptions,
} from './command/script-run-executor.js';
export {
  createApprovalTestExecutor,
  MAX_JUNIT_REPORT_BYTES,
  type ApprovalTestExecutorOptions,
} from './approval-test/approval-test-executor.js';
export {
  parseJUnitReport,
  type FailedTest,
  type JUnitParse,
  type JUnitSummary,
} from './approval-test/junit-report.js';
export {
  createEcsDeployExecutor,
  ecsDeployActions,
  type EcsDeployExecutorOptions,
  type EcsRolloutPolling,
} from './ecs/ecs-deploy-executor.js';
export {
  createEcsRunTaskExecutor,
  type EcsRunTaskExecutorOptions,
} from './ecs/ecs-run-task-executor.js';
export {
  ecsRunTaskParams,
  type EcsLaunchType,
  type EcsRunTaskParams,
} from './ecs/ecs-run-task-params.js';
export {
  createLambdaDeployExecutor,
  LATEST,
  type LambdaDeployExecutorOptions,
} from './lambda/lambda-deploy-executor.js';
export {
  createLambdaInvokeExecutor,
  MAX_RESPONSE_BYTES,
  type LambdaInvokeExecutorOptions,
} from './lambda/lambda-invoke-executor.js';
export {
  lambdaDeployParams,
  lambdaInvokeParams,
  type LambdaDeployParams,
  type LambdaInvokeParams,
} from './lambda/lambda-params.js';
export {
  createCloudFormationDeployExecutor,
  MAX_TEMPLATE_BYTES,
  TEMPLATE_OUTPUT,
  type CloudFormationDeployExecutorOptions,
} from './cloudformation/cloudformation-deploy-executor.js';
export {
  cloudFormationDeployParams,
  type CloudFormationCapability,
  type CloudFormationDeployParams,
} from './cloudformation/cloudformation-params.js';
export {
  COMMIT_OUTPUT,
  createS3UploadExecutor,
  DEPLOYMENT_OUTPUT,
  type S3UploadExecutorOptions,
} from './s3/s3-upload-executor.js';
export { s3UploadParams, type S3UploadParams } from './s3/s3-upload-params.js';
export { contentTypeOf } from './s3/content-type.js';
export {
  createCloudFrontInvalidateExecutor,
  INVALIDATION_TIMEOUT_MS,
  type CloudFrontInvalidateExecutorOptions,
} from './cloudfront/cloudfront-invalidate-executor.js';
export {
  cloudFrontInvalidateParams,
  type CloudFrontInvalidateParams,
} from './cloudfront/cloudfront-params.js';
export type { StepPolling } from './aws-step/poll.js';
export {
  createTerraformExecutor,
  terraformActions,
  type TerraformExecutorOptions,
} from './terraform/terraform-executor.js';
export {
  terraformParams,
  type TerraformApprovalMode,
  type TerraformParams,
} from './terraform/terraform-params.js';
export type { TerraformOrganization } from './terraform/state-backend.js';
export {
  summarizePlan,
  type PlanKind,
  type PlanSummary,
  type ResourceAction,
  type ResourceChange,
} from './terraform/plan-summary.js';
export { MAX_OUTPUT_FILE_BYTES, type CommandStepOptions } from './command/command-step.js';
export {
  commandEnvironment,
  defaultBaseEnvironment,
  type CommandEnvironmentInput,
} from './command/command-environment.js';
export {
  approvalTestParams,
  scriptRunParams,
  type ApprovalTestParams,
  type ScriptRunParams,
} from './params/command-params.js';
export { ecsDeployParams, type EcsDeployParams } from './params/ecs-deploy-params.js';
export type { WorkspaceRequest, Workspaces } from './workspace/workspaces.js';
export {
  runProcess,
  type ProcessLogLine,
  type ProcessOutcome,
  type ProcessSpec,
} from './process/run-process.js';
export { LineSplitter, MAX_LINE_CHARS } from './process/line-splitter.js';
export {
  parseOutputFile,
  type OutputFileProblem,
  type ParsedOutputFile,
} from './process/output-file.js';
export {
  loadCustomStepExecutors,
  type CustomStepExecutors,
  type CustomStepExecutorsOptions,
} from './custom/custom-step-executors.js';
export {
  APPROVAL_CONTEXT_KEY,
  createCustomStepExecutor,
  type CustomStepExecutorOptions,
} from './custom/custom-step-executor.js';
export {
  BUILD_SCRIPT,
  loadStepRegistry,
  METADATA_CACHE_FILE,
  type LoadedStepRegistry,
  type LoadStepRegistryOptions,
} from './custom/load-step-registry.js';
export { describeRegistrySource, type StepRegistrySource } from './custom/step-registry-source.js';
export { parseRegistryMetadata, type CustomStepDefinition } from './custom/registry-metadata.js';
export { compileParamsSchema, JsonSchemaParams } from './custom/json-schema-params.js';
export { plannedCustomStepDiagnostics } from './custom/planned-custom-steps.js';
export {
  runStepProgram,
  START_SCRIPT,
  type StepProgramOutcome,
  type StepProgramRun,
} from './custom/step-program.js';
export {
  DEFAULT_RETRY_AFTER_MS,
  parseStepProgramResult,
  type StepProgramResult,
} from './custom/step-program-result.js';
