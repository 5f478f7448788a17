import {
  CreateStackCommand,
  DeleteStackCommand,
  UpdateStackCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import {
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTagsForResourceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  advance,
  deploymentLines,
  ecsClient,
  following,
  literalImage,
} from '../ecs/test-support/ecs-sandbox.js';
import { cfnClients, describeStack, stackEvents } from './test-support/cfn-sandbox.js';

const TARGET_GROUP = `arn:aws:elasticloadbalancing:us-east-1:${DEV}:targetgroup/web/0123456789abcdef`;

interface Version {
  image: string;
  desiredCount?: number;
  tags?: Record<string, string>;
}

function ecsTemplate(v: Version): string {
  const tags = Object.entries(v.tags ?? { app: 'web' }).map(([Key, Value]) => ({ Key, Value }));
  return JSON.stringify({
    Resources: {
      Cluster: {
        Type: 'AWS::ECS::Cluster',
        Properties: {
          ClusterName: 'apps',
          ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
          Tags: tags,
        },
      },
      TaskDefinition: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          Family: 'web',
          RequiresCompatibilities: ['FARGATE'],
          NetworkMode: 'awsvpc',
          Cpu: '256',
          Memory: '512',
          ContainerDefinitions: [
            {
              Name: 'web',
              Image: v.image,
              Essential: true,
              PortMappings: [{ ContainerPort: 8080 }],
              Environment: [{ Name: 'MODE', Value: 'prod' }],
              DockerLabels: { 'com.example.Team': 'core' },
            },
          ],
          Tags: tags,
        },
      },
      Service: {
        Type: 'AWS::ECS::Service',
        Properties: {
          Cluster: { Ref: 'Cluster' },
          TaskDefinition: { Ref: 'TaskDefinition' },
          DesiredCount: v.desiredCount ?? 2,
          LaunchType: 'FARGATE',
          NetworkConfiguration: {
            AwsvpcConfiguration: { Subnets: ['subnet-1'], AssignPublicIp: 'DISABLED' },
          },
          LoadBalancers: [
            { TargetGroupArn: TARGET_GROUP, ContainerName: 'web', ContainerPort: 8080 },
          ],
          DeploymentConfiguration: {
            DeploymentCircuitBreaker: { Enable: true, Rollback: true },
            MaximumPercent: 200,
            MinimumHealthyPercent: 100,
          },
          Tags: tags,
        },
      },
    },
    Outputs: {
      ClusterName: { Value: { Ref: 'Cluster' } },
      ClusterArn: { Value: { 'Fn::GetAtt': ['Cluster', 'Arn'] } },
      TaskDefinition: { Value: { Ref: 'TaskDefinition' } },
      ServiceArn: { Value: { Ref: 'Service' } },
      ServiceName: { Value: { 'Fn::GetAtt': ['Service', 'Name'] } },
    },
  });
}

describe('ECS resource types', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let cfn: CloudFormationClient;
  let ecs: ECSClient;

  const outputs = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      ((await describeStack(cfn, 'web')).Outputs ?? []).map((o) => [
        o.OutputKey ?? '',
        o.OutputValue ?? '',
      ]),
    );
  /** Lets the stack operation start on the clock's now, then waits out the first rollout. */
  async function created(): Promise<void> {
    expect((await describeStack(cfn, 'web')).StackStatus).toBe('CREATE_IN_PROGRESS');
    await advance(sandbox, clock, 15_000);
    expect((await describeStack(cfn, 'web')).StackStatus).toBe('CREATE_COMPLETE');
  }
  const serviceEvents = async () =>
    (await stackEvents(cfn, 'web'))
      .filter((e) => e.LogicalResourceId === 'Service')
      .map((e) => `${e.ResourceStatus ?? ''} ${e.Timestamp?.toISOString() ?? ''}`);

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    cfn = following(clock, cfnClients(sandbox, sandbox.credentialsFor(DEV), clock).cfn);
    ecs = ecsClient(sandbox, sandbox.credentialsFor(DEV), clock);
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates a cluster, a task definition and a service, completing when the rollout does', async () => {
    const start = clock.now().getTime();
    const at = (ms: number) => new Date(start + ms).toISOString();
    const { image } = literalImage('web');
    await cfn.send(
      new CreateStackCommand({ StackName: 'web', TemplateBody: ecsTemplate({ image }) }),
    );
    expect((await describeStack(cfn, 'web')).StackStatus).toBe('CREATE_IN_PROGRESS');
    await advance(sandbox, clock, 10_000);
    // The rollout completed at +10 s; CloudFormation notices at its next look, +15 s.
    expect((await describeStack(cfn, 'web')).StackStatus).toBe('CREATE_IN_PROGRESS');
    await advance(sandbox, clock, 5_000);
    expect((await describeStack(cfn, 'web')).StackStatus).toBe('CREATE_COMPLETE');
    expect(await serviceEvents()).toEqual([
      `CREATE_IN_PROGRESS ${at(0)}`,
      `CREATE_IN_PROGRESS ${at(0)}`,
      `CREATE_COMPLETE ${at(15_000)}`,
    ]);
    const out = await outputs();
    expect(out).toEqual({
      ClusterName: 'apps',
      ClusterArn: `arn:aws:ecs:us-east-1:${DEV}:cluster/apps`,
      TaskDefinition: `arn:aws:ecs:us-east-1:${DEV}:task-definition/web:1`,
      ServiceArn: expect.stringMatching(
        new RegExp(`^arn:aws:ecs:us-east-1:${DEV}:service/apps/web-Service-[A-Z0-9]{12}$`),
      ) as string,
      ServiceName: expect.stringMatching(/^web-Service-[A-Z0-9]{12}$/) as string,
    });
    const { clusters } = await ecs.send(
      new DescribeClustersCommand({ clusters: ['apps'], include: ['SETTINGS', 'TAGS'] }),
    );
    expect(clusters?.[0]).toMatchObject({
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      tags: [{ key: 'app', value: 'web' }],
    });
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }),
    );
    expect(taskDefinition?.containerDefinitions?.[0]).toMatchObject({
      image,
      environment: [{ name: 'MODE', value: 'prod' }],
      dockerLabels: { 'com.example.Team': 'core' },
    });
    const { services } = await ecs.send(
      new DescribeServicesCommand({ cluster: 'apps', services: [out['ServiceName'] ?? ''] }),
    );
    expect(services?.[0]).toMatchObject({
      desiredCount: 2,
      runningCount: 2,
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp: 'DISABLED' },
      },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
  });

  it('rolls a new image out by replacing the task definition and updating the service', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'web',
        TemplateBody: ecsTemplate({ image: literalImage('web').image }),
      }),
    );
    await created();
    const before = await outputs();
    const name = before['ServiceName'] ?? '';
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'web',
        TemplateBody: ecsTemplate({ image: literalImage('web').image, tags: { app: 'web2' } }),
      }),
    );
    expect((await describeStack(cfn, 'web')).StackStatus).toBe('UPDATE_IN_PROGRESS');
    expect(await deploymentLines(ecs, 'apps', name)).toEqual([
      'PRIMARY web:2 IN_PROGRESS running=0 pending=1 failed=0',
      'ACTIVE web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
    await advance(sandbox, clock, 15_000);
    expect((await describeStack(cfn, 'web')).StackStatus).toBe('UPDATE_COMPLETE');
    const after = await outputs();
    expect(after['TaskDefinition']).toBe(`arn:aws:ecs:us-east-1:${DEV}:task-definition/web:2`);
    expect(after['ServiceArn']).toBe(before['ServiceArn']);
    // The replaced revision is deregistered at clean-up.
    const old = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    expect(old.taskDefinition?.status).toBe('INACTIVE');
    expect(
      (await ecs.send(new ListTagsForResourceCommand({ resourceArn: after['ServiceArn'] }))).tags,
    ).toEqual([{ key: 'app', value: 'web2' }]);

    const stackId = (await describeStack(cfn, 'web')).StackId ?? '';
    await cfn.send(new DeleteStackCommand({ StackName: 'web' }));
    expect((await describeStack(cfn, stackId)).StackStatus).toBe('DELETE_COMPLETE');
    const { clusters } = await ecs.send(new DescribeClustersCommand({ clusters: ['apps'] }));
    expect(clusters?.[0]?.status).toBe('INACTIVE');
    const deleted = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:2' }));
    expect(deleted.taskDefinition?.status).toBe('INACTIVE');
  });

  it('fails the update when the circuit breaker trips, and rolls the stack back', async () => {
    const good = literalImage('web');
    await cfn.send(
      new CreateStackCommand({
        StackName: 'web',
        TemplateBody: ecsTemplate({ image: good.image }),
      }),
    );
    await created();
    const bad = literalImage('web');
    sandbox.control.markUnhealthy({ imageDigest: bad.digest });
    const updatedAt = clock.now().getTime();
    await cfn.send(
      new UpdateStackCommand({ StackName: 'web', TemplateBody: ecsTemplate({ image: bad.image }) }),
    );
    expect((await describeStack(cfn, 'web')).StackStatus).toBe('UPDATE_IN_PROGRESS');
    await advance(sandbox, clock, 120_000);
    const stack = await describeStack(cfn, 'web');
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const failed = (await stackEvents(cfn, 'web')).find(
      (e) => e.LogicalResourceId === 'Service' && e.ResourceStatus === 'UPDATE_FAILED',
    );
    expect(failed?.ResourceStatusReason).toMatch(
      /^Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'\." \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: GeneralServiceException\)$/,
    );
    // The third failed task (at +70 s) tripped the breaker.
    expect(failed?.Timestamp?.getTime()).toBe(updatedAt + 70_000);
    const out = await outputs();
    expect(out['TaskDefinition']).toBe(`arn:aws:ecs:us-east-1:${DEV}:task-definition/web:1`);
    expect(await deploymentLines(ecs, 'apps', out['ServiceName'] ?? '')).toEqual([
      'PRIMARY web:1 COMPLETED running=2 pending=0 failed=0',
    ]);
  });

  it('refuses to adopt a cluster that already exists', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'apps' }));
    await cfn.send(
      new CreateStackCommand({
        StackName: 'web',
        TemplateBody: ecsTemplate({ image: literalImage('web').image }),
      }),
    );
    expect((await describeStack(cfn, 'web')).StackStatus).toBe('ROLLBACK_COMPLETE');
    const failed = (await stackEvents(cfn, 'web')).find(
      (e) => e.LogicalResourceId === 'Cluster' && e.ResourceStatus === 'CREATE_FAILED',
    );
    expect(failed?.ResourceStatusReason).toContain(
      "Resource of type 'AWS::ECS::Cluster' with identifier 'apps' already exists.",
    );
    const { clusters } = await ecs.send(new DescribeClustersCommand({ clusters: ['apps'] }));
    expect(clusters?.[0]?.status).toBe('ACTIVE');
  });

  it('gives up on a service that never stabilizes after three hours', async () => {
    // A registry image that does not exist, without a circuit breaker: tasks keep failing.
    const template = JSON.parse(
      ecsTemplate({
        image: `${new URL(sandbox.endpoint).host}/${DEV}/us-east-1/missing:latest`,
        desiredCount: 1,
      }),
    ) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    const service = template.Resources['Service'];
    const definition = template.Resources['TaskDefinition'];
    if (!service || !definition) throw new Error('template');
    delete service.Properties['DeploymentConfiguration'];
    definition.Properties['ExecutionRoleArn'] = `arn:aws:iam::${DEV}:role/exec`;
    await cfn.send(
      new CreateStackCommand({ StackName: 'web', TemplateBody: JSON.stringify(template) }),
    );
    expect((await describeStack(cfn, 'web')).StackStatus).toBe('CREATE_IN_PROGRESS');
    await advance(sandbox, clock, 3 * 60 * 60 * 1000);
    const stack = await describeStack(cfn, 'web');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    const failed = (await stackEvents(cfn, 'web')).find(
      (e) => e.LogicalResourceId === 'Service' && e.ResourceStatus === 'CREATE_FAILED',
    );
    expect(failed?.ResourceStatusReason).toContain('did not stabilize.');
    expect(failed?.ResourceStatusReason).toContain('HandlerErrorCode: NotStabilized');
  });
});
