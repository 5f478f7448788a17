import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  InvalidParameterException,
  ListServicesCommand,
  ListTasksCommand,
  ServiceNotActiveException,
  ServiceNotFoundException,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  advance,
  deploymentLines,
  describeService,
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

const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] } };
const TARGET_GROUP = `arn:aws:elasticloadbalancing:us-east-1:${DEV}:targetgroup/web/0123456789abcdef`;

describe('ECS services', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let ecs: ECSClient;
  let v1: string;

  const create = (input: Partial<CreateServiceCommandInput> = {}) =>
    ecs.send(
      new CreateServiceCommand({
        cluster: 'apps',
        serviceName: 'web',
        taskDefinition: v1,
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        ...input,
      }),
    );

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

  it('creates a service whose first deployment starts its tasks one after another', async () => {
    const { service } = await create({
      loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 8080 }],
      healthCheckGracePeriodSeconds: 60,
      tags: [{ key: 'app', value: 'web' }],
      propagateTags: 'SERVICE',
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    expect(service).toMatchObject({
      serviceArn: `arn:aws:ecs:us-east-1:${DEV}:service/apps/web`,
      serviceName: 'web',
      clusterArn: `arn:aws:ecs:us-east-1:${DEV}:cluster/apps`,
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 0,
      pendingCount: 1,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      taskDefinition: v1,
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      healthCheckGracePeriodSeconds: 60,
      createdBy: `arn:aws:iam::${DEV}:user/admin`,
      tags: [{ key: 'app', value: 'web' }],
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
    });
    const deployment = service?.deployments?.[0];
    expect(deployment?.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(deployment).toMatchObject({
      status: 'PRIMARY',
      desiredCount: 2,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment ${deployment?.id ?? ''} in progress.`,
    });
    expect(service?.events?.[0]?.message).toMatch(
      /^\(service web\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/,
    );

    await advance(sandbox, clock, 5000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:1 IN_PROGRESS running=1 pending=1 failed=0',
    ]);
    await advance(sandbox, clock, 5000);
    const steady = await describeService(ecs, 'apps', 'web');
    expect(steady.deployments?.map((d) => d.rolloutState)).toEqual(['COMPLETED']);
    expect(steady.deployments?.[0]?.rolloutStateReason).toBe(
      `ECS deployment ${deployment?.id ?? ''} completed.`,
    );
    expect(steady.deployments?.[0]?.updatedAt?.toISOString()).toBe('2026-03-01T10:00:10.000Z');
    expect(steady).toMatchObject({ runningCount: 2, pendingCount: 0 });
    expect(steady.events?.slice(0, 2).map((e) => e.message)).toEqual([
      '(service web) has reached a steady state.',
      `(service web) (deployment ${deployment?.id ?? ''}) deployment completed.`,
    ]);
    const { taskArns } = await ecs.send(
      new ListTasksCommand({ cluster: 'apps', serviceName: 'web' }),
    );
    expect(taskArns).toHaveLength(2);
  });

  it('scales without a new deployment, describes, lists and deletes services', async () => {
    await create();
    await create({ serviceName: 'api', desiredCount: 0 });
    await advance(sandbox, clock, 10_000);
    const { service } = await ecs.send(
      new UpdateServiceCommand({ cluster: 'apps', service: 'web', desiredCount: 3 }),
    );
    expect(service?.deployments).toHaveLength(1);
    expect(service?.deployments?.[0]).toMatchObject({ desiredCount: 3, rolloutState: 'COMPLETED' });
    await advance(sandbox, clock, 5000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:1 COMPLETED running=3 pending=0 failed=0',
    ]);
    await ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'web', desiredCount: 1 }));
    expect((await describeService(ecs, 'apps', 'web')).runningCount).toBe(1);

    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: 'apps', services: ['web', 'gone'] }),
    );
    expect(described.services?.map((s) => s.serviceName)).toEqual(['web']);
    expect(described.services?.[0]?.tags).toBeUndefined();
    expect(described.failures).toEqual([
      { arn: `arn:aws:ecs:us-east-1:${DEV}:service/apps/gone`, reason: 'MISSING' },
    ]);
    const listed = await ecs.send(new ListServicesCommand({ cluster: 'apps', maxResults: 1 }));
    expect(listed.serviceArns).toEqual([`arn:aws:ecs:us-east-1:${DEV}:service/apps/web`]);
    const rest = await ecs.send(
      new ListServicesCommand({ cluster: 'apps', nextToken: listed.nextToken }),
    );
    expect(rest.serviceArns).toEqual([`arn:aws:ecs:us-east-1:${DEV}:service/apps/api`]);

    expect(
      await rejection(ecs.send(new DeleteServiceCommand({ cluster: 'apps', service: 'web' }))),
    ).toBeInstanceOf(InvalidParameterException);
    const { service: deleted } = await ecs.send(
      new DeleteServiceCommand({ cluster: 'apps', service: 'web', force: true }),
    );
    expect(deleted?.status).toBe('DRAINING');
    const inactive = await describeService(ecs, 'apps', 'web');
    expect(inactive).toMatchObject({ status: 'INACTIVE', runningCount: 0, desiredCount: 0 });
    expect((await ecs.send(new ListServicesCommand({ cluster: 'apps' }))).serviceArns).toEqual([
      `arn:aws:ecs:us-east-1:${DEV}:service/apps/api`,
    ]);
    expect(
      await rejection(
        ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'web', desiredCount: 1 })),
      ),
    ).toBeInstanceOf(ServiceNotActiveException);
    // An inactive service's name can be used again.
    const { service: again } = await create();
    expect(again?.status).toBe('ACTIVE');
    // Inactive services are forgotten after an hour.
    await ecs.send(new DeleteServiceCommand({ cluster: 'apps', service: 'api' }));
    await advance(sandbox, clock, 3_600_000);
    const forgotten = await ecs.send(
      new DescribeServicesCommand({ cluster: 'apps', services: ['api'] }),
    );
    expect(forgotten.failures?.[0]?.reason).toBe('MISSING');
  });

  it('survives a JSON snapshot and restore, rollout included', async () => {
    await create();
    await advance(sandbox, clock, 5000);
    const snapshot = JSON.parse(JSON.stringify(sandbox.control.snapshot())) as ReturnType<
      Sandbox['control']['snapshot']
    >;
    await ecs.send(new DeleteServiceCommand({ cluster: 'apps', service: 'web', force: true }));
    sandbox.control.restore(snapshot);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:1 IN_PROGRESS running=1 pending=1 failed=0',
    ]);
    await advance(sandbox, clock, 5000);
    expect(await deploymentLines(ecs, 'apps', 'web')).toEqual([
      'PRIMARY web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
  });

  it('refuses bad input with ECS exceptions', async () => {
    await create({ clientToken: 'token-1' });
    // The same client token is idempotent; another call with the name is not.
    const same = await create({ clientToken: 'token-1' });
    expect(same.service?.serviceName).toBe('web');
    const duplicate = await rejection(create());
    expect(duplicate).toBeInstanceOf(InvalidParameterException);
    expect(duplicate.message).toBe('Creation of service was not idempotent.');

    const cases: [Partial<CreateServiceCommandInput>, new (...args: never[]) => Error, string][] = [
      [{ cluster: 'nope', serviceName: 'x' }, ClusterNotFoundException, 'Cluster not found.'],
      [
        { serviceName: 'x', taskDefinition: 'missing' },
        ClientException,
        'TaskDefinition not found.',
      ],
      [
        { serviceName: 'x', networkConfiguration: undefined },
        InvalidParameterException,
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      ],
      [
        {
          serviceName: 'x',
          loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'db', containerPort: 1 }],
        },
        InvalidParameterException,
        'The container db does not exist in the task definition.',
      ],
      [{ serviceName: 'x', desiredCount: -1 }, InvalidParameterException, ''],
      [{ serviceName: 'x y' }, InvalidParameterException, ''],
      [{ serviceName: 'x', healthCheckGracePeriodSeconds: 30 }, InvalidParameterException, ''],
    ];
    for (const [input, type, message] of cases) {
      const error = await rejection(create(input));
      expect(error, JSON.stringify(input)).toBeInstanceOf(type);
      if (message !== '') expect(error.message).toBe(message);
    }
    const both = await rejection(
      create({ serviceName: 'x', capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }] }),
    );
    expect(both.message).toBe(
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: v1 }));
    const inactive = await rejection(create({ serviceName: 'x' }));
    expect(inactive).toBeInstanceOf(ClientException);
    expect(inactive.message).toBe('TaskDefinition is inactive');
    expect(
      await rejection(
        ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'nope', desiredCount: 1 })),
      ),
    ).toBeInstanceOf(ServiceNotFoundException);
    expect(
      await rejection(ecs.send(new DescribeServicesCommand({ cluster: 'apps', services: [] }))),
    ).toBeInstanceOf(InvalidParameterException);
  });

  it('authorizes on the service ARN with the ecs:cluster condition key', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'other' }));
    const operator = ecsClient(
      sandbox,
      await userWithPolicy(sandbox, clock, DEV, 'operator', [
        {
          Effect: 'Allow',
          Action: ['ecs:CreateService', 'ecs:UpdateService', 'ecs:DescribeServices'],
          Resource: '*',
          Condition: {
            ArnEquals: { 'ecs:cluster': `arn:aws:ecs:us-east-1:${DEV}:cluster/apps` },
          },
        },
      ]),
      clock,
    );
    const input = {
      serviceName: 'web',
      taskDefinition: v1,
      desiredCount: 1,
      launchType: 'FARGATE' as const,
      networkConfiguration: NETWORK,
    };
    await operator.send(new CreateServiceCommand({ cluster: 'apps', ...input }));
    await operator.send(
      new UpdateServiceCommand({ cluster: 'apps', service: 'web', desiredCount: 2 }),
    );
    const denied = await rejection(
      operator.send(new CreateServiceCommand({ cluster: 'other', ...input })),
    );
    expect(denied).toBeInstanceOf(AccessDeniedException);
    expect(denied.message).toContain(
      `ecs:CreateService on resource: arn:aws:ecs:us-east-1:${DEV}:service/other/web`,
    );
    expect(
      await rejection(
        operator.send(new DeleteServiceCommand({ cluster: 'apps', service: 'web', force: true })),
      ),
    ).toBeInstanceOf(AccessDeniedException);
    expect(
      await rejection(operator.send(new ListServicesCommand({ cluster: 'apps' }))),
    ).toBeInstanceOf(AccessDeniedException);
  });
});
