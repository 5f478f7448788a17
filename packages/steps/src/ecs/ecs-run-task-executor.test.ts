import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AwsClientFactory } from '@rampart/aws';
import { ManualClock, startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import type { JsonValue } from '@rampart/engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalogStatements, scopedCredentials } from '../test-support/scoped-role.js';
import {
  TEST_TARGET,
  parseParams,
  stepContext,
  type HarnessOptions,
} from '../test-support/step-context.js';
import { createEcsRunTaskExecutor } from './ecs-run-task-executor.js';
import { ecsRunTaskParams } from './ecs-run-task-params.js';

const STAGING = '444444444444';
const REGION = 'us-east-1';

describe('ECS:RUN_TASK against the sandbox', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let sdk: AwsClientFactory;
  const admin = () => sdk.ecs({ region: REGION, credentials: sandbox.credentialsFor(STAGING) });
  const executor = () =>
    createEcsRunTaskExecutor({
      sdk,
      poller: {
        intervalMs: 5000,
        sleep: async (ms) => {
          clock.advance(ms);
          await sandbox.control.tick();
        },
      },
    });
  const run = async (raw: Record<string, unknown>, options: HarnessOptions = {}) => {
    const full = { cluster_name: 'jobs', task_definition: 'migrate', launch_type: 'EC2', ...raw };
    const credentials = await scopedCredentials(
      sandbox,
      sdk,
      STAGING,
      catalogStatements('RAMPART:ECS:RUN_TASK', full, STAGING, REGION),
    );
    const h = stepContext(parseParams(ecsRunTaskParams, full), {
      target: { ...TEST_TARGET, accountId: STAGING, region: REGION },
      credentials,
      now: () => clock.now(),
      ...options,
    });
    return { ...h, outcome: await executor().execute(h.ctx) };
  };
  const stoppedTasks = async (cluster = 'jobs') =>
    (await admin().send(new ListTasksCommand({ cluster, desiredStatus: 'STOPPED' }))).taskArns ??
    [];

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, clock, maxAttempts: 1 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(async () => {
    sandbox.control.reset();
    const creds = sandbox.credentialsFor(STAGING);
    await sdk
      .cloudWatchLogs({ region: REGION, credentials: creds })
      .send(new CreateLogGroupCommand({ logGroupName: '/jobs/migrate' }));
    for (const cluster of ['jobs', 'other']) {
      await admin().send(new CreateClusterCommand({ clusterName: cluster }));
    }
    await admin().send(
      new RegisterTaskDefinitionCommand({
        family: 'migrate',
        containerDefinitions: [
          {
            name: 'app',
            image: 'registry.example/app:1',
            memory: 256,
            environment: [{ name: 'SANDBOX_LOG_LINES', value: 'connecting\nmigrated 3 tables' }],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/jobs/migrate',
                'awslogs-region': REGION,
                'awslogs-stream-prefix': 'run',
              },
            },
          },
        ],
      }),
    );
  });

  it('runs the task with the overrides, streams its log and succeeds on exit code 0', async () => {
    const { outcome, logs } = await run({
      command: ['npm', 'run', 'migrate'],
      environment: { SANDBOX_RUN_SECONDS: 20, DRY_RUN: false },
    });
    expect(outcome.kind).toBe('succeeded');
    const arn = outcome.kind === 'succeeded' ? (outcome.outputs['task_arn'] as string) : '';
    expect(outcome.kind === 'succeeded' && outcome.outputs).toEqual({
      task_arn: arn,
      exit_code: 0,
    });
    expect(arn).toMatch(new RegExp(`^arn:aws:ecs:${REGION}:${STAGING}:task/jobs/[0-9a-f]{32}$`));
    const stdout = logs.filter((l) => l.stream === 'stdout').map((l) => l.text);
    expect(stdout).toEqual(['connecting', 'migrated 3 tables']);
    const task = (await admin().send(new DescribeTasksCommand({ cluster: 'jobs', tasks: [arn] })))
      .tasks?.[0];
    expect(task?.overrides?.containerOverrides?.[0]).toMatchObject({
      name: 'app',
      command: ['npm', 'run', 'migrate'],
      environment: [
        { name: 'SANDBOX_RUN_SECONDS', value: '20' },
        { name: 'DRY_RUN', value: 'false' },
      ],
    });
  });

  it('fails on a non-zero exit code, and stops a task that outlives timeout_minutes', async () => {
    const failed = await run({ environment: { SANDBOX_EXIT_CODE: 3 } });
    expect(failed.outcome).toMatchObject({ kind: 'failed', code: 'task-failed' });
    expect(failed.outcome.kind === 'failed' && failed.outcome.message).toMatch(
      /^container app of task [0-9a-f]{32} exited with code 3 \(Essential container in task exited\)$/,
    );

    const slow = await run(
      { environment: { SANDBOX_RUN_SECONDS: 'forever' }, timeout_minutes: 1 },
      { journalKey: 'pl-1:7/0/r2/s0/c1' },
    );
    expect(slow.outcome).toMatchObject({ kind: 'failed', code: 'timeout' });
    const arns = await stoppedTasks();
    const stopped = await admin().send(new DescribeTasksCommand({ cluster: 'jobs', tasks: arns }));
    expect(stopped.tasks?.map((t) => t.stoppedReason).sort()).toEqual([
      'Essential container in task exited',
      'Rampart: the ECS:RUN_TASK step timed out',
    ]);
  });

  it('starts one task per attempt, with or without its journal', async () => {
    const journal = new Map<string, JsonValue>();
    const first = await run({}, { journal });
    const again = await run({}, { journal });
    expect(again.outcome).toEqual(first.outcome);
    expect(again.logs.map((l) => l.text)).toContainEqual(
      expect.stringMatching(/^ecs: resuming with task /),
    );
    // A crash before the journal write: ECS returns the task of the same client token.
    const lost = await run({});
    expect(lost.outcome).toEqual(first.outcome);
    expect(await stoppedTasks()).toHaveLength(1);
    await run({}, { journalKey: 'pl-1:7/0/r2/s0/c1' });
    expect(await stoppedTasks()).toHaveLength(2);
  });

  it('is denied another cluster, and refuses unknown containers and bad params', async () => {
    const credentials = await scopedCredentials(
      sandbox,
      sdk,
      STAGING,
      catalogStatements(
        'RAMPART:ECS:RUN_TASK',
        { cluster_name: 'jobs', task_definition: 'migrate' },
        STAGING,
        REGION,
      ),
    );
    const elsewhere = stepContext(
      parseParams(ecsRunTaskParams, {
        cluster_name: 'other',
        task_definition: 'migrate',
        launch_type: 'EC2',
      }),
      {
        target: { ...TEST_TARGET, accountId: STAGING, region: REGION },
        credentials,
        now: () => clock.now(),
      },
    );
    const denied = await executor().execute(elsewhere.ctx);
    expect(denied.kind === 'failed' && denied.message).toMatch(
      /^AccessDeniedException: .*ecs:RunTask/,
    );
    expect(await stoppedTasks('other')).toEqual([]);

    const wrong = await run({ container_name: 'web' });
    expect(wrong.outcome).toEqual({
      kind: 'failed',
      code: 'not-found',
      message: 'task definition migrate has no container "web"; its containers: app',
    });
    const parsed = ecsRunTaskParams.safeParse({
      cluster_name: 'jobs',
      task_definition: 'migrate',
      environment: { TOKEN: '[SECRET:T]', LIST: [1] },
      subnets: ['vpc-1'],
    });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual([
      'subnets.0',
    ]);
    const unresolved = ecsRunTaskParams.safeParse({
      cluster_name: 'jobs',
      task_definition: 'migrate',
      environment: { TOKEN: '[SECRET:T]', LIST: [1] },
    });
    expect(unresolved.success ? [] : unresolved.error.issues.map((i) => i.path.join('.'))).toEqual([
      'environment.TOKEN',
      'environment.LIST',
    ]);
    expect(
      executor().iamActions(
        parseParams(ecsRunTaskParams, { cluster_name: 'jobs', task_definition: 'migrate' }),
      ),
    ).toEqual([
      'ecs:DescribeTaskDefinition',
      'ecs:DescribeTasks',
      'ecs:RunTask',
      'ecs:StopTask',
      'iam:PassRole',
      'logs:GetLogEvents',
    ]);
  });
});
