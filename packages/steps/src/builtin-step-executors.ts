// Every step type this package implements, ready to register with the engine. APPROVAL:BAKE and
// APPROVAL:MANUAL are not here: the engine runs them itself (timers and approvals).
import type { AwsClientFactory } from '@rampart/aws';
import type { StepExecutor } from '@rampart/engine';
import { createApprovalTestExecutor } from './approval-test/approval-test-executor.js';
import { createCloudFormationDeployExecutor } from './cloudformation/cloudformation-deploy-executor.js';
import { createCloudFrontInvalidateExecutor } from './cloudfront/cloudfront-invalidate-executor.js';
import type { CommandStepOptions } from './command/command-step.js';
import { createScriptRunExecutor } from './command/script-run-executor.js';
import { createEcsDeployExecutor, type EcsRolloutPolling } from './ecs/ecs-deploy-executor.js';
import { createEcsRunTaskExecutor } from './ecs/ecs-run-task-executor.js';
import { createLambdaDeployExecutor } from './lambda/lambda-deploy-executor.js';
import { createLambdaInvokeExecutor } from './lambda/lambda-invoke-executor.js';
import { createS3UploadExecutor } from './s3/s3-upload-executor.js';

/** Options of {@link builtinStepExecutors}. */
export interface BuiltinStepExecutorOptions extends CommandStepOptions {
  /** The control plane's AWS client factory; its endpoint override also goes to scripts. */
  sdk: AwsClientFactory;
  /** How the AWS steps wait between polls (rollouts, tasks, stacks, …). @default a real 5-second timer */
  poller?: EcsRolloutPolling;
}

/**
 * SCRIPT:RUN, APPROVAL:TEST and the AWS step types (ECS:DEPLOY, ECS:RUN_TASK, LAMBDA:DEPLOY,
 * LAMBDA:INVOKE, CLOUDFORMATION:DEPLOY, S3:UPLOAD, CLOUDFRONT:INVALIDATE). Scripts get
 * `AWS_ENDPOINT_URL` from `endpointUrl`, else from the factory's endpoint override.
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
  const { sdk, workspaces } = options;
  const poller = options.poller === undefined ? {} : { poller: options.poller };
  return [
    createScriptRunExecutor(command),
    createApprovalTestExecutor(command),
    createEcsDeployExecutor({ sdk, ...poller }),
    createEcsRunTaskExecutor({ sdk, ...poller }),
    createLambdaDeployExecutor({ sdk, ...poller }),
    createLambdaInvokeExecutor({ sdk }),
    createCloudFormationDeployExecutor({ sdk, workspaces, ...poller }),
    createS3UploadExecutor({ sdk, workspaces }),
    createCloudFrontInvalidateExecutor({ sdk, ...poller }),
  ];
}
