import {
  AccessDeniedException,
  ClusterContainsServicesException,
  ClusterContainsTasksException,
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DescribeClustersCommand,
  InvalidParameterException,
  ListClustersCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  ecsClient,
  fargateDefinition,
  register,
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

describe('ECS clusters', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let ecs: ECSClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    ecs = ecsClient(sandbox, sandbox.credentialsFor(DEV), clock);
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates a cluster idempotently and describes it, with failures for missing ones', async () => {
    const { cluster } = await ecs.send(
      new CreateClusterCommand({ clusterName: 'apps', tags: [{ key: 'team', value: 'core' }] }),
    );
    expect(cluster).toMatchObject({
      clusterArn: `arn:aws:ecs:us-east-1:${DEV}:cluster/apps`,
      clusterName: 'apps',
      status: 'ACTIVE',
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      settings: [{ name: 'containerInsights', value: 'disabled' }],
      tags: [{ key: 'team', value: 'core' }],
    });
    const again = await ecs.send(new CreateClusterCommand({ clusterName: 'apps' }));
    expect(again.cluster?.tags).toEqual([{ key: 'team', value: 'core' }]);

    const described = await ecs.send(
      new DescribeClustersCommand({
        clusters: ['apps', `arn:aws:ecs:us-east-1:${DEV}:cluster/apps`, 'nope'],
        include: ['TAGS'],
      }),
    );
    expect(described.clusters?.map((c) => c.clusterName)).toEqual(['apps', 'apps']);
    expect(described.clusters?.[0]?.tags).toEqual([{ key: 'team', value: 'core' }]);
    expect(described.failures).toEqual([
      { arn: `arn:aws:ecs:us-east-1:${DEV}:cluster/nope`, reason: 'MISSING' },
    ]);
    const plain = await ecs.send(new DescribeClustersCommand({ clusters: ['apps'] }));
    expect(plain.clusters?.[0]?.tags).toBeUndefined();
    // No names: the default cluster, which does not exist yet.
    const defaults = await ecs.send(new DescribeClustersCommand({}));
    expect(defaults.failures?.[0]?.arn).toBe(`arn:aws:ecs:us-east-1:${DEV}:cluster/default`);
  });

  it('lists clusters page by page and refuses bad paging parameters', async () => {
    for (const name of ['a', 'b', 'c']) {
      await ecs.send(new CreateClusterCommand({ clusterName: name }));
    }
    const first = await ecs.send(new ListClustersCommand({ maxResults: 2 }));
    expect(first.clusterArns).toHaveLength(2);
    expect(first.nextToken).toBeDefined();
    const second = await ecs.send(
      new ListClustersCommand({ maxResults: 2, nextToken: first.nextToken }),
    );
    expect(second.clusterArns).toEqual([`arn:aws:ecs:us-east-1:${DEV}:cluster/c`]);
    expect(second.nextToken).toBeUndefined();
    expect(
      await rejection(ecs.send(new ListClustersCommand({ nextToken: 'garbage' }))),
    ).toBeInstanceOf(InvalidParameterException);
    expect(await rejection(ecs.send(new ListClustersCommand({ maxResults: 0 })))).toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it('deletes an empty cluster, and refuses while services or tasks are active', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'apps' }));
    const definition = await register(
      ecs,
      fargateDefinition('web', 'nginx:latest', {
        environment: [{ name: 'SANDBOX_RUN_SECONDS', value: 'forever' }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'apps',
        serviceName: 'web',
        taskDefinition: definition,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    expect(await rejection(ecs.send(new DeleteClusterCommand({ cluster: 'apps' })))).toBeInstanceOf(
      ClusterContainsServicesException,
    );
    await ecs.send(new DeleteServiceCommand({ cluster: 'apps', service: 'web', force: true }));
    const { tasks } = await ecs.send(
      new RunTaskCommand({
        cluster: 'apps',
        taskDefinition: definition,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    expect(await rejection(ecs.send(new DeleteClusterCommand({ cluster: 'apps' })))).toBeInstanceOf(
      ClusterContainsTasksException,
    );
    await ecs.send(new StopTaskCommand({ cluster: 'apps', task: tasks?.[0]?.taskArn }));
    const { cluster } = await ecs.send(new DeleteClusterCommand({ cluster: 'apps' }));
    expect(cluster?.status).toBe('INACTIVE');
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['apps'] }));
    expect(described.clusters?.[0]?.status).toBe('INACTIVE');
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    expect(await rejection(ecs.send(new DeleteClusterCommand({ cluster: 'apps' })))).toBeInstanceOf(
      ClusterNotFoundException,
    );
    // The name can be used again.
    const { cluster: reborn } = await ecs.send(new CreateClusterCommand({ clusterName: 'apps' }));
    expect(reborn?.status).toBe('ACTIVE');
  });

  it('refuses bad names and enforces IAM on the cluster ARN, tags included', async () => {
    expect(
      await rejection(ecs.send(new CreateClusterCommand({ clusterName: 'bad name' }))),
    ).toBeInstanceOf(InvalidParameterException);
    expect(
      await rejection(ecs.send(new DeleteClusterCommand({ cluster: 'missing' }))),
    ).toBeInstanceOf(ClusterNotFoundException);
    const creator = ecsClient(
      sandbox,
      await userWithPolicy(sandbox, clock, DEV, 'creator', [
        {
          Effect: 'Allow',
          Action: ['ecs:CreateCluster', 'ecs:DescribeClusters'],
          Resource: `arn:aws:ecs:us-east-1:${DEV}:cluster/team-*`,
        },
      ]),
      clock,
    );
    await creator.send(new CreateClusterCommand({ clusterName: 'team-a' }));
    const denied = await rejection(
      creator.send(new CreateClusterCommand({ clusterName: 'other' })),
    );
    expect(denied).toBeInstanceOf(AccessDeniedException);
    expect(denied.message).toBe(
      `User: arn:aws:iam::${DEV}:user/creator is not authorized to perform: ecs:CreateCluster on resource: arn:aws:ecs:us-east-1:${DEV}:cluster/other because no identity-based policy allows the ecs:CreateCluster action`,
    );
    // Tags on create also need ecs:TagResource.
    const tagged = await rejection(
      creator.send(
        new CreateClusterCommand({ clusterName: 'team-b', tags: [{ key: 'k', value: 'v' }] }),
      ),
    );
    expect(tagged).toBeInstanceOf(AccessDeniedException);
    expect(tagged.message).toContain('ecs:TagResource');
    expect(
      await rejection(creator.send(new DeleteClusterCommand({ cluster: 'team-a' }))),
    ).toBeInstanceOf(AccessDeniedException);
    expect(await rejection(creator.send(new ListClustersCommand({})))).toBeInstanceOf(
      AccessDeniedException,
    );
  });
});
