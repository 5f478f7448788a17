import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  type Dimension,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  UpdateServiceCommand,
  type ECSClient,
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
  literalImage,
  register,
} from './test-support/ecs-sandbox.js';

const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
const TARGET_GROUP = `arn:aws:elasticloadbalancing:us-east-1:${DEV}:targetgroup/web/0123456789abcdef`;
const T0 = Date.parse('2026-03-01T10:00:00Z');

describe('ECS service metrics under the health model', () => {
  const clock = new ManualClock(T0);
  let sandbox: Sandbox;
  let ecs: ECSClient;
  let cloudwatch: CloudWatchClient;

  /** Sums per minute from T0 on: `{ requests, errors }` of each complete minute. */
  async function perMinute(
    namespace: string,
    dimensions: Dimension[],
  ): Promise<{ requests: number[]; errors: number[] }> {
    const query = (id: string, metric: string) => ({
      Id: id,
      MetricStat: {
        Metric: { Namespace: namespace, MetricName: metric, Dimensions: dimensions },
        Period: 60,
        Stat: 'Sum',
      },
    });
    const { MetricDataResults } = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(T0),
        EndTime: clock.now(),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          query('requests', 'RequestCount'),
          query('errors', 'HTTPCode_Target_5XX_Count'),
        ],
      }),
    );
    const values = (id: string) => MetricDataResults?.find((r) => r.Id === id)?.Values ?? [];
    return { requests: values('requests'), errors: values('errors') };
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    ecs = ecsClient(sandbox, sandbox.credentialsFor(DEV), clock);
    cloudwatch = following(
      clock,
      new CloudWatchClient(clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock })),
    );
  });
  beforeEach(async () => {
    sandbox.control.reset();
    clock.set(T0);
    await advance(sandbox, clock, 0);
    await ecs.send(new CreateClusterCommand({ clusterName: 'apps' }));
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('emits requests per target group, 5xx while an unhealthy image runs, clean after a rollback', async () => {
    const bad = literalImage('web');
    const good = await register(ecs, fargateDefinition('web', literalImage('web').image));
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'apps',
        serviceName: 'web',
        taskDefinition: good,
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        loadBalancers: [
          { targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 8080 },
        ],
      }),
    );
    // Tasks run from 10:00:05 and 10:00:10: 55 s + 50 s of one request a second.
    await advance(sandbox, clock, 2 * 60_000);
    const dimensions = [{ Name: 'TargetGroup', Value: 'targetgroup/web/0123456789abcdef' }];
    expect(await perMinute('AWS/ApplicationELB', dimensions)).toEqual({
      requests: [105, 120],
      errors: [0, 0],
    });

    // A bad version rolls out at 10:02 (no circuit breaker) and serves 5xx once its tasks run.
    sandbox.control.markUnhealthy({ imageDigest: bad.digest });
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'apps',
        service: 'web',
        taskDefinition: await register(ecs, fargateDefinition('web', bad.image)),
      }),
    );
    await advance(sandbox, clock, 2 * 60_000);
    // 10:02: the new tasks ran 55 s + 50 s (5xx); the old ones 5 s + 10 s. 10:03: all 5xx.
    expect(await perMinute('AWS/ApplicationELB', dimensions)).toEqual({
      requests: [105, 120, 120, 120],
      errors: [0, 0, 105, 120],
    });

    // Rolling back to the good version clears the errors once it runs.
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'apps', service: 'web', taskDefinition: good }),
    );
    await advance(sandbox, clock, 2 * 60_000);
    const after = await perMinute('AWS/ApplicationELB', dimensions);
    expect(after.errors.slice(4)).toEqual([15, 0]);
    expect(after.requests.slice(4)).toEqual([120, 120]);

    const { Metrics } = await cloudwatch.send(
      new ListMetricsCommand({ Namespace: 'AWS/ApplicationELB' }),
    );
    expect(Metrics?.map((m) => m.MetricName).sort()).toEqual([
      'HTTPCode_Target_5XX_Count',
      'RequestCount',
    ]);
    expect(Metrics?.[0]?.Dimensions).toEqual(dimensions);
  });

  it('emits the same metrics under AWS/ECS for a service without a load balancer', async () => {
    const bad = literalImage('worker');
    sandbox.control.markUnhealthy({ imageDigest: bad.digest });
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'apps',
        serviceName: 'worker',
        taskDefinition: await register(ecs, fargateDefinition('worker', bad.image)),
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    await advance(sandbox, clock, 90_000);
    const dimensions = [
      { Name: 'ClusterName', Value: 'apps' },
      { Name: 'ServiceName', Value: 'worker' },
    ];
    // Only the complete minute is emitted: 10:00, where the task ran 55 s.
    expect(await perMinute('AWS/ECS', dimensions)).toEqual({ requests: [55], errors: [55] });
    expect(await perMinute('AWS/ApplicationELB', dimensions)).toEqual({ requests: [], errors: [] });
  });
});
