import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  InvalidFormatFault,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
  type CloudWatchClient,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import type { MetricQuery, MetricSample } from '../../framework/background.js';
import type { ServiceDefinition } from '../../framework/service.js';
import { jsonProtocol } from '../../protocols/json-protocol.js';
import {
  rejection,
  startCloudWatchKit,
  type CloudWatchKit,
} from './test-support/cloudwatch-kit.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-01T10:00:00Z');

/** When the fake target group served errors: `[from, until)` on the sandbox clock. */
interface FakeHealth {
  badFrom?: number;
  badUntil?: number;
}

/**
 * A stand-in for ECS: one request count sample and one 5xx count sample per minute for `web`,
 * the 5xx count non-zero while it was bad — what the health model makes real services emit.
 */
function fakeLoadBalancer(health: FakeHealth): ServiceDefinition {
  return {
    name: 'fake-elb',
    protocol: jsonProtocol({ targetPrefix: 'FakeElb' }),
    actions: {},
    hooks: {
      metricSamples(ctx, query: MetricQuery): MetricSample[] {
        if (
          query.namespace !== 'AWS/ApplicationELB' ||
          query.dimensions['TargetGroup'] !== 'targetgroup/web/1'
        ) {
          return [];
        }
        const samples: MetricSample[] = [];
        const first = Math.ceil(query.start.getTime() / MINUTE) * MINUTE;
        for (let t = first; t < query.end.getTime() && t < ctx.clock.now().getTime(); t += MINUTE) {
          if (query.metricName === 'HTTPCode_Target_5XX_Count') {
            const bad = t >= (health.badFrom ?? Infinity) && t < (health.badUntil ?? Infinity);
            samples.push({ timestamp: new Date(t), value: bad ? 7 : 0, unit: 'Count' });
          }
          if (query.metricName === 'RequestCount')
            samples.push({ timestamp: new Date(t), value: 100, unit: 'Count' });
        }
        return samples;
      },
      listMetrics: () => [
        {
          namespace: 'AWS/ApplicationELB',
          metricName: 'HTTPCode_Target_5XX_Count',
          dimensions: { TargetGroup: 'targetgroup/web/1' },
        },
        {
          namespace: 'AWS/ApplicationELB',
          metricName: 'RequestCount',
          dimensions: { TargetGroup: 'targetgroup/web/1' },
        },
      ],
    },
  };
}

function alarm(
  name: string,
  extra: Partial<PutMetricAlarmCommandInput> = {},
): PutMetricAlarmCommandInput {
  return {
    AlarmName: name,
    Namespace: 'App',
    MetricName: 'Errors',
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    ...extra,
  };
}

describe('alarm evaluation on the sandbox clock', () => {
  let kit: CloudWatchKit;
  let cw: CloudWatchClient;
  const health: FakeHealth = {};

  beforeAll(async () => {
    kit = await startCloudWatchKit({ extraServices: [fakeLoadBalancer(health)] });
    cw = kit.client(kit.sandbox.credentialsFor(DEV));
  });
  beforeEach(() => {
    kit.sandbox.control.reset();
    kit.clock.set(T0);
    kit.events.length = 0;
    delete health.badFrom;
    delete health.badUntil;
  });
  afterAll(() => kit.stop());

  const put = (value: number, at: number): Promise<unknown> =>
    cw.send(
      new PutMetricDataCommand({
        Namespace: 'App',
        MetricData: [{ MetricName: 'Errors', Value: value, Timestamp: new Date(at) }],
      }),
    );
  const stateOf = async (name: string) =>
    (
      await cw.send(
        new DescribeAlarmsCommand({
          AlarmNames: [name],
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        }),
      )
    ).MetricAlarms?.[0];

  it('moves INSUFFICIENT_DATA → OK → ALARM → OK as complete periods arrive, with events', async () => {
    await cw.send(new PutMetricAlarmCommand(alarm('errors', { AlarmDescription: 'errors seen' })));
    await put(0, T0 + 10_000);
    // The 10:00 period is not complete yet: nothing to evaluate but missing data.
    await kit.advance(30_000);
    expect((await stateOf('errors'))?.StateValue).toBe('INSUFFICIENT_DATA');
    await kit.advance(30_000); // 10:01:00, the 10:00 period is complete
    const ok = await stateOf('errors');
    expect(ok?.StateValue).toBe('OK');
    expect(ok?.StateReason).toBe(
      'Threshold Crossed: 1 out of the last 1 datapoints [0.0 (01/03/26 10:00:00)] was not greater than the threshold (0.0) (minimum 1 datapoint for INSUFFICIENT_DATA -> OK transition).',
    );
    expect(ok?.StateUpdatedTimestamp).toEqual(new Date(T0 + MINUTE));

    await put(3, T0 + MINUTE + 59_999); // the last millisecond of the 10:01 period
    await kit.advance(MINUTE);
    const breached = await stateOf('errors');
    expect(breached?.StateValue).toBe('ALARM');
    expect(JSON.parse(breached?.StateReasonData ?? '{}')).toMatchObject({
      version: '1.0',
      statistic: 'Sum',
      period: 60,
      recentDatapoints: [3],
      threshold: 0,
      startDate: '2026-03-01T10:01:00.000+0000',
      queryDate: '2026-03-01T10:02:00.000+0000',
    });

    await put(0, T0 + 2 * MINUTE);
    await kit.advance(MINUTE);
    expect((await stateOf('errors'))?.StateValue).toBe('OK');

    expect(kit.events.map((e) => (e.detail['state'] as { value: string }).value)).toEqual([
      'OK',
      'ALARM',
      'OK',
    ]);
    const event = kit.events[1];
    expect(event).toMatchObject({
      accountId: DEV,
      region: 'us-east-1',
      source: 'aws.cloudwatch',
      detailType: 'CloudWatch Alarm State Change',
      resources: [`arn:aws:cloudwatch:us-east-1:${DEV}:alarm:errors`],
      time: '2026-03-01T10:02:00.000Z',
    });
    expect(event?.detail).toMatchObject({
      alarmName: 'errors',
      state: {
        value: 'ALARM',
        timestamp: '2026-03-01T10:02:00.000+0000',
        reason: breached?.StateReason,
        reasonData: breached?.StateReasonData,
      },
      previousState: {
        value: 'OK',
        reason: ok?.StateReason,
        timestamp: '2026-03-01T10:01:00.000+0000',
      },
      configuration: {
        description: 'errors seen',
        metrics: [
          {
            metricStat: {
              metric: { namespace: 'App', name: 'Errors', dimensions: {} },
              period: 60,
              stat: 'Sum',
            },
            returnData: true,
          },
        ],
      },
    });
    const metrics = (event?.detail['configuration'] as { metrics: { id: string }[] }).metrics;
    expect(metrics[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('evaluates once per minute, not on every tick', async () => {
    await cw.send(new PutMetricAlarmCommand(alarm('errors')));
    await kit.advance(0); // first evaluation at 10:00:00: no complete period with data
    expect((await stateOf('errors'))?.StateValue).toBe('INSUFFICIENT_DATA');
    await put(5, T0 - MINUTE); // late data for the 09:59 period
    await kit.advance(10_000);
    expect((await stateOf('errors'))?.StateValue).toBe('INSUFFICIENT_DATA');
    await kit.advance(50_000);
    expect((await stateOf('errors'))?.StateValue).toBe('ALARM');
  });

  it('treats missing data as each treatment asks', async () => {
    for (const treatment of ['missing', 'notBreaching', 'breaching', 'ignore']) {
      await cw.send(
        new PutMetricAlarmCommand(alarm(`t-${treatment}`, { TreatMissingData: treatment })),
      );
    }
    await kit.advance(MINUTE);
    const states = Object.fromEntries(
      await Promise.all(
        ['missing', 'notBreaching', 'breaching', 'ignore'].map(
          async (t): Promise<[string, string | undefined]> => [
            t,
            (await stateOf(`t-${t}`))?.StateValue,
          ],
        ),
      ),
    );
    expect(states).toEqual({
      missing: 'INSUFFICIENT_DATA',
      notBreaching: 'OK',
      breaching: 'ALARM',
      ignore: 'INSUFFICIENT_DATA',
    });
    expect((await stateOf('t-breaching'))?.StateReason).toBe(
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].',
    );
  });

  it('evaluates percentiles, M of N and LessThan comparisons from PutMetricData values', async () => {
    await cw.send(
      new PutMetricAlarmCommand(
        alarm('slow', {
          MetricName: 'Latency',
          Statistic: undefined,
          ExtendedStatistic: 'p90',
          EvaluationPeriods: 3,
          DatapointsToAlarm: 2,
          Threshold: 500,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        }),
      ),
    );
    await cw.send(
      new PutMetricAlarmCommand(
        alarm('idle', {
          MetricName: 'Latency',
          Statistic: 'SampleCount',
          Threshold: 5,
          ComparisonOperator: 'LessThanThreshold',
        }),
      ),
    );
    const latencies = (minute: number, values: number[]) =>
      cw.send(
        new PutMetricDataCommand({
          Namespace: 'App',
          MetricData: [
            {
              MetricName: 'Latency',
              Values: values,
              Timestamp: new Date(T0 + minute * MINUTE),
              Unit: 'Milliseconds',
            },
          ],
        }),
      );
    // p90 of ten values is the 9th smallest.
    await latencies(0, [10, 20, 30, 40, 50, 60, 70, 80, 500, 900]);
    await latencies(1, [10, 20, 30, 40, 50, 60, 70, 80, 90, 900]);
    await latencies(2, [10, 20, 30, 40, 50, 60, 70, 80, 600, 900]);
    await kit.advance(3 * MINUTE);
    const slow = await stateOf('slow');
    expect(slow?.StateValue).toBe('ALARM');
    expect(slow?.StateReason).toContain(
      '2 out of the last 3 datapoints [600.0 (01/03/26 10:02:00), 500.0 (01/03/26 10:00:00)]',
    );
    expect((await stateOf('idle'))?.StateValue).toBe('OK');

    await latencies(3, [10, 20, 30]);
    await kit.advance(MINUTE);
    expect((await stateOf('idle'))?.StateValue).toBe('ALARM');
    expect((await stateOf('idle'))?.StateReason).toContain('was less than the threshold (5.0)');
  });

  it('evaluates metric math over the samples another service emits', async () => {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'web-5xx-rate',
        EvaluationPeriods: 2,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        Metrics: [
          {
            Id: 'errors',
            ReturnData: false,
            MetricStat: {
              Metric: {
                Namespace: 'AWS/ApplicationELB',
                MetricName: 'HTTPCode_Target_5XX_Count',
                Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/web/1' }],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
          {
            Id: 'requests',
            ReturnData: false,
            MetricStat: {
              Metric: {
                Namespace: 'AWS/ApplicationELB',
                MetricName: 'RequestCount',
                Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/web/1' }],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
          { Id: 'rate', Expression: '100 * errors / requests', Label: '5xx %' },
        ],
      }),
    );
    await kit.advance(3 * MINUTE);
    expect((await stateOf('web-5xx-rate'))?.StateValue).toBe('OK');
    health.badFrom = kit.clock.now().getTime();
    await kit.advance(MINUTE);
    // One bad minute of two: not yet.
    expect((await stateOf('web-5xx-rate'))?.StateValue).toBe('OK');
    await kit.advance(MINUTE);
    const tripped = await stateOf('web-5xx-rate');
    expect(tripped?.StateValue).toBe('ALARM');
    expect(JSON.parse(tripped?.StateReasonData ?? '{}')).toMatchObject({
      recentDatapoints: [7, 7],
    });
    expect(kit.events.at(-1)?.detail['configuration']).toMatchObject({
      metrics: [
        {
          id: 'errors',
          returnData: false,
          metricStat: {
            metric: {
              namespace: 'AWS/ApplicationELB',
              name: 'HTTPCode_Target_5XX_Count',
              dimensions: { TargetGroup: 'targetgroup/web/1' },
            },
            period: 60,
            stat: 'Sum',
          },
        },
        { id: 'requests', returnData: false },
        { id: 'rate', expression: '100 * errors / requests', label: '5xx %', returnData: true },
      ],
    });
    health.badUntil = kit.clock.now().getTime();
    await kit.advance(MINUTE);
    expect((await stateOf('web-5xx-rate'))?.StateValue).toBe('OK');

    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/ApplicationELB' }));
    expect(listed.Metrics?.map((m) => m.MetricName)).toEqual([
      'HTTPCode_Target_5XX_Count',
      'RequestCount',
    ]);
  });

  describe('SetAlarmState', () => {
    it('publishes the change before returning and holds it until the next evaluation', async () => {
      await cw.send(new PutMetricAlarmCommand(alarm('errors')));
      await put(0, T0 - MINUTE);
      await kit.advance(0);
      expect((await stateOf('errors'))?.StateValue).toBe('OK');
      kit.events.length = 0;

      kit.clock.advance(5_000);
      await cw.send(
        new SetAlarmStateCommand({
          AlarmName: 'errors',
          StateValue: 'ALARM',
          StateReason: 'testing the pager',
          StateReasonData: '{"drill":true}',
        }),
      );
      expect(kit.events).toHaveLength(1);
      expect(kit.events[0]?.detail).toMatchObject({
        state: {
          value: 'ALARM',
          reason: 'testing the pager',
          reasonData: '{"drill":true}',
          timestamp: '2026-03-01T10:00:05.000+0000',
        },
        previousState: { value: 'OK' },
      });
      // Later ticks in the same minute do not evaluate again.
      await kit.advance(20_000);
      expect((await stateOf('errors'))?.StateValue).toBe('ALARM');
      // The next minute's evaluation restores what the data says.
      await put(0, T0);
      await kit.advance(35_000);
      expect((await stateOf('errors'))?.StateValue).toBe('OK');
      expect(kit.events.map((e) => (e.detail['state'] as { value: string }).value)).toEqual([
        'ALARM',
        'OK',
      ]);
    });

    it('refuses unknown alarms, bad states and reason data that is not JSON', async () => {
      expect(
        await rejection(
          cw.send(
            new SetAlarmStateCommand({ AlarmName: 'ghost', StateValue: 'OK', StateReason: 'x' }),
          ),
        ),
      ).toBeInstanceOf(ResourceNotFound);
      await cw.send(new PutMetricAlarmCommand(alarm('errors')));
      expect(
        await rejection(
          cw.send(
            new SetAlarmStateCommand({
              AlarmName: 'errors',
              StateValue: 'BROKEN' as never,
              StateReason: 'x',
            }),
          ),
        ),
      ).toMatchObject({ name: 'ValidationException', Code: 'ValidationError' });
      expect(
        await rejection(
          cw.send(
            new SetAlarmStateCommand({
              AlarmName: 'errors',
              StateValue: 'OK',
              StateReason: 'x',
              StateReasonData: '{nope',
            }),
          ),
        ),
      ).toBeInstanceOf(InvalidFormatFault);
      expect(kit.events).toEqual([]);
    });
  });

  describe('DescribeAlarmHistory', () => {
    it('records configuration and state updates with AWS history data, filtered and paged', async () => {
      await cw.send(new PutMetricAlarmCommand(alarm('errors')));
      await put(2, T0);
      await kit.advance(MINUTE);
      await cw.send(new PutMetricAlarmCommand(alarm('errors', { Threshold: 10 })));
      await kit.advance(MINUTE);

      const all = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'errors' }));
      expect(
        all.AlarmHistoryItems?.map((item) => [item.HistoryItemType, item.HistorySummary]),
      ).toEqual([
        ['StateUpdate', 'Alarm updated from ALARM to OK'],
        ['ConfigurationUpdate', 'Alarm "errors" updated'],
        ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
        ['ConfigurationUpdate', 'Alarm "errors" created'],
      ]);
      const stateItem = all.AlarmHistoryItems?.[2];
      expect(stateItem).toMatchObject({
        AlarmName: 'errors',
        AlarmType: 'MetricAlarm',
        Timestamp: new Date(T0 + MINUTE),
      });
      expect(JSON.parse(stateItem?.HistoryData ?? '{}')).toMatchObject({
        version: '1.0',
        oldState: {
          stateValue: 'INSUFFICIENT_DATA',
          stateReason: 'Unchecked: Initial alarm creation',
        },
        newState: { stateValue: 'ALARM', stateReasonData: { recentDatapoints: [2], threshold: 0 } },
      });
      expect(JSON.parse(all.AlarmHistoryItems?.[1]?.HistoryData ?? '{}')).toMatchObject({
        type: 'Update',
        oldState: { threshold: 0 },
        updatedAlarm: { threshold: 10, alarmName: 'errors', okactions: [], metricName: 'Errors' },
      });

      const states = await cw.send(
        new DescribeAlarmHistoryCommand({
          HistoryItemType: 'StateUpdate',
          ScanBy: 'TimestampAscending',
        }),
      );
      expect(states.AlarmHistoryItems?.map((item) => item.HistorySummary)).toEqual([
        'Alarm updated from INSUFFICIENT_DATA to ALARM',
        'Alarm updated from ALARM to OK',
      ]);
      const windowed = await cw.send(
        new DescribeAlarmHistoryCommand({
          StartDate: new Date(T0 + MINUTE),
          EndDate: new Date(T0 + MINUTE),
        }),
      );
      expect(windowed.AlarmHistoryItems?.map((item) => item.HistorySummary)).toEqual([
        'Alarm "errors" updated',
        'Alarm updated from INSUFFICIENT_DATA to ALARM',
      ]);
      const page = await cw.send(new DescribeAlarmHistoryCommand({ MaxRecords: 3 }));
      expect(page.AlarmHistoryItems).toHaveLength(3);
      const rest = await cw.send(
        new DescribeAlarmHistoryCommand({ MaxRecords: 3, NextToken: page.NextToken }),
      );
      expect(rest.AlarmHistoryItems?.map((item) => item.HistorySummary)).toEqual([
        'Alarm "errors" created',
      ]);
      expect(rest.NextToken).toBeUndefined();
      // Composite alarms' history only when asked for.
      expect(
        (await cw.send(new DescribeAlarmHistoryCommand({ AlarmTypes: ['CompositeAlarm'] })))
          .AlarmHistoryItems,
      ).toEqual([]);
    });
  });
});
