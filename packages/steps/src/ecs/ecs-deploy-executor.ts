// ECS:DEPLOY: register a task definition revision with the new image, point the service at it
// and follow the rollout (the deployer in @rampart/aws does the AWS part, journaled so a re-run
// after a crash registers nothing twice). Rollback points the service back at a good revision.
import {
  deployEcsService,
  rollbackEcsService,
  type AwsClientFactory,
  type RolloutPoller,
} from '@rampart/aws';
import { STEP_TYPES, isRampartError } from '@rampart/core';
import {
  defineStepExecutor,
  type JsonObject,
  type RollbackContext,
  type RollbackOutcome,
  type StepExecutor,
  type StepOutcome,
  type StepRunContext,
} from '@rampart/engine';
import { ecsDeployParams, type EcsDeployParams } from '../params/ecs-deploy-params.js';
import { abortableSleep } from './abortable-sleep.js';
import { deployerJournal } from './engine-journal.js';

/** How the executor waits between rollout polls. The deadline is measured on the engine clock. */
export interface EcsRolloutPolling {
  /** Waits between polls; must reject or return promptly once `signal` aborts. @default a real timer */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** @default 5000 */
  intervalMs?: number;
}

/** Options of {@link createEcsDeployExecutor}. */
export interface EcsDeployExecutorOptions {
  /** Builds the ECS client of each call with the stage's credentials and region. */
  sdk: AwsClientFactory;
  /** @default a real 5-second timer */
  poller?: EcsRolloutPolling;
}

const MINUTE_MS = 60_000;
const DEFAULT_TIMEOUT_MINUTES = 30;

/** The ECS:DEPLOY executor. */
export function createEcsDeployExecutor(
  options: EcsDeployExecutorOptions,
): StepExecutor<EcsDeployParams> {
  return defineStepExecutor<EcsDeployParams>({
    type: 'RAMPART:ECS:DEPLOY',
    paramsSchema: ecsDeployParams,
    iamActions: (params) => ecsDeployActions(params),
    async execute(ctx): Promise<StepOutcome> {
      const { params } = ctx;
      try {
        const result = await deployEcsService(
          ecsClient(options.sdk, ctx),
          {
            cluster: params.cluster_name,
            service: params.service_name,
            imageUrl: params.image_url,
            ...(params.reference_task_definition === undefined
              ? {}
              : { referenceTaskDefinition: params.reference_task_definition }),
            ...(params.container_name === undefined
              ? {}
              : { containerName: params.container_name }),
            waitForSteadyState: params.wait_for_steady_state,
            timeoutMs: params.timeout_minutes * MINUTE_MS,
          },
          io(options, ctx),
        );
        return {
          kind: 'succeeded',
          outputs: {
            task_definition_arn: result.taskDefinitionArn,
            previous_task_definition_arn: result.previousTaskDefinitionArn,
            service_arn: result.serviceArn,
          },
        };
      } catch (error) {
        return failed(error, ctx.signal);
      }
    },
    async rollback(ctx: RollbackContext<EcsDeployParams>): Promise<RollbackOutcome> {
      const to =
        text(ctx.targetOutputs, 'task_definition_arn') ??
        text(ctx.failedOutputs, 'previous_task_definition_arn');
      if (to === undefined) {
        return {
          kind: 'failed',
          message: `cannot tell which task definition to restore: revision ${ctx.toRevision} recorded no task_definition_arn for step "${ctx.step.name}" and the rolled-back run no previous_task_definition_arn`,
        };
      }
      const where = rollbackService(ctx);
      if (where === undefined) {
        return {
          kind: 'failed',
          message: `cannot tell which service to roll back: revision ${ctx.toRevision} has no params for step "${ctx.step.name}" and no run recorded a service_arn`,
        };
      }
      try {
        await rollbackEcsService(
          ecsClient(options.sdk, ctx),
          {
            cluster: where.cluster,
            service: where.service,
            taskDefinitionArn: to,
            timeoutMs: (ctx.targetParams?.timeout_minutes ?? DEFAULT_TIMEOUT_MINUTES) * MINUTE_MS,
          },
          io(options, ctx),
        );
        const outputs: JsonObject = { task_definition_arn: to };
        const serviceArn =
          text(ctx.targetOutputs, 'service_arn') ?? text(ctx.failedOutputs, 'service_arn');
        if (serviceArn !== undefined) outputs['service_arn'] = serviceArn;
        const from = text(ctx.failedOutputs, 'task_definition_arn');
        if (from !== undefined) outputs['previous_task_definition_arn'] = from;
        return { kind: 'succeeded', outputs };
      } catch (error) {
        const outcome = failed(error, ctx.signal);
        return { kind: 'failed', message: outcome.message };
      }
    },
  });
}

/** The IAM actions of ECS:DEPLOY, from core's catalog (the statements' resources do not matter here). */
export function ecsDeployActions(params: EcsDeployParams): string[] {
  const statements = STEP_TYPES['RAMPART:ECS:DEPLOY'].iam(params, {
    partition: 'aws',
    accountId: '000000000000',
    region: 'us-east-1',
    pipelineSlug: 'pipeline',
    stageName: 'stage',
  });
  return [...new Set(statements.flatMap((s) => s.Action))].sort();
}

function ecsClient(sdk: AwsClientFactory, ctx: StepRunContext) {
  return sdk.ecs({
    region: ctx.target.region,
    // A provider, not a snapshot: a long rollout outlives one set of stage credentials.
    credentials: async () => {
      const c = await ctx.credentials();
      return {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
        ...(c.expiration === undefined ? {} : { expiration: c.expiration }),
      };
    },
  });
}

function io(options: EcsDeployExecutorOptions, ctx: StepRunContext) {
  const poller: RolloutPoller = {
    sleep: options.poller?.sleep ?? abortableSleep,
    now: () => ctx.now(),
    ...(options.poller?.intervalMs === undefined ? {} : { intervalMs: options.poller.intervalMs }),
  };
  return {
    journal: deployerJournal(ctx.effects),
    log: (line: string) => ctx.log(line, 'info'),
    poller,
    signal: ctx.signal,
  };
}

/** Cluster and service: the restored revision's params, else parsed from a recorded service ARN. */
function rollbackService(
  ctx: RollbackContext<EcsDeployParams>,
): { cluster: string; service: string } | undefined {
  if (ctx.targetParams !== undefined) {
    return { cluster: ctx.targetParams.cluster_name, service: ctx.targetParams.service_name };
  }
  const arn = text(ctx.failedOutputs, 'service_arn') ?? text(ctx.targetOutputs, 'service_arn');
  // arn:aws:ecs:<region>:<account>:service/<cluster>/<service> (the long ARN format).
  const match = arn === undefined ? null : /:service\/([^/]+)\/([^/]+)$/.exec(arn);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { cluster: match[1], service: match[2] };
}

function failed(error: unknown, signal: AbortSignal): Extract<StepOutcome, { kind: 'failed' }> {
  if (signal.aborted) {
    return { kind: 'failed', code: 'cancelled', message: 'the step was stopped while it deployed' };
  }
  if (isRampartError(error)) {
    const hint = error.hint === undefined ? '' : ` (${error.hint})`;
    return { kind: 'failed', code: error.code, message: `${error.message}${hint}` };
  }
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  return {
    kind: 'failed',
    code: 'aws',
    message: `${name === '' || name === 'Error' ? '' : `${name}: `}${message}`,
  };
}

function text(outputs: JsonObject | undefined, key: string): string | undefined {
  const value = outputs?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
