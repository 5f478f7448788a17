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
