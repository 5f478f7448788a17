// ECS:RUN_TASK: run a one-off task (a migration, a batch job), follow its container output in
// CloudWatch Logs and wait until it stops; the container's exit code decides. The task is started
// with a client token derived from the attempt's journal key, so a re-run of the same attempt
// follows the task it started instead of starting a second one.
import { createHash } from 'node:crypto';
// The SDK's commands are imported where they are sent, on first use, not with this module: see
// AwsClientFactory in @rampart/aws.
import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import type { AwsClientFactory } from '@rampart/aws';
import {
  defineStepExecutor,
  type StepContext,
  type StepExecutor,
  type StepOutcome,
} from '@rampart/engine';
import { catalogActions } from '../aws-step/catalog-actions.js';
import { PollTimeout, pollUntil, type StepPolling } from '../aws-step/poll.js';
import { stageClientTarget } from '../aws-step/stage-client.js';
import { stepFailure, type FailedOutcome } from '../aws-step/step-failure.js';
import { ecsRunTaskParams, type EcsRunTaskParams } from './ecs-run-task-params.js';
import { TaskLogTail, taskLogStreams } from './task-log-tail.js';

/** Options of {@link createEcsRunTaskExecutor}. */
export interface EcsRunTaskExecutorOptions {
  /** Builds the ECS and CloudWatch Logs clients with the stage's credentials. */
  sdk: AwsClientFactory;
  /** @default a real 5-second timer */
  poller?: StepPolling;
}

const MINUTE_MS = 60_000;

/** The ECS:RUN_TASK executor. */
export function createEcsRunTaskExecutor(
  options: EcsRunTaskExecutorOptions,
): StepExecutor<EcsRunTaskParams> {
  return defineStepExecutor<EcsRunTaskParams>({
    type: 'RAMPART:ECS:RUN_TASK',
    paramsSchema: ecsRunTaskParams,
    iamActions: (params) => catalogActions('RAMPART:ECS:RUN_TASK', params),
    async execute(ctx): Promise<StepOutcome> {
      const { params } = ctx;
      const ecs = options.sdk.ecs(stageClientTarget(ctx));
      const { DescribeTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
      let taskArn: string | undefined;
      try {
        const described = await ecs.send(
          new DescribeTaskDefinitionCommand({ taskDefinition: params.task_definition }),
        );
        const containers = described.taskDefinition?.containerDefinitions ?? [];
        const container = params.container_name ?? containers[0]?.name;
        if (container === undefined || !containers.some((c) => c.name === container)) {
          return {
            kind: 'failed',
            code: 'not-found',
            message: `task definition ${params.task_definition} has no container ${JSON.stringify(container ?? '')}; its containers: ${containers.map((c) => c.name ?? '?').join(', ') || 'none'}`,
          };
        }
        taskArn = await startedTask(ecs, ctx, container);
        const taskId = taskArn.split('/').pop() ?? taskArn;
        const tail = new TaskLogTail(
          taskLogStreams(containers, taskId, ctx.target.region),
          (region) => options.sdk.cloudWatchLogs(stageClientTarget(ctx, region)),
          (line, stream) => ctx.log(line, stream),
        );
        const arn = taskArn;
        let stopped: Task;
        try {
          stopped = await pollUntil(
            ctx,
            options.poller,
            async () => {
              const task = await describeTask(ecs, params.cluster_name, arn);
              await tail.drain();
              return task.lastStatus === 'STOPPED' ? task : undefined;
            },
            params.timeout_minutes === undefined ? undefined : params.timeout_minutes * MINUTE_MS,
          );
        } catch (error) {
          if (!(error instanceof PollTimeout)) throw error;
          await stopTask(ecs, params.cluster_name, arn, 'the ECS:RUN_TASK step timed out');
          await tail.drain();
          return {
            kind: 'failed',
            code: 'timeout',
            message: `task ${taskId} ran longer than timeout_minutes (${params.timeout_minutes ?? 0}) and was stopped`,
          };
        }
        await tail.drain();
        return finished(stopped, container, taskId);
      } catch (error) {
        if (ctx.signal.aborted && taskArn !== undefined) {
          await stopTask(ecs, params.cluster_name, taskArn, 'the step was stopped');
        }
        return stepFailure(error, ctx.signal, 'ran the task');
      }
    },
  });
}

/** Starts the attempt's task, or finds the one it started before (journal, else client token). */
async function startedTask(
  ecs: ECSClient,
  ctx: StepContext<EcsRunTaskParams>,
  container: string,
): Promise<string> {
  const journaled = (await ctx.effects.get())['taskArn'];
  if (typeof journaled === 'string') {
    ctx.log(`ecs: resuming with task ${journaled}`, 'info');
    return journaled;
  }
  const { params } = ctx;
  const { RunTaskCommand } = await import('@aws-sdk/client-ecs');
  const environment = Object.entries(params.environment).map(([name, value]) => ({ name, value }));
  const override =
    params.command === undefined && environment.length === 0
      ? undefined
      : {
          name: container,
          ...(params.command === undefined ? {} : { command: params.command }),
          ...(environment.length === 0 ? {} : { environment }),
        };
  const out = await ecs.send(
    new RunTaskCommand({
      cluster: params.cluster_name,
      taskDefinition: params.task_definition,
      launchType: params.launch_type,
      count: 1,
      startedBy: 'rampart',
      // ECS returns the same task for a repeated token: a crash before the journal write is safe.
      clientToken: createHash('sha256').update(ctx.journalKey).digest('hex').slice(0, 64),
      ...(params.subnets === undefined
        ? {}
        : {
            networkConfiguration: {
              awsvpcConfiguration: {
                subnets: params.subnets,
                ...(params.security_groups === undefined
                  ? {}
                  : { securityGroups: params.security_groups }),
              },
            },
          }),
      ...(override === undefined ? {} : { overrides: { containerOverrides: [override] } }),
    }),
  );
  const arn = out.tasks?.[0]?.taskArn;
  if (arn === undefined) {
    const why = (out.failures ?? []).map(
      (f) => `${f.reason ?? '?'}${f.detail === undefined ? '' : ` (${f.detail})`}`,
    );
    throw new Error(`ECS started no task: ${why.join('; ') || 'no reason given'}`);
  }
  await ctx.effects.put('taskArn', arn);
  ctx.log(`ecs: started task ${arn} of ${params.task_definition}`, 'info');
  return arn;
}

async function describeTask(ecs: ECSClient, cluster: string, arn: string): Promise<Task> {
  const { DescribeTasksCommand } = await import('@aws-sdk/client-ecs');
  const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [arn] }));
  const task = out.tasks?.[0];
  if (task === undefined) {
    const reason = out.failures?.[0]?.reason ?? 'not found';
    throw new Error(`task ${arn} cannot be described: ${reason}`);
  }
  return task;
}

/** Stops the task; a failure to stop it is not the step's failure (it is reported elsewhere). */
async function stopTask(ecs: ECSClient, cluster: string, arn: string, reason: string) {
  const { StopTaskCommand } = await import('@aws-sdk/client-ecs');
  await ecs
    .send(new StopTaskCommand({ cluster, task: arn, reason: `Rampart: ${reason}` }))
    .catch(() => undefined);
}

/** The step's outcome from the stopped task and the exit code of `container`. */
function finished(task: Task, container: string, taskId: string): StepOutcome {
  const ran = task.containers?.find((c) => c.name === container);
  const exitCode = ran?.exitCode;
  const why = [task.stoppedReason, ran?.reason]
    .filter((r) => r !== undefined && r !== '')
    .join('; ');
  if (exitCode === undefined) {
    return failedTask(
      `task ${taskId} stopped before container ${container} ran${why === '' ? '' : `: ${why}`}`,
    );
  }
  if (exitCode !== 0) {
    return failedTask(
      `container ${container} of task ${taskId} exited with code ${exitCode}${why === '' ? '' : ` (${why})`}`,
    );
  }
  return { kind: 'succeeded', outputs: { task_arn: task.taskArn ?? '', exit_code: exitCode } };
}

function failedTask(message: string): FailedOutcome {
  return { kind: 'failed', code: 'task-failed', message };
}
