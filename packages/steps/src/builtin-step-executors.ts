// Every step type this package implements, ready to register with the engine. APPROVAL:BAKE and
// APPROVAL:MANUAL are not here: the engine runs them itself (timers and approvals).
import type { AwsClientFactory } from '@rampart/aws';
import type { StepExecutor } from '@rampart/engine';
import { createApprovalTestExecutor } from './approval-test/approval-test-executor.js';
import type { CommandStepOptions } from './command/command-step.js';
import { createScriptRunExecutor } from './command/script-run-executor.js';
import { createEcsDeployExecutor, type EcsRolloutPolling } from './ecs/ecs-deploy-executor.js';

/** Options of {@link builtinStepExecutors}. */
export interface BuiltinStepExecutorOptions extends CommandStepOptions {
  /** The control plane's AWS client factory; its endpoint override also goes to scripts. */
  sdk: AwsClientFactory;
  /** @default a real 5-second timer */
  poller?: EcsRolloutPolling;
}

/**
 * SCRIPT:RUN, APPROVAL:TEST and ECS:DEPLOY. Scripts get `AWS_ENDPOINT_URL` from `endpointUrl`,
 * else from the factory's endpoint override.
 */
export function builtinStepExecutors(options: BuiltinStepExecutorOptions): StepExecutor[] {
  const endpointUrl = options.endpointUrl ?? options.sdk.endpointUrl;
  const command: CommandStepOptions = {
    workspaces: options.workspaces,
    ...(options.baseEnv === undefined ? {} : { baseEnv: options.baseEnv }),
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
    ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
    ...(options.msPerMinute === undefined ? {} : { msPerMinute: options.msPerMinute }),
  };
  return [
    createScriptRunExecutor(command),
    createApprovalTestExecutor(command),
    createEcsDeployExecutor({
      sdk: options.sdk,
      ...(options.poller === undefined ? {} : { poller: options.poller }),
    }),
  ];
}
