// Bootstrap: templates, plan, account access and the stack deployer.
export * from './templates/index.js';
export {
  DEFAULT_ADMIN_ROLES,
  callerAccountId,
  reachAccount,
  type AccountAccess,
  type ReachAccountInput,
} from './account-access.js';
export { bootstrapSettingsFrom } from './bootstrap-config.js';
export type {
  BootstrapEvent,
  BootstrapListener,
  StackChange,
  StackCheckState,
  StackRef,
  StackResult,
} from './bootstrap-events.js';
export {
  planBootstrap,
  type BootstrapPlan,
  type PlanBootstrapInput,
  type PlannedStack,
  type StackKind,
} from './bootstrap-plan.js';
export { loadPipelines, type LoadedPipelines, type ValidPipeline } from './load-pipelines.js';
export {
  probePublicUrl,
  type ProbePublicUrlOptions,
  type PublicUrlProbe,
} from './public-url-probe.js';
export {
  runBootstrap,
  type BootstrapMode,
  type BootstrapOptions,
  type BootstrapOutcome,
} from './run-bootstrap.js';
export {
  deployStack,
  deployedTemplate,
  describeStack,
  outputsOf,
  type DeployStackInput,
  type DeployedStack,
  type Poller,
} from './stack-deployer.js';
export {
  canonicalJson,
  diffTemplates,
  isEmptyDiff,
  type ResourceChange,
  type RolePolicyDiff,
  type StackDiff,
} from './template-diff.js';
