import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV, STAGING } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  advance,
  deploymentLines,
  describeService,
  ecrClient,
  ecsClient,
  fargateDefinition,
  literalImage,
  pushImage,
  register,
  taskRole,
} from './test-support/ecs-sandbox.js';

const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
const BREAKER_ROLLBACK: DeploymentConfiguration = {
  deploymentCircuitBreaker: { enable: true, rollback: true },
};
const BREAKER_ONLY: DeploymentConfiguration = {
  deploymentCircuitBreaker: { enable: true, rollback: false },
};

describe('ECS rollouts on the sandbox clock', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let ecs: ECSClient;
  let v1: string;

  /** Creates `web` (2 tasks of v1) and waits until its first rollout completed. */
  async function steadyService(deploymentConfiguration?: DeploymentConfiguration): Promise<void> {
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'apps',
        serviceName: 'web',
        taskDefinition: v1,
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        ...(deploymentConfiguration ? { deploymentConfiguration } : {}),
      }),
    );
    await advance(sandbox, clock, 10_000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
  }

  const update = (taskDefinition: string) =>
    ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'web', taskDefinition }));

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    ecs = ecsClient(sandbox, sandbox.credentialsFor(DEV), clock);
  });
  beforeEach(async () => {
    sandbox.control.reset();
    await ecs.send(new CreateClusterCommand({ clusterName: 'apps' }));
    v1 = await register(ecs, fargateDefinition('web', 'nginx:1'));
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('replaces tasks one by one and completes the rollout when the old ones are drained', async () => {
    await steadyService();
    const v2 = await register(ecs, fargateDefinition('web', 'nginx:2'));
    const { service } = await update(v2);
    expect(service?.taskDefinition).toBe(v2);
    expect(service?.deployments?.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE']);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:2 IN_PROGRESS running=0 pending=1 failed=0',
      'ACTIVE web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
    await advance(sandbox, clock, 4999);
    expect((await deploymentLines(ecs, 'apps', 'web'))[0]).toBe(
      'PRIMARY web:2 IN_PROGRESS running=0 pending=1 failed=0',
    );
    await advance(sandbox, clock, 1);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:2 IN_PROGRESS running=1 pending=1 failed=0',
      'ACTIVE web:1 COMPLETED running=1 pending=0 failed=0',
    ]);
    await advance(sandbox, clock, 5000);
    const done = await describeService(ecs, 'apps', 'web');
    expect(done.deployments?.map((d) => `${d.status ?? ''} ${d.rolloutState ?? ''}`)).toEqual([
      'PRIMARY COMPLETED',
    ]);
    expect(done.events?.slice(0, 3).map((e) => e.message)).toEqual([
      '(service web) has reached a steady state.',
      `(service web) (deployment ${done.deployments?.[0]?.id ?? ''}) deployment completed.`,
      expect.stringMatching(
        /^\(service web\) has stopped 1 running tasks: \(task [0-9a-f]{32}\)\.$/,
      ),
    ]);
    const stopped = await ecs.send(
      new ListTasksCommand({ cluster: 'apps', serviceName: 'web', desiredStatus: 'STOPPED' }),
    );
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: 'apps', tasks: stopped.taskArns }),
    );
    expect(tasks?.map((t) => [t.taskDefinitionArn, t.stopCode, t.lastStatus])).toEqual([
      [v1, 'ServiceSchedulerInitiated', 'STOPPED'],
      [v1, 'ServiceSchedulerInitiated', 'STOPPED'],
    ]);
    expect(tasks?.[0]?.containers?.[0]?.exitCode).toBe(143);
  });

  it('forceNewDeployment redeploys the same task definition', async () => {
    await steadyService();
    const { service } = await ecs.send(
      new UpdateServiceCommand({ cluster: 'apps', service: 'web', forceNewDeployment: true }),
    );
    expect(service?.deployments?.map((d) => d.taskDefinition)).toEqual([v1, v1]);
    await advance(sandbox, clock, 10_000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
  });

  it('fails an unhealthy rollout with the circuit breaker and rolls back', async () => {
    await steadyService(BREAKER_ROLLBACK);
    const previous = (await describeService(ecs, 'apps', 'web')).deployments?.[0]?.id ?? '';
    const bad = literalImage();
    sandbox.control.markUnhealthy({ imageDigest: bad.digest });
    await update(await register(ecs, fargateDefinition('web', bad.image)));
    // Unhealthy tasks run until health checks fail them (30 s), each a failure; threshold 3.
    await advance(sandbox, clock, 5000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:2 IN_PROGRESS running=1 pending=1 failed=0',
      'ACTIVE web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
    await advance(sandbox, clock, 30_000);
    expect((await deploymentLines(ecs, 'apps', 'web'))[0]).toBe(
      'PRIMARY web:2 IN_PROGRESS running=1 pending=1 failed=1',
    );
    await advance(sandbox, clock, 35_000);
    const failed = await describeService(ecs, 'apps', 'web');
    expect(failed.deployments?.map((d) => [d.status, d.rolloutState, d.failedTasks])).toEqual([
      ['PRIMARY', 'IN_PROGRESS', 0],
      ['ACTIVE', 'FAILED', 3],
    ]);
    expect(failed.deployments?.[0]?.id).toBe(previous);
    expect(failed.deployments?.[0]?.rolloutStateReason).toBe(
      `ECS deployment circuit breaker: rolling back to deploymentId ${previous}.`,
    );
    expect(failed.deployments?.[1]?.rolloutStateReason).toBe(
      'ECS deployment circuit breaker: tasks failed to start.',
    );
    expect(failed.taskDefinition).toBe(v1);
    await advance(sandbox, clock, 5000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
    const messages = (await describeService(ecs, 'apps', 'web')).events?.map((e) => e.message);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^\(service web\) \(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start\.$/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^\(service web\) \(task [0-9a-f]{32}\) failed container health checks\.$/,
      ),
    );
  });

  it('with the circuit breaker but no rollback, a failed rollout stays FAILED and stops launching', async () => {
    await steadyService(BREAKER_ONLY);
    const bad = literalImage();
    sandbox.control.markUnhealthy({ imageDigest: bad.digest });
    await update(await register(ecs, fargateDefinition('web', bad.image)));
    await advance(sandbox, clock, 70_000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:2 FAILED running=1 pending=0 failed=3',
      'ACTIVE web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
    await advance(sandbox, clock, 60_000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:2 FAILED running=0 pending=0 failed=4',
      'ACTIVE web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
  });

  it('without the circuit breaker, an unhealthy image rolls out and runs', async () => {
    await steadyService();
    const bad = literalImage();
    sandbox.control.markUnhealthy({ imageDigest: bad.digest });
    await update(await register(ecs, fargateDefinition('web', bad.image)));
    await advance(sandbox, clock, 10_000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:2 COMPLETED running=2 pending=0 failed=0',
    ]);
  });

  it('fails tasks whose image is missing from the registry: a rollout stays IN_PROGRESS, or the breaker trips', async () => {
    const ecr = ecrClient(sandbox, sandbox.credentialsFor(DEV), clock);
    const { repositoryUri } = await pushImage(ecr, 'web', 'v1');
    const missing = `${repositoryUri}:v404`;
    await steadyService();
    await update(
      await register(
        ecs,
        fargateDefinition(
          'web',
          missing,
          {},
          { executionRoleArn: await taskRole(sandbox, clock, DEV, 'exec') },
        ),
      ),
    );
    await advance(sandbox, clock, 60_000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:2 IN_PROGRESS running=0 pending=1 failed=12',
      'ACTIVE web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
    const stopped = await ecs.send(
      new ListTasksCommand({ cluster: 'apps', desiredStatus: 'STOPPED' }),
    );
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: 'apps', tasks: stopped.taskArns?.slice(0, 1) }),
    );
    expect(tasks?.[0]).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${missing}: ${missing}: not found`,
    });

    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'apps',
        service: 'web',
        taskDefinition: v1,
        deploymentConfiguration: BREAKER_ROLLBACK,
      }),
    );
    // The failing launch in flight ends first, then two v1 tasks start.
    await advance(sandbox, clock, 15_000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
    const v3 = await register(
      ecs,
      fargateDefinition(
        'web',
        missing,
        {},
        { executionRoleArn: await taskRole(sandbox, clock, DEV, 'exec2') },
      ),
    );
    await update(v3);
    await advance(sandbox, clock, 15_000);
    expect((await deploymentLines(ecs, 'apps', 'web'))[1]).toBe(
      'ACTIVE web:3 FAILED running=0 pending=0 failed=3',
    );
    await advance(sandbox, clock, 5_000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
  });

  it('pulls images from ECR: by tag in its own account, across accounts only when the policy allows', async () => {
    const ecr = ecrClient(sandbox, sandbox.credentialsFor(STAGING), clock);
    const { repositoryUri, digest } = await pushImage(ecr, 'shared', 'v1');
    const devEcs = ecs;
    const exec = await taskRole(sandbox, clock, DEV, 'exec');
    const image = `${repositoryUri}:v1`;
    const cross = await register(
      devEcs,
      fargateDefinition('web', image, {}, { executionRoleArn: exec }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'apps',
        serviceName: 'web',
        taskDefinition: cross,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    await advance(sandbox, clock, 5000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:2 IN_PROGRESS running=0 pending=1 failed=1',
    ]);
    const { taskArns } = await ecs.send(
      new ListTasksCommand({ cluster: 'apps', desiredStatus: 'STOPPED' }),
    );
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: 'apps', tasks: taskArns }),
    );
    expect(tasks?.[0]?.stoppedReason).toContain('403 Forbidden');

    await ecr.send(
      new SetRepositoryPolicyCommand({
        repositoryName: 'shared',
        policyText: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${DEV}:root` },
              Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            },
          ],
        }),
      }),
    );
    await advance(sandbox, clock, 5000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:2 COMPLETED running=1 pending=0 failed=1',
    ]);
    const running = await ecs.send(new ListTasksCommand({ cluster: 'apps' }));
    const described = await ecs.send(
      new DescribeTasksCommand({ cluster: 'apps', tasks: running.taskArns }),
    );
    expect(described.tasks?.[0]?.containers?.[0]?.imageDigest).toBe(digest);
  });
});
