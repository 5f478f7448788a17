import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  InvalidNextToken,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  ListMetricsCommand,
  ListTagsForResourceCommand,
  MissingRequiredParameterException,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  ResourceNotFoundException,
  SetAlarmStateCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ValidationException,
  type CloudWatchClient,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV, PROD, type TestCredentials } from '../../../tests/sdk-clients.js';
import {
  rejection,
  startCloudWatchKit,
  type CloudWatchKit,
} from './test-support/cloudwatch-kit.js';

const ARN = (name: string, account = DEV): string =>
  `arn:aws:cloudwatch:us-east-1:${account}:alarm:${name}`;

function errorsAlarm(
  name: string,
  extra: Partial<PutMetricAlarmCommandInput> = {},
): PutMetricAlarmCommandInput {
  return {
    AlarmName: name,
    Namespace: 'App',
    MetricName: 'Errors',
    Dimensions: [{ Name: 'Service', Value: 'api' }],
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 2,
    Threshold: 5,
    ComparisonOperator: 'GreaterThanThreshold',
    ...extra,
  };
}

/** An IAM user of the dev account with one inline policy. */
async function userWithPolicy(
  kit: CloudWatchKit,
  name: string,
  statements: object[],
): Promise<TestCredentials> {
  const iam = new IAMClient(
    clientConfig(kit.sandbox, kit.sandbox.credentialsFor(DEV), { clock: kit.clock }),
  );
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: name,
      PolicyName: 'cw',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return {
    accessKeyId: AccessKey?.AccessKeyId ?? '',
    secretAccessKey: AccessKey?.SecretAccessKey ?? '',
  };
}

describe('CloudWatch metric alarms', () => {
  let kit: CloudWatchKit;
  let cw: CloudWatchClient;

  beforeAll(async () => {
    kit = await startCloudWatchKit();
    cw = kit.client(kit.sandbox.credentialsFor(DEV));
  });
  beforeEach(() => kit.sandbox.control.reset());
  afterAll(() => kit.stop());

  it('creates an alarm in INSUFFICIENT_DATA and describes it as AWS does', async () => {
    await cw.send(
      new PutMetricAlarmCommand(
        errorsAlarm('api-errors', {
          AlarmDescription: 'too many errors',
          AlarmActions: ['arn:aws:sns:us-east-1:333333333333:page'],
          TreatMissingData: 'notBreaching',
          Tags: [{ Key: 'team', Value: 'core' }],
        }),
      ),
    );
    const { MetricAlarms, CompositeAlarms } = await cw.send(new DescribeAlarmsCommand({}));
    expect(CompositeAlarms).toEqual([]);
    expect(MetricAlarms).toHaveLength(1);
    expect(MetricAlarms?.[0]).toMatchObject({
      AlarmName: 'api-errors',
      AlarmArn: ARN('api-errors'),
      AlarmDescription: 'too many errors',
      ActionsEnabled: true,
      AlarmActions: ['arn:aws:sns:us-east-1:333333333333:page'],
      OKActions: [],
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: new Date('2026-03-01T10:00:00Z'),
      AlarmConfigurationUpdatedTimestamp: new Date('2026-03-01T10:00:00Z'),
      Namespace: 'App',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'Service', Value: 'api' }],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: ARN('api-errors') }));
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'core' }]);
  });

  it('updates an alarm in place: configuration replaced, state and tags kept', async () => {
    await cw.send(
      new PutMetricAlarmCommand(errorsAlarm('api-errors', { Tags: [{ Key: 'a', Value: '1' }] })),
    );
    kit.clock.advance(30_000);
    await cw.send(
      new PutMetricAlarmCommand(
        errorsAlarm('api-errors', { Threshold: 10, Tags: [{ Key: 'b', Value: '2' }] }),
      ),
    );
    const alarm = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['api-errors'] })))
      .MetricAlarms?.[0];
    expect(alarm?.Threshold).toBe(10);
    expect(alarm?.AlarmConfigurationUpdatedTimestamp).toEqual(new Date('2026-03-01T10:00:30Z'));
    expect(alarm?.StateUpdatedTimestamp).toEqual(new Date('2026-03-01T10:00:00Z'));
    const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: ARN('api-errors') }));
    expect(tags.Tags).toEqual([{ Key: 'a', Value: '1' }]);
  });

  it('filters by names, prefix, state and action prefix, and pages with NextToken', async () => {
    for (const name of ['b-alarm', 'a-alarm', 'c-other', 'a-second']) {
      await cw.send(
        new PutMetricAlarmCommand(
          errorsAlarm(
            name,
            name === 'c-other' ? { OKActions: ['arn:aws:sns:us-east-1:333333333333:ok'] } : {},
          ),
        ),
      );
    }
    const names = async (input: object): Promise<string[]> =>
      ((await cw.send(new DescribeAlarmsCommand(input))).MetricAlarms ?? []).map(
        (a) => a.AlarmName ?? '',
      );
    expect(await names({})).toEqual(['a-alarm', 'a-second', 'b-alarm', 'c-other']);
    expect(await names({ AlarmNames: ['c-other', 'a-alarm', 'missing'] })).toEqual([
      'a-alarm',
      'c-other',
    ]);
    expect(await names({ AlarmNamePrefix: 'a-' })).toEqual(['a-alarm', 'a-second']);
    expect(await names({ StateValue: 'ALARM' })).toEqual([]);
    expect(await names({ StateValue: 'INSUFFICIENT_DATA', AlarmNamePrefix: 'b' })).toEqual([
      'b-alarm',
    ]);
    expect(await names({ ActionPrefix: 'arn:aws:sns:us-east-1:333333333333:o' })).toEqual([
      'c-other',
    ]);
    expect(await names({ AlarmTypes: ['CompositeAlarm'] })).toEqual([]);

    const first = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 3 }));
    expect(first.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['a-alarm', 'a-second', 'b-alarm']);
    const second = await cw.send(
      new DescribeAlarmsCommand({ MaxRecords: 3, NextToken: first.NextToken }),
    );
    expect(second.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['c-other']);
    expect(second.NextToken).toBeUndefined();

    expect(
      await rejection(cw.send(new DescribeAlarmsCommand({ NextToken: 'bogus' }))),
    ).toBeInstanceOf(InvalidNextToken);
    expect(
      await rejection(
        cw.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })),
      ),
    ).toBeInstanceOf(InvalidParameterCombinationException);
    expect(await rejection(cw.send(new DescribeAlarmsCommand({ MaxRecords: 101 })))).toBeInstanceOf(
      ValidationException,
    );
  });

  it('finds the alarms of a metric', async () => {
    await cw.send(new PutMetricAlarmCommand(errorsAlarm('sum-60')));
    await cw.send(new PutMetricAlarmCommand(errorsAlarm('max-60', { Statistic: 'Maximum' })));
    await cw.send(
      new PutMetricAlarmCommand(
        errorsAlarm('other-dims', { Dimensions: [{ Name: 'Service', Value: 'web' }] }),
      ),
    );
    const find = async (input: object): Promise<string[]> =>
      (
        (
          await cw.send(
            new DescribeAlarmsForMetricCommand({
              Namespace: 'App',
              MetricName: 'Errors',
              ...input,
            }),
          )
        ).MetricAlarms ?? []
      ).map((a) => a.AlarmName ?? '');
    expect(await find({ Dimensions: [{ Name: 'Service', Value: 'api' }] })).toEqual([
      'max-60',
      'sum-60',
    ]);
    expect(
      await find({ Dimensions: [{ Name: 'Service', Value: 'api' }], Statistic: 'Sum' }),
    ).toEqual(['sum-60']);
    expect(await find({ Dimensions: [{ Name: 'Service', Value: 'web' }] })).toEqual(['other-dims']);
    expect(await find({})).toEqual([]);
  });

  it('deletes alarms, ignoring names that do not exist, as CloudWatch does', async () => {
    await cw.send(new PutMetricAlarmCommand(errorsAlarm('one')));
    await cw.send(new PutMetricAlarmCommand(errorsAlarm('two')));
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['one', 'never-existed'] }));
    const left = await cw.send(new DescribeAlarmsCommand({}));
    expect(left.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['two']);
    expect(await rejection(cw.send(new DeleteAlarmsCommand({ AlarmNames: [] })))).toBeInstanceOf(
      MissingRequiredParameterException,
    );
  });

  it('enables and disables alarm actions', async () => {
    await cw.send(new PutMetricAlarmCommand(errorsAlarm('one', { ActionsEnabled: false })));
    const enabled = async (): Promise<boolean | undefined> =>
      (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['one'] }))).MetricAlarms?.[0]
        ?.ActionsEnabled;
    expect(await enabled()).toBe(false);
    await cw.send(new EnableAlarmActionsCommand({ AlarmNames: ['one', 'ghost'] }));
    expect(await enabled()).toBe(true);
    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['one'] }));
    expect(await enabled()).toBe(false);
  });

  it('tags and untags alarms; unknown alarms are ResourceNotFoundException', async () => {
    await cw.send(new PutMetricAlarmCommand(errorsAlarm('one')));
    await cw.send(
      new TagResourceCommand({
        ResourceARN: ARN('one'),
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await cw.send(
      new TagResourceCommand({ ResourceARN: ARN('one'), Tags: [{ Key: 'a', Value: '3' }] }),
    );
    await cw.send(new UntagResourceCommand({ ResourceARN: ARN('one'), TagKeys: ['b'] }));
    const { Tags } = await cw.send(new ListTagsForResourceCommand({ ResourceARN: ARN('one') }));
    expect(Tags).toEqual([{ Key: 'a', Value: '3' }]);
    const missing = await rejection(
      cw.send(new ListTagsForResourceCommand({ ResourceARN: ARN('ghost') })),
    );
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing).toMatchObject({ ResourceType: 'Alarm', ResourceId: ARN('ghost') });
    expect(
      await rejection(
        cw.send(
          new TagResourceCommand({ ResourceARN: 'not-an-arn', Tags: [{ Key: 'a', Value: '1' }] }),
        ),
      ),
    ).toBeInstanceOf(InvalidParameterValueException);
    expect(
      await rejection(
        cw.send(
          new TagResourceCommand({ ResourceARN: ARN('one'), Tags: [{ Key: 'aws:x', Value: '1' }] }),
        ),
      ),
    ).toBeInstanceOf(InvalidParameterValueException);
  });

  describe('refuses bad input with CloudWatch exceptions', () => {
    const cases: [
      string,
      Partial<PutMetricAlarmCommandInput> | ((input: PutMetricAlarmCommandInput) => void),
      new (...args: never[]) => Error,
      RegExp,
    ][] = [
      [
        'a missing EvaluationPeriods',
        (input) => delete input.EvaluationPeriods,
        MissingRequiredParameterException,
        /EvaluationPeriods/,
      ],
      [
        'a missing Threshold',
        (input) => delete input.Threshold,
        MissingRequiredParameterException,
        /Threshold/,
      ],
      [
        'a missing ComparisonOperator',
        (input) => delete input.ComparisonOperator,
        MissingRequiredParameterException,
        /ComparisonOperator/,
      ],
      [
        'a missing Period',
        (input) => delete input.Period,
        MissingRequiredParameterException,
        /Period/,
      ],
      [
        'an anomaly comparison',
        { ComparisonOperator: 'GreaterThanUpperThreshold' },
        InvalidParameterValueException,
        /anomaly detection/,
      ],
      [
        'an unknown comparison',
        { ComparisonOperator: 'Above' as never },
        ValidationException,
        /enum value set/,
      ],
      ['an unknown statistic', { Statistic: 'Median' as never }, ValidationException, /statistic/],
      [
        'both statistics',
        { ExtendedStatistic: 'p99' },
        InvalidParameterCombinationException,
        /Statistic/,
      ],
      [
        'a bad percentile',
        { Statistic: undefined, ExtendedStatistic: 'p101' },
        InvalidParameterValueException,
        /p101/,
      ],
      ['a period of 45 s', { Period: 45 }, InvalidParameterValueException, /Period/],
      [
        'DatapointsToAlarm above EvaluationPeriods',
        { DatapointsToAlarm: 4 },
        ValidationException,
        /DatapointsToAlarm/,
      ],
      [
        'an unknown missing-data treatment',
        { TreatMissingData: 'zero' },
        ValidationException,
        /TreatMissingData/,
      ],
      [
        'more than a day of evaluation',
        { Period: 3000, EvaluationPeriods: 29, DatapointsToAlarm: 1 },
        InvalidParameterValueException,
        /86400/,
      ],
      ['an action that is not an ARN', { AlarmActions: ['page-me'] }, ValidationException, /arn/],
      [
        'a negative EvaluationPeriods',
        { EvaluationPeriods: 0, DatapointsToAlarm: undefined },
        ValidationException,
        /evaluationPeriods/,
      ],
      [
        'Metrics with MetricName',
        {
          Metrics: [
            {
              Id: 'm1',
              MetricStat: {
                Metric: { Namespace: 'App', MetricName: 'Errors' },
                Period: 60,
                Stat: 'Sum',
              },
            },
          ],
        },
        InvalidParameterCombinationException,
        /Metrics/,
      ],
    ];
    for (const [title, change, errorClass, message] of cases) {
      it(`refuses ${title}`, async () => {
        const input = errorsAlarm('bad');
        if (typeof change === 'function') change(input);
        else Object.assign(input, change);
        const error = await rejection(cw.send(new PutMetricAlarmCommand(input)));
        expect(error).toBeInstanceOf(errorClass);
        expect(error.message).toMatch(message);
        expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
      });
    }

    it('sends the query error code alongside the JSON one', async () => {
      const error = await rejection(
        cw.send(new PutMetricAlarmCommand({ ...errorsAlarm('bad'), Period: 45 })),
      );
      expect(error).toMatchObject({
        name: 'InvalidParameterValueException',
        Code: 'InvalidParameterValue',
      });
    });
  });

  describe('IAM', () => {
    it('denies callers without cloudwatch permissions, with the query-compatible code', async () => {
      const reader = await userWithPolicy(kit, 'reader', [
        { Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: '*' },
      ]);
      const client = kit.client(reader);
      expect((await client.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
      const denied = await rejection(client.send(new PutMetricAlarmCommand(errorsAlarm('x'))));
      expect(denied).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 400 } });
      expect(denied.message).toContain(`cloudwatch:PutMetricAlarm on resource: ${ARN('x')}`);
    });

    it('denies every action to a caller without CloudWatch permissions, naming the resource', async () => {
      await cw.send(new PutMetricAlarmCommand(errorsAlarm('guarded')));
      const nobody = kit.client(
        await userWithPolicy(kit, 'nobody', [
          { Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
        ]),
      );
      const metric = { Namespace: 'App', MetricName: 'Errors' };
      const window = {
        StartTime: new Date('2026-03-01T09:00:00Z'),
        EndTime: new Date('2026-03-01T10:00:00Z'),
      };
      const calls: [string, () => Promise<unknown>, string][] = [
        [
          'PutMetricAlarm',
          () => nobody.send(new PutMetricAlarmCommand(errorsAlarm('guarded'))),
          ARN('guarded'),
        ],
        [
          'PutCompositeAlarm',
          () =>
            nobody.send(
              new PutCompositeAlarmCommand({ AlarmName: 'c', AlarmRule: 'ALARM(guarded)' }),
            ),
          ARN('c'),
        ],
        ['DescribeAlarms', () => nobody.send(new DescribeAlarmsCommand({})), ARN('*')],
        [
          'DescribeAlarmsForMetric',
          () => nobody.send(new DescribeAlarmsForMetricCommand(metric)),
          '*',
        ],
        [
          'DeleteAlarms',
          () => nobody.send(new DeleteAlarmsCommand({ AlarmNames: ['guarded'] })),
          ARN('guarded'),
        ],
        [
          'SetAlarmState',
          () =>
            nobody.send(
              new SetAlarmStateCommand({
                AlarmName: 'guarded',
                StateValue: 'OK',
                StateReason: 'r',
              }),
            ),
          ARN('guarded'),
        ],
        [
          'DescribeAlarmHistory',
          () => nobody.send(new DescribeAlarmHistoryCommand({ AlarmName: 'guarded' })),
          ARN('guarded'),
        ],
        [
          'EnableAlarmActions',
          () => nobody.send(new EnableAlarmActionsCommand({ AlarmNames: ['guarded'] })),
          ARN('guarded'),
        ],
        [
          'DisableAlarmActions',
          () => nobody.send(new DisableAlarmActionsCommand({ AlarmNames: ['guarded'] })),
          ARN('guarded'),
        ],
        [
          'PutMetricData',
          () =>
            nobody.send(
              new PutMetricDataCommand({
                Namespace: 'App',
                MetricData: [{ MetricName: 'Errors', Value: 1 }],
              }),
            ),
          '*',
        ],
        [
          'GetMetricData',
          () =>
            nobody.send(
              new GetMetricDataCommand({
                MetricDataQueries: [
                  { Id: 'm', MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' } },
                ],
                ...window,
              }),
            ),
          '*',
        ],
        [
          'GetMetricStatistics',
          () =>
            nobody.send(
              new GetMetricStatisticsCommand({
                ...metric,
                ...window,
                Period: 60,
                Statistics: ['Sum'],
              }),
            ),
          '*',
        ],
        ['ListMetrics', () => nobody.send(new ListMetricsCommand({})), '*'],
        [
          'TagResource',
          () =>
            nobody.send(
              new TagResourceCommand({
                ResourceARN: ARN('guarded'),
                Tags: [{ Key: 'a', Value: 'b' }],
              }),
            ),
          ARN('guarded'),
        ],
        [
          'UntagResource',
          () =>
            nobody.send(new UntagResourceCommand({ ResourceARN: ARN('guarded'), TagKeys: ['a'] })),
          ARN('guarded'),
        ],
        [
          'ListTagsForResource',
          () => nobody.send(new ListTagsForResourceCommand({ ResourceARN: ARN('guarded') })),
          ARN('guarded'),
        ],
      ];
      for (const [action, call, resource] of calls) {
        const denied = await rejection(call());
        expect(denied, action).toMatchObject({ name: 'AccessDenied', Code: 'AccessDenied' });
        expect(denied.message, action).toContain(`cloudwatch:${action} on resource: ${resource}`);
      }
      const alarm = (await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms?.[0];
      expect(alarm).toMatchObject({
        AlarmName: 'guarded',
        StateValue: 'INSUFFICIENT_DATA',
        ActionsEnabled: true,
      });
    });

    it('authorizes alarm actions per alarm ARN and on the alarm tags', async () => {
      await cw.send(
        new PutMetricAlarmCommand(
          errorsAlarm('team-a-errors', { Tags: [{ Key: 'team', Value: 'a' }] }),
        ),
      );
      await cw.send(
        new PutMetricAlarmCommand(
          errorsAlarm('team-b-errors', { Tags: [{ Key: 'team', Value: 'b' }] }),
        ),
      );
      const teamA = kit.client(
        await userWithPolicy(kit, 'team-a', [
          { Effect: 'Allow', Action: 'cloudwatch:PutMetricAlarm', Resource: ARN('team-a-*') },
          {
            Effect: 'Allow',
            Action: 'cloudwatch:DeleteAlarms',
            Resource: '*',
            Condition: { StringEquals: { 'aws:ResourceTag/team': 'a' } },
          },
        ]),
      );
      await teamA.send(new PutMetricAlarmCommand(errorsAlarm('team-a-latency')));
      expect(
        await rejection(teamA.send(new PutMetricAlarmCommand(errorsAlarm('team-b-latency')))),
      ).toMatchObject({
        name: 'AccessDenied',
      });
      await teamA.send(new DeleteAlarmsCommand({ AlarmNames: ['team-a-errors'] }));
      expect(
        await rejection(teamA.send(new DeleteAlarmsCommand({ AlarmNames: ['team-b-errors'] }))),
      ).toMatchObject({
        name: 'AccessDenied',
      });
      const left = await cw.send(new DescribeAlarmsCommand({}));
      expect(left.MetricAlarms?.map((a) => a.AlarmName)).toEqual([
        'team-a-latency',
        'team-b-errors',
      ]);
    });

    it('checks cloudwatch:AlarmActions on PutMetricAlarm', async () => {
      const client = kit.client(
        await userWithPolicy(kit, 'no-pager', [
          { Effect: 'Allow', Action: 'cloudwatch:PutMetricAlarm', Resource: '*' },
          {
            Effect: 'Deny',
            Action: 'cloudwatch:PutMetricAlarm',
            Resource: '*',
            Condition: {
              'ForAnyValue:StringLike': { 'cloudwatch:AlarmActions': 'arn:aws:sns:*:*:page*' },
            },
          },
        ]),
      );
      await client.send(new PutMetricAlarmCommand(errorsAlarm('quiet')));
      const denied = await rejection(
        client.send(
          new PutMetricAlarmCommand(
            errorsAlarm('loud', { AlarmActions: ['arn:aws:sns:us-east-1:333333333333:pager'] }),
          ),
        ),
      );
      expect(denied.message).toContain('explicit deny');
    });

    it('keeps alarms per account: another account cannot tag them', async () => {
      await cw.send(new PutMetricAlarmCommand(errorsAlarm('mine')));
      const prod = kit.client(kit.sandbox.credentialsFor(PROD));
      expect((await prod.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
      const denied = await rejection(
        prod.send(
          new TagResourceCommand({ ResourceARN: ARN('mine'), Tags: [{ Key: 'a', Value: 'b' }] }),
        ),
      );
      expect(denied).toMatchObject({ name: 'AccessDenied' });
    });
  });
});
