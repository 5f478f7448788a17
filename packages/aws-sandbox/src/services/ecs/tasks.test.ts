import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  CreateClusterCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  advance,
  ecsClient,
  fargateDefinition,
  following,
  register,
  taskRole,
  userWithPolicy,
} from './test-support/ecs-sandbox.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
const env = (values: Record<string, string>) =>
  Object.entries(values).map(([name, value]) => ({ name, value }));

describe('ECS tasks', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let ecs: ECSClient;
  let logs: CloudWatchLogsClient;
  let job: string;

  const run = (input: Partial<RunTaskCommandInput> = {}) =>
    ecs.send(
      new RunTaskCommand({
        cluster: 'jobs',
        taskDefinition: job,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        ...input,
      }),
    );

  async function describeTask(arn: string | undefined): Promise<Task> {
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: 'jobs', tasks: [arn ?? ''], include: ['TAGS'] }),
    );
    const task = tasks?.[0];
    if (!task) throw new Error(`no task ${arn ?? ''}`);
    return task;
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    ecs = ecsClient(sandbox, sandbox.credentialsFor(DEV), clock);
    logs = following(
      clock,
      new CloudWatchLogsClient(clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock })),
    );
  });
  beforeEach(async () => {
    sandbox.control.reset();
    await ecs.send(new CreateClusterCommand({ clusterName: 'jobs' }));
    const exec = await taskRole(sandbox, clock, DEV, 'exec');
    job = await register(
      ecs,
      fargateDefinition(
        'job',
        'public.ecr.aws/docker/library/busybox:latest',
        {
          name: 'job',
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/jobs', 'awslogs-stream-prefix': 'jobs' },
          },
        },
        { executionRoleArn: exec, tags: [{ key: 'app', value: 'jobs' }] },
      ),
    );
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('moves a task PROVISIONING → PENDING → RUNNING → STOPPED; by default it exits 0 at once', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/jobs' }));
    const { tasks, failures } = await run({ tags: [{ key: 'run', value: '1' }] });
    expect(failures).toEqual([]);
    const task = tasks?.[0];
    expect(task?.taskArn).toMatch(
      new RegExp(`^arn:aws:ecs:us-east-1:${DEV}:task/jobs/[0-9a-f]{32}$`),
    );
    expect(task).toMatchObject({
      clusterArn: `arn:aws:ecs:us-east-1:${DEV}:cluster/jobs`,
      taskDefinitionArn: job,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      group: 'family:job',
      cpu: '256',
      memory: '512',
      tags: [{ key: 'run', value: '1' }],
      containers: [{ name: 'job', lastStatus: 'PENDING' }],
    });
    expect(task?.createdAt?.toISOString()).toBe(clock.now().toISOString());
    await advance(sandbox, clock, 2500);
    expect((await describeTask(task?.taskArn)).lastStatus).toBe('PENDING');
    await advance(sandbox, clock, 2500);
    const stopped = await describeTask(task?.taskArn);
    expect(stopped).toMatchObject({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'job', lastStatus: 'STOPPED', exitCode: 0 }],
    });
    expect(stopped.startedAt?.getTime()).toBe(stopped.stoppedAt?.getTime());
  });

  it('takes its exit code, run time and log lines from the environment, after overrides', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/jobs' }));
    const { tasks } = await run({
      overrides: {
        containerOverrides: [
          {
            name: 'job',
            command: ['migrate'],
            environment: env({
              SANDBOX_EXIT_CODE: '3',
              SANDBOX_RUN_SECONDS: '30',
              SANDBOX_LOG_LINES: 'migrating\nfailed: duplicate key',
            }),
          },
        ],
      },
      startedBy: 'rampart',
    });
    const arn = tasks?.[0]?.taskArn;
    const id = arn?.split('/').pop() ?? '';
    expect(tasks?.[0]?.overrides?.containerOverrides?.[0]?.command).toEqual(['migrate']);
    await advance(sandbox, clock, 5000);
    const running = await describeTask(arn);
    expect(running).toMatchObject({ lastStatus: 'RUNNING', startedBy: 'rampart' });
    expect(running.containers?.[0]?.exitCode).toBeUndefined();
    const { events } = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/jobs', logStreamName: `jobs/job/${id}` }),
    );
    expect(events?.map((e) => e.message)).toEqual(['migrating', 'failed: duplicate key']);
    expect(events?.[0]?.timestamp).toBe(running.startedAt?.getTime());
    await advance(sandbox, clock, 29_999);
    expect((await describeTask(arn)).lastStatus).toBe('RUNNING');
    await advance(sandbox, clock, 1);
    expect(await describeTask(arn)).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      containers: [{ exitCode: 3 }],
    });
  });

  it('creates the log group with awslogs-create-group, and fails the start without a group', async () => {
    const exec = await taskRole(sandbox, clock, DEV, 'exec2');
    const creating = await register(
      ecs,
      fargateDefinition(
        'creating',
        'busybox',
        {
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/new', 'awslogs-create-group': 'true' },
          },
        },
        { executionRoleArn: exec },
      ),
    );
    await run({ taskDefinition: creating });
    const { tasks } = await run();
    await advance(sandbox, clock, 5000);
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));
    expect(logGroups?.map((group) => group.logGroupName)).toEqual(['/ecs/new']);
    expect(await describeTask(tasks?.[0]?.taskArn)).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: expect.stringContaining(
        'ResourceInitializationError: failed to validate logger args',
      ) as string,
    });
  });

  it('stops a task on request, lists tasks by status and forgets stopped ones after an hour', async () => {
    const forever = { SANDBOX_RUN_SECONDS: 'forever' };
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/jobs' }));
    const { tasks } = await run({
      count: 3,
      group: 'batch',
      overrides: { containerOverrides: [{ name: 'job', environment: env(forever) }] },
    });
    expect(tasks?.map((t) => t.group)).toEqual(['batch', 'batch', 'batch']);
    const [first, second] = tasks ?? [];
    await advance(sandbox, clock, 5000);
    const { task } = await ecs.send(
      new StopTaskCommand({ cluster: 'jobs', task: first?.taskArn, reason: 'rollback' }),
    );
    expect(task).toMatchObject({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'rollback',
      containers: [{ exitCode: 143 }],
    });
    // A task stopped before it ran has no exit code.
    const pending = await run();
    const early = await ecs.send(
      new StopTaskCommand({ cluster: 'jobs', task: pending.tasks?.[0]?.taskArn?.split('/').pop() }),
    );
    expect(early.task?.stoppedReason).toBe('Task stopped by user');
    expect(early.task?.containers?.[0]?.exitCode).toBeUndefined();

    const runningArns = (await ecs.send(new ListTasksCommand({ cluster: 'jobs' }))).taskArns;
    expect(runningArns?.sort()).toEqual([second?.taskArn, tasks?.[2]?.taskArn].sort());
    const stoppedArns = (
      await ecs.send(new ListTasksCommand({ cluster: 'jobs', desiredStatus: 'STOPPED' }))
    ).taskArns;
    expect(stoppedArns).toHaveLength(2);
    expect(
      (await ecs.send(new ListTasksCommand({ cluster: 'jobs', family: 'other' }))).taskArns,
    ).toEqual([]);
    expect(
      (await ecs.send(new ListTasksCommand({ cluster: 'jobs', maxResults: 1 }))).nextToken,
    ).toBeDefined();

    const described = await ecs.send(
      new DescribeTasksCommand({ cluster: 'jobs', tasks: [first?.taskArn ?? '', 'f'.repeat(32)] }),
    );
    expect(described.tasks?.[0]?.tags).toBeUndefined();
    expect(described.failures).toEqual([
      { arn: `arn:aws:ecs:us-east-1:${DEV}:task/jobs/${'f'.repeat(32)}`, reason: 'MISSING' },
    ]);
    await advance(sandbox, clock, 3_600_000);
    const later = await ecs.send(
      new DescribeTasksCommand({ cluster: 'jobs', tasks: [first?.taskArn ?? ''] }),
    );
    expect(later.failures?.[0]?.reason).toBe('MISSING');
  });

  it('accepts a capacity provider strategy in place of a launch type', async () => {
    const { tasks } = await run({
      launchType: undefined,
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    });
    expect(tasks?.[0]).toMatchObject({
      capacityProviderName: 'FARGATE_SPOT',
      platformVersion: '1.4.0',
    });
    expect(tasks?.[0]?.launchType).toBeUndefined();
    const both = await rejection(
      run({ capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }] }),
    );
    expect(both).toBeInstanceOf(InvalidParameterException);
  });

  it('returns the same tasks for the same client token, and propagates tags on request', async () => {
    const a = await run({ clientToken: 'once', propagateTags: 'TASK_DEFINITION' });
    const b = await run({ clientToken: 'once' });
    expect(b.tasks?.map((t) => t.taskArn)).toEqual(a.tasks?.map((t) => t.taskArn));
    expect(a.tasks?.[0]?.tags).toEqual([{ key: 'app', value: 'jobs' }]);
  });

  it('refuses bad input with ECS exceptions', async () => {
    const cases: [Partial<RunTaskCommandInput>, new (...args: never[]) => Error, string][] = [
      [{ count: 11 }, InvalidParameterException, 'count must be between 1 and 10.'],
      [
        { overrides: { containerOverrides: [{ name: 'nope' }] } },
        InvalidParameterException,
        'Override for container named nope is not a container in the TaskDefinition.',
      ],
      [
        {
          overrides: {
            containerOverrides: [{ name: 'job', environment: env({ SANDBOX_EXIT_CODE: 'x' }) }],
          },
        },
        InvalidParameterException,
        'SANDBOX_EXIT_CODE of container job must be an integer from 0 to 255, got "x".',
      ],
      [
        { networkConfiguration: undefined },
        InvalidParameterException,
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      ],
      [{ taskDefinition: 'missing:1' }, ClientException, 'TaskDefinition not found.'],
      [{ cluster: 'nope' }, ClusterNotFoundException, 'Cluster not found.'],
    ];
    for (const [input, type, message] of cases) {
      const error = await rejection(run(input));
      expect(error, message).toBeInstanceOf(type);
      expect(error.message).toBe(message);
    }
    const ec2Only = await register(ecs, {
      family: 'ec2',
      containerDefinitions: [{ name: 'app', image: 'busybox', memory: 128 }],
    });
    const fargate = await rejection(run({ taskDefinition: ec2Only }));
    expect(fargate.message).toBe('Task definition does not support launch_type FARGATE.');
    expect(
      await rejection(ecs.send(new StopTaskCommand({ cluster: 'jobs', task: 'a'.repeat(32) }))),
    ).toBeInstanceOf(InvalidParameterException);
  });

  it('authorizes RunTask on the task definition with ecs:cluster, and PassRole for role overrides', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'other' }));
    const role = await taskRole(sandbox, clock, DEV, 'override');
    const runner = ecsClient(
      sandbox,
      await userWithPolicy(sandbox, clock, DEV, 'runner', [
        {
          Effect: 'Allow',
          Action: 'ecs:RunTask',
          Resource: `arn:aws:ecs:us-east-1:${DEV}:task-definition/job:*`,
          Condition: { ArnEquals: { 'ecs:cluster': `arn:aws:ecs:us-east-1:${DEV}:cluster/jobs` } },
        },
        { Effect: 'Allow', Action: 'ecs:DescribeTasks', Resource: '*' },
      ]),
      clock,
    );
    const input = {
      taskDefinition: job,
      launchType: 'FARGATE' as const,
      networkConfiguration: NETWORK,
    };
    const { tasks } = await runner.send(new RunTaskCommand({ cluster: 'jobs', ...input }));
    await runner.send(
      new DescribeTasksCommand({ cluster: 'jobs', tasks: [tasks?.[0]?.taskArn ?? ''] }),
    );
    const otherCluster = await rejection(
      runner.send(new RunTaskCommand({ cluster: 'other', ...input })),
    );
    expect(otherCluster).toBeInstanceOf(AccessDeniedException);
    expect(otherCluster.message).toContain(`ecs:RunTask on resource: ${job}`);
    const pass = await rejection(
      runner.send(
        new RunTaskCommand({ cluster: 'jobs', ...input, overrides: { taskRoleArn: role } }),
      ),
    );
    expect(pass).toBeInstanceOf(AccessDeniedException);
    expect(pass.message).toContain(`iam:PassRole on resource: ${role}`);
    const tagged = await rejection(
      runner.send(
        new RunTaskCommand({ cluster: 'jobs', ...input, tags: [{ key: 'k', value: 'v' }] }),
      ),
    );
    expect(tagged.message).toContain('ecs:TagResource');
    // The failed RunTask left no task behind.
    expect((await ecs.send(new ListTasksCommand({ cluster: 'jobs' }))).taskArns).toHaveLength(1);
    expect(
      await rejection(
        runner.send(new StopTaskCommand({ cluster: 'jobs', task: tasks?.[0]?.taskArn })),
      ),
    ).toBeInstanceOf(AccessDeniedException);
  });
});
