// Public API of @rampart/aws-sandbox.
export { ManualClock, systemClock, type Clock } from './clock.js';
export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox.js';
export type {
  HealthTarget,
  NewAccount,
  SandboxAccount,
  SandboxControl,
  SandboxSnapshot,
} from './control/sandbox-control.js';
export type { Fault, FaultKind, FaultSpec } from './control/faults.js';
export type { RequestLogEntry } from './control/request-log.js';
export type { DeliveryAttempt, DeliveryOutcome } from './services/events/delivery-queue.js';
export type {
  CreatedDistribution,
  NewDistribution,
} from './services/cloudfront/cloudfront-state.js';
export { DEFAULT_ACCOUNTS, type AccountSpec } from './state/accounts.js';
export type { AccountRole } from './state/sandbox-state.js';
export type { HealthSubject, UnhealthyMark } from './state/health-model.js';
export type {
  BackgroundContext,
  MetricIdentity,
  MetricQuery,
  MetricSample,
  SandboxEvent,
  ServiceHooks,
} from './framework/background.js';
export { runSandboxCli, type CliIo } from './cli/sandbox-cli.js';
// The framework, for services built outside this package and for tests.
export { AwsError, CommonError, type CommonErrorKind } from './framework/aws-error.js';
export { RawResponse } from './framework/http.js';
export { Input } from './framework/input.js';
export type { ActionContext, ActionDefinition, ServiceDefinition } from './framework/service.js';
export type { ResourceTarget } from './auth/authorizer.js';
export { queryProtocol } from './protocols/query-protocol.js';
export { jsonProtocol } from './protocols/json-protocol.js';
