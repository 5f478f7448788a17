import {
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  InvalidNextToken,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  ListMetricsCommand,
  MissingRequiredParameterException,
  PutMetricDataCommand,
  type CloudWatchClient,
  type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV } from '../../../tests/sdk-clients.js';
import type { ServiceDefinition } from '../../framework/service.js';
import { jsonProtocol } from '../../protocols/json-protocol.js';
import {
  rejection,
  startCloudWatchKit,
  type CloudWatchKit,
} from './test-support/cloudwatch-kit.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (minutes: number, seconds = 0): Date => new Date(T0 + minutes * MINUTE + seconds * 1000);

/** A service emitting Lambda-like metrics, listed by ListMetrics. */
const emitter: ServiceDefinition = {
  name: 'fake-lambda',
  protocol: jsonProtocol({ targetPrefix: 'FakeLambda' }),
  actions: {},
  hooks: {
    metricSamples: (_ctx, query) =>
      query.namespace === 'AWS/Lambda' &&
      query.metricName === 'Invocations' &&
      query.dimensions['FunctionName'] === 'api'
        ? [
            { timestamp: new Date(Math.max(query.start.getTime(), T0)), value: 4, unit: 'Count' },
          ].filter((s) => s.timestamp < query.end)
        : [],
    listMetrics: (_ctx, accountId) =>
      accountId === DEV
        ? [
            {
              namespace: 'AWS/Lambda',
              metricName: 'Invocations',
              dimensions: { FunctionName: 'api' },
            },
          ]
        : [],
  },
};

describe('CloudWatch metric data', () => {
  let kit: CloudWatchKit;
  let cw: CloudWatchClient;

  beforeAll(async () => {
    kit = await startCloudWatchKit({ extraServices: [emitter] });
  });
  beforeEach(() => {
    kit.sandbox.control.reset();
    kit.clock.set(at(10));
    // Clients sign with the clock as it is when they are made.
    cw = kit.client(kit.sandbox.credentialsFor(DEV));
  });
  afterAll(() => kit.stop());

  const putData = (data: MetricDatum[], namespace = 'Shop'): Promise<unknown> =>
    cw.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));

  it('aggregates values, value sets and statistic sets into statistics per period', async () => {
    const dims = [{ Name: 'Stage', Value: 'prod' }];
    await putData([
      {
        MetricName: 'Latency',
        Dimensions: dims,
        Value: 10,
        Timestamp: at(0, 5),
        Unit: 'Milliseconds',
      },
      {
        MetricName: 'Latency',
        Dimensions: dims,
        Values: [20, 30],
        Counts: [2, 1],
        Timestamp: at(0, 30),
        Unit: 'Milliseconds',
      },
      {
        MetricName: 'Latency',
        Dimensions: dims,
        StatisticValues: { SampleCount: 4, Sum: 400, Minimum: 50, Maximum: 150 },
        Timestamp: at(1, 10),
        Unit: 'Milliseconds',
      },
    ]);
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Shop',
        MetricName: 'Latency',
        Dimensions: dims,
        StartTime: at(0),
        EndTime: at(2),
        Period: 60,
        Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
      }),
    );
    expect(stats.Label).toBe('Latency');
    expect(stats.Datapoints).toEqual([
      {
        Timestamp: at(0),
        SampleCount: 4,
        Sum: 80,
        Average: 20,
        Minimum: 10,
        Maximum: 30,
        Unit: 'Milliseconds',
      },
      {
        Timestamp: at(1),
        SampleCount: 4,
        Sum: 400,
        Average: 100,
        Minimum: 50,
        Maximum: 150,
        Unit: 'Milliseconds',
      },
    ]);
    const percentiles = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Shop',
        MetricName: 'Latency',
        Dimensions: dims,
        StartTime: at(0),
        EndTime: at(2),
        Period: 120,
        ExtendedStatistics: ['p50', 'p100'],
      }),
    );
    // Statistic sets keep no values: percentiles come from the raw values only.
    expect(percentiles.Datapoints).toEqual([
      { Timestamp: at(0), ExtendedStatistics: { p50: 20, p100: 30 }, Unit: 'Milliseconds' },
    ]);
    // Dimensions are part of the metric's identity.
    const other = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Shop',
        MetricName: 'Latency',
        StartTime: at(0),
        EndTime: at(2),
        Period: 60,
        Statistics: ['Sum'],
      }),
    );
    expect(other.Datapoints).toEqual([]);
    // A unit filter excludes data of other units.
    const seconds = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Shop',
        MetricName: 'Latency',
        Dimensions: dims,
        StartTime: at(0),
        EndTime: at(2),
        Period: 60,
        Statistics: ['Sum'],
        Unit: 'Seconds',
      }),
    );
    expect(seconds.Datapoints).toEqual([]);
  });

  it('answers GetMetricData with labels, both scan orders, expressions and pages', async () => {
    for (let minute = 0; minute < 5; minute += 1) {
      await putData([
        { MetricName: 'Orders', Value: minute + 1, Timestamp: at(minute, 1) },
        { MetricName: 'Failures', Value: 1, Timestamp: at(minute, 2) },
      ]);
    }
    const queries = [
      {
        Id: 'orders',
        MetricStat: {
          Metric: { Namespace: 'Shop', MetricName: 'Orders' },
          Period: 60,
          Stat: 'Sum',
        },
      },
      {
        Id: 'failures',
        ReturnData: false,
        MetricStat: {
          Metric: { Namespace: 'Shop', MetricName: 'Failures' },
          Period: 60,
          Stat: 'Sum',
        },
      },
      { Id: 'rate', Expression: 'failures / orders * 100', Label: 'failure %' },
    ];
    const result = await cw.send(
      new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: at(1), EndTime: at(4) }),
    );
    expect(result.MetricDataResults).toEqual([
      {
        Id: 'orders',
        Label: 'Orders',
        Timestamps: [at(3), at(2), at(1)],
        Values: [4, 3, 2],
        StatusCode: 'Complete',
        Messages: [],
      },
      {
        Id: 'rate',
        Label: 'failure %',
        Timestamps: [at(3), at(2), at(1)],
        Values: [25, (1 / 3) * 100, 50],
        StatusCode: 'Complete',
        Messages: [],
      },
    ]);
    expect(result.NextToken).toBeUndefined();

    const ascending = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries.slice(0, 1),
        StartTime: at(0),
        EndTime: at(5),
        ScanBy: 'TimestampAscending',
        MaxDatapoints: 3,
      }),
    );
    expect(ascending.MetricDataResults?.[0]).toMatchObject({
      Values: [1, 2, 3],
      StatusCode: 'PartialData',
    });
    const next = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries.slice(0, 1),
        StartTime: at(0),
        EndTime: at(5),
        ScanBy: 'TimestampAscending',
        MaxDatapoints: 3,
        NextToken: ascending.NextToken,
      }),
    );
    expect(next.MetricDataResults?.[0]).toMatchObject({ Values: [4, 5], StatusCode: 'Complete' });
    expect(next.NextToken).toBeUndefined();
    expect(
      await rejection(
        cw.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: at(0),
            EndTime: at(5),
            NextToken: '!!',
          }),
        ),
      ),
    ).toBeInstanceOf(InvalidNextToken);
  });

  // Over 10 KB, the SDK gzips PutMetricData bodies (the operation's requestCompression trait).
  it('accepts the gzip bodies the SDK sends for large PutMetricData calls', async () => {
    const data = Array.from({ length: 600 }, (_, i) => ({
      MetricName: 'Orders',
      Dimensions: [{ Name: 'Shard', Value: `shard-${i % 3}` }],
      Value: i,
      Timestamp: at(0, i % 60),
    }));
    await putData(data);
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Shop',
        MetricName: 'Orders',
        Dimensions: [{ Name: 'Shard', Value: 'shard-0' }],
        StartTime: at(0),
        EndTime: at(1),
        Period: 60,
        Statistics: ['SampleCount', 'Maximum'],
      }),
    );
    expect(stats.Datapoints).toEqual([
      { Timestamp: at(0), SampleCount: 200, Maximum: 597, Unit: 'None' },
    ]);
  });

  it('reads the metrics other services emit', async () => {
    const result = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          {
            Id: 'calls',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/Lambda',
                MetricName: 'Invocations',
                Dimensions: [{ Name: 'FunctionName', Value: 'api' }],
              },
              Period: 300,
              Stat: 'Sum',
            },
          },
        ],
        StartTime: at(0),
        EndTime: at(10),
      }),
    );
    expect(result.MetricDataResults?.[0]).toMatchObject({ Timestamps: [at(0)], Values: [4] });
  });

  it('lists stored and emitted metrics with namespace, name and dimension filters', async () => {
    await putData([
      {
        MetricName: 'Orders',
        Dimensions: [{ Name: 'Stage', Value: 'prod' }],
        Value: 1,
        Timestamp: at(9),
      },
      {
        MetricName: 'Orders',
        Dimensions: [{ Name: 'Stage', Value: 'dev' }],
        Value: 1,
        Timestamp: at(9),
      },
      { MetricName: 'Refunds', Value: 1, Timestamp: at(9) },
    ]);
    const all = await cw.send(new ListMetricsCommand({}));
    expect(all.Metrics).toEqual([
      {
        Namespace: 'AWS/Lambda',
        MetricName: 'Invocations',
        Dimensions: [{ Name: 'FunctionName', Value: 'api' }],
      },
      { Namespace: 'Shop', MetricName: 'Orders', Dimensions: [{ Name: 'Stage', Value: 'dev' }] },
      { Namespace: 'Shop', MetricName: 'Orders', Dimensions: [{ Name: 'Stage', Value: 'prod' }] },
      { Namespace: 'Shop', MetricName: 'Refunds', Dimensions: [] },
    ]);
    const names = async (input: object): Promise<string[]> =>
      ((await cw.send(new ListMetricsCommand(input))).Metrics ?? []).map(
        (m) =>
          `${m.MetricName ?? ''}${(m.Dimensions ?? []).map((d) => `:${d.Value ?? ''}`).join('')}`,
      );
    expect(await names({ Namespace: 'Shop', MetricName: 'Orders' })).toEqual([
      'Orders:dev',
      'Orders:prod',
    ]);
    expect(await names({ Dimensions: [{ Name: 'Stage' }] })).toEqual(['Orders:dev', 'Orders:prod']);
    expect(await names({ Dimensions: [{ Name: 'Stage', Value: 'prod' }] })).toEqual([
      'Orders:prod',
    ]);
    kit.clock.set(at(9 + 4 * 60));
    cw = kit.client(kit.sandbox.credentialsFor(DEV));
    expect(await names({ Namespace: 'Shop', RecentlyActive: 'PT3H' })).toEqual([]);
    expect(await names({ Namespace: 'Shop' })).toHaveLength(3);
  });

  describe('limits and bad input', () => {
    const cases: [string, () => Promise<unknown>, new (...args: never[]) => Error, RegExp][] = [
      [
        'an AWS/ namespace',
        () => putData([{ MetricName: 'X', Value: 1 }], 'AWS/EC2'),
        InvalidParameterValueException,
        /AWS\/EC2/,
      ],
      ['no MetricData', () => putData([]), MissingRequiredParameterException, /MetricData/],
      [
        'more than 1000 data',
        () => putData(Array.from({ length: 1001 }, () => ({ MetricName: 'X', Value: 1 }))),
        InvalidParameterValueException,
        /1000/,
      ],
      [
        'data older than two weeks',
        () => putData([{ MetricName: 'X', Value: 1, Timestamp: at(-15 * 24 * 60) }]),
        InvalidParameterValueException,
        /two weeks/,
      ],
      [
        'data over two hours ahead',
        () => putData([{ MetricName: 'X', Value: 1, Timestamp: at(3 * 60) }]),
        InvalidParameterValueException,
        /two hours/,
      ],
      [
        'Value with StatisticValues',
        () =>
          putData([
            {
              MetricName: 'X',
              Value: 1,
              StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 },
            },
          ]),
        InvalidParameterCombinationException,
        /mutually exclusive/,
      ],
      [
        'Counts of another size',
        () => putData([{ MetricName: 'X', Values: [1, 2], Counts: [1] }]),
        InvalidParameterValueException,
        /same size/,
      ],
      [
        'a datum without a value',
        () => putData([{ MetricName: 'X' }]),
        MissingRequiredParameterException,
        /MetricData.member.1.Value/,
      ],
      [
        'a value out of range',
        () => putData([{ MetricName: 'X', Value: 2 ** 361 }]),
        InvalidParameterValueException,
        /out of range/,
      ],
      [
        '31 dimensions',
        () =>
          putData([
            {
              MetricName: 'X',
              Value: 1,
              Dimensions: Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' })),
            },
          ]),
        InvalidParameterValueException,
        /30/,
      ],
      [
        'too many datapoints',
        () =>
          cw.send(
            new GetMetricStatisticsCommand({
              Namespace: 'Shop',
              MetricName: 'X',
              StartTime: at(0),
              EndTime: at(1441),
              Period: 60,
              Statistics: ['Sum'],
            }),
          ),
        InvalidParameterCombinationException,
        /1,441 datapoints/,
      ],
      [
        'both statistics kinds',
        () =>
          cw.send(
            new GetMetricStatisticsCommand({
              Namespace: 'Shop',
              MetricName: 'X',
              StartTime: at(0),
              EndTime: at(1),
              Period: 60,
              Statistics: ['Sum'],
              ExtendedStatistics: ['p99'],
            }),
          ),
        InvalidParameterCombinationException,
        /either/,
      ],
      [
        'a start after the end',
        () =>
          cw.send(
            new GetMetricDataCommand({
              MetricDataQueries: [
                {
                  Id: 'a',
                  MetricStat: {
                    Metric: { Namespace: 'S', MetricName: 'X' },
                    Period: 60,
                    Stat: 'Sum',
                  },
                },
              ],
              StartTime: at(2),
              EndTime: at(1),
            }),
          ),
        InvalidParameterValueException,
        /StartTime/,
      ],
      [
        'an unsupported expression function',
        () =>
          cw.send(
            new GetMetricDataCommand({
              MetricDataQueries: [
                {
                  Id: 'a',
                  MetricStat: {
                    Metric: { Namespace: 'S', MetricName: 'X' },
                    Period: 60,
                    Stat: 'Sum',
                  },
                },
                { Id: 'b', Expression: 'FILL(a, 0)' },
              ],
              StartTime: at(0),
              EndTime: at(1),
            }),
          ),
        InvalidParameterValueException,
        /FILL/,
      ],
      [
        'an expression on an unknown id',
        () =>
          cw.send(
            new GetMetricDataCommand({
              MetricDataQueries: [{ Id: 'b', Expression: 'a * 2' }],
              StartTime: at(0),
              EndTime: at(1),
            }),
          ),
        InvalidParameterValueException,
        /unknown id a/,
      ],
      [
        'an id with a capital',
        () =>
          cw.send(
            new GetMetricDataCommand({
              MetricDataQueries: [
                {
                  Id: 'Orders',
                  MetricStat: {
                    Metric: { Namespace: 'S', MetricName: 'X' },
                    Period: 60,
                    Stat: 'Sum',
                  },
                },
              ],
              StartTime: at(0),
              EndTime: at(1),
            }),
          ),
        InvalidParameterValueException,
        /lowercase/,
      ],
      [
        'an unsupported statistic',
        () =>
          cw.send(
            new GetMetricDataCommand({
              MetricDataQueries: [
                {
                  Id: 'a',
                  MetricStat: {
                    Metric: { Namespace: 'S', MetricName: 'X' },
                    Period: 60,
                    Stat: 'TM99',
                  },
                },
              ],
              StartTime: at(0),
              EndTime: at(1),
            }),
          ),
        InvalidParameterValueException,
        /TM99/,
      ],
    ];
    for (const [title, call, errorClass, message] of cases) {
      it(`refuses ${title}`, async () => {
        const error = await rejection(call());
        expect(error).toBeInstanceOf(errorClass);
        expect(error.message).toMatch(message);
      });
    }

    it('stores nothing from a request with one bad datum', async () => {
      await rejection(
        putData([
          { MetricName: 'Good', Value: 1 },
          { MetricName: 'Bad', Value: 1, Timestamp: at(600) },
        ]),
      );
      expect((await cw.send(new ListMetricsCommand({ Namespace: 'Shop' }))).Metrics).toEqual([]);
    });
  });

  it('authorizes PutMetricData on cloudwatch:namespace', async () => {
    const iam = new IAMClient(
      clientConfig(kit.sandbox, kit.sandbox.credentialsFor(DEV), { clock: kit.clock }),
    );
    await iam.send(new CreateUserCommand({ UserName: 'shop-app' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'shop-app',
        PolicyName: 'metrics',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'cloudwatch:PutMetricData',
              Resource: '*',
              Condition: { StringEquals: { 'cloudwatch:namespace': 'Shop' } },
            },
          ],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'shop-app' }));
    const app = kit.client({
      accessKeyId: AccessKey?.AccessKeyId ?? '',
      secretAccessKey: AccessKey?.SecretAccessKey ?? '',
    });
    await app.send(
      new PutMetricDataCommand({
        Namespace: 'Shop',
        MetricData: [{ MetricName: 'Orders', Value: 1 }],
      }),
    );
    const denied = await rejection(
      app.send(
        new PutMetricDataCommand({
          Namespace: 'Billing',
          MetricData: [{ MetricName: 'Orders', Value: 1 }],
        }),
      ),
    );
    expect(denied).toMatchObject({ name: 'AccessDenied' });
    expect(denied.message).toContain('cloudwatch:PutMetricData');
    expect(await rejection(app.send(new ListMetricsCommand({})))).toMatchObject({
      name: 'AccessDenied',
    });
  });
});
