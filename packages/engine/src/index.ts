// Public API of @rampart/engine.
export * from './ports/engine-store.js';
export type { Clock } from './ports/clock.js';
export type { AlarmReader } from './ports/alarm-reader.js';
export {
  noArtifactMirror,
  type ArtifactMirror,
  type MirrorRequest,
} from './ports/artifact-mirror.js';
export {
  noArtifactBuilder,
  type ArtifactBuildSpec,
  type ArtifactBuilder,
  type ArtifactDestination,
  type BuildRequest,
  type BuildResult,
  type PreviousBuild,
} from './ports/artifact-builder.js';
export {
  noResourceChecks,
  type ResourceChecker,
  type ResourceCheckRequest,
} from './ports/resource-checker.js';
export type { CredentialsProvider, StageCredentials } from './ports/credentials-provider.js';
export {
  BUILD_LOG_STAGE,
  MIRROR_LOG_STEP,
  buildLogStep,
  discardStepLogs,
  type StepLogLine,
  type StepLogSink,
} from './ports/step-log-sink.js';
export {
  noSecretResolver,
  type SecretReference,
  type SecretRequest,
  type SecretResolver,
} from './ports/secret-resolver.js';
export {
  defineStepExecutor,
  type EffectJournal,
  type ParamsIssue,
  type ParamsSchema,
  type RollbackContext,
  type RollbackOutcome,
  type StepContext,
  type StepExecutor,
  type StepRunContext,
} from './ports/step-executor.js';

export * from './model/statuses.js';
export type * from './model/deployment-plan.js';
export * from './model/pipeline-state.js';
export { freezePlan, rollbackMode } from './model/freeze-plan.js';
export { parsePipelineState } from './model/parse-pipeline-state.js';

export { decide, decideInPlace, type Decision } from './decide/decide.js';
export {
  DEFAULT_ENGINE_CONFIG,
  engineConfig,
  type DecideEnv,
  type EngineConfig,
} from './decide/engine-config.js';
export type * from './decide/inputs.js';
export * from './decide/operations.js';
export type { DeploymentRequestResult } from './decide/request-deployment.js';
export {
  ENGINE_COMMAND_TYPES,
  fromStoredCommand,
  toStoredCommand,
  type ApprovalGrant,
  type BuildArtifactCommand,
  type CancelStepCommand,
  type CheckResourcesCommand,
  type EngineCommandSpec,
  type EngineCommandType,
  type ExecuteStepCommand,
  type MirrorArtifactsCommand,
  type PollAlarmsCommand,
  type PreviousBuildRef,
  type RollbackStepCommand,
  type SetTimerCommand,
} from './decide/commands.js';
export { ENGINE_EVENT_CODES, type EngineEventCode, type EngineEventSpec } from './decide/events.js';
export type * from './decide/timers.js';

export { EngineRuntime } from './runtime/engine-runtime.js';
export type { EngineRuntimeOptions } from './runtime/runtime-options.js';
export type { RuntimeNotice, RuntimeNoticeCode } from './runtime/runtime-notice.js';
export { StepExecutorRegistry } from './runtime/step-executor-registry.js';
export { REDACTED, SecretRedactor, secretForms } from './runtime/secret-redactor.js';
export { secretReferences, substituteSecrets } from './runtime/secret-markers.js';
export {
  resolveSecrets,
  SecretResolvingExecutors,
  withSecrets,
  type ResolvedSecrets,
} from './runtime/secret-resolving-executors.js';
