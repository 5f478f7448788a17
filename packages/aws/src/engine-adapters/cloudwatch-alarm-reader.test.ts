import {
  DescribeAlarmsCommand,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { ManualClock, startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import type { CredentialsProvider, StageTarget } from '@rampart/engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsClientFactory } from '../sdk/aws-client-factory.js';
import { CloudWatchAlarmReader } from './cloudwatch-alarm-reader.js';

const STAGING = '444444444444';
const TARGET: StageTarget = {
  pipelineId: 'pl-1',
  pipelineSlug: 'web',
  stage: 'staging',
  accountId: STAGING,
  region: 'us-west-2',
  role: 'rampart-acme-web-staging',
};

describe('CloudWatchAlarmReader', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let sdk: AwsClientFactory;
  const asked: StageTarget[] = [];
  /** The stage credentials port, answering with the account's admin keys. */
  const credentials: CredentialsProvider = {
    credentialsFor: (target) => {
      asked.push(target);
      return Promise.resolve(sandbox.credentialsFor(target.accountId));
    },
  };
  const cloudWatch = (region = TARGET.region) =>
    sdk.cloudWatch({ region, credentials: sandbox.credentialsFor(STAGING) });
  const metricAlarm = (name: string, region = TARGET.region) =>
    cloudWatch(region).send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'AWS/ECS',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: [{ Name: 'ServiceName', Value: 'web' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
  const setState = async (name: string, state: 'OK' | 'ALARM') =>
    cloudWatch().send(
      new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: 'test' }),
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, clock });
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(() => {
    sandbox.control.reset();
    asked.length = 0;
  });

  it('reads each alarm’s state and when it entered it, leaving out alarms that do not exist', async () => {
    await metricAlarm('web-5xx');
    await metricAlarm('web-latency');
    await metricAlarm('web-5xx-east', 'us-east-1');
    clock.advance(60_000);
    await setState('web-5xx', 'ALARM');
    await cloudWatch().send(
      new PutCompositeAlarmCommand({ AlarmName: 'web-any', AlarmRule: 'ALARM("web-5xx")' }),
    );
    await sandbox.control.tick();
    const described = await cloudWatch().send(
      new DescribeAlarmsCommand({
        AlarmNames: ['web-5xx', 'web-any'],
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      }),
    );
    const reader = new CloudWatchAlarmReader({ sdk, credentials });
    const readings = await reader.readAlarms(TARGET, [
      'web-latency',
      'web-5xx',
      'missing',
      'web-5xx-east',
      'web-any',
    ]);
    expect(readings).toEqual([
      { alarm: 'web-latency', state: 'INSUFFICIENT_DATA', changedAt: '2026-03-01T10:00:00.000Z' },
      {
        alarm: 'web-5xx',
        state: 'ALARM',
        changedAt: described.MetricAlarms?.[0]?.StateUpdatedTimestamp?.toISOString(),
      },
      {
        alarm: 'web-any',
        state: 'ALARM',
        changedAt: described.CompositeAlarms?.[0]?.StateUpdatedTimestamp?.toISOString(),
      },
    ]);
    expect(readings[1]?.changedAt).toBe('2026-03-01T10:01:00.000Z');
    expect(asked).toContainEqual(TARGET);
  });

  it('asks nothing for no alarms, and rejects when the alarms cannot be read', async () => {
    const reader = new CloudWatchAlarmReader({ sdk, credentials });
    expect(await reader.readAlarms(TARGET, [])).toEqual([]);
    expect(asked).toEqual([]);
    const refused = new CloudWatchAlarmReader({
      sdk,
      credentials: {
        credentialsFor: () =>
          Promise.resolve({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'nope' }),
      },
    });
    await expect(refused.readAlarms(TARGET, ['web-5xx'])).rejects.toThrow();
  });
});
