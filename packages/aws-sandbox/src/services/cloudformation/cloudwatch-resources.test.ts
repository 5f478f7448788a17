import {
  CreateStackCommand,
  DeleteStackCommand,
  UpdateStackCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { cfnClients, describeStack, stackEvents } from './test-support/cfn-sandbox.js';

interface Version {
  alarmName?: string;
  threshold?: number | string;
  period?: number;
  tags?: Record<string, string>;
}

function alarmTemplate(v: Version = {}): string {
  return JSON.stringify({
    Resources: {
      Errors: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          ...(v.alarmName !== undefined ? { AlarmName: v.alarmName } : {}),
          AlarmDescription: 'target 5xx',
          Namespace: 'AWS/ApplicationELB',
          MetricName: 'HTTPCode_Target_5XX_Count',
          Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/web/0123456789abcdef' }],
          Statistic: 'Sum',
          Period: v.period ?? 60,
          EvaluationPeriods: '2',
          DatapointsToAlarm: 1,
          Threshold: v.threshold ?? 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [{ 'Fn::Sub': 'arn:aws:sns:${AWS::Region}:${AWS::AccountId}:page' }],
          ...(v.tags
            ? { Tags: Object.entries(v.tags).map(([Key, Value]) => ({ Key, Value })) }
            : {}),
        },
      },
      Rate: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: 'web-error-rate',
          EvaluationPeriods: 1,
          Threshold: 5,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Metrics: [
            {
              Id: 'errors',
              ReturnData: false,
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/ApplicationELB',
                  MetricName: 'HTTPCode_Target_5XX_Count',
                },
                Period: 60,
                Stat: 'Sum',
              },
            },
            {
              Id: 'requests',
              ReturnData: false,
              MetricStat: {
                Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount' },
                Period: 60,
                Stat: 'Sum',
              },
            },
            { Id: 'rate', Expression: '100 * errors / requests' },
          ],
        },
      },
    },
    Outputs: {
      Name: { Value: { Ref: 'Errors' } },
      Arn: { Value: { 'Fn::GetAtt': ['Errors', 'Arn'] } },
    },
  });
}

describe('AWS::CloudWatch::Alarm', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let cfn: CloudFormationClient;
  let cw: CloudWatchClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    ({ cfn } = cfnClients(sandbox, sandbox.credentialsFor(DEV), clock));
    cw = new CloudWatchClient(clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }));
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  const outputs = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      ((await describeStack(cfn, 'alarms')).Outputs ?? []).map((o) => [
        o.OutputKey ?? '',
        o.OutputValue ?? '',
      ]),
    );
  const alarms = async () => (await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];

  it('creates alarms with a generated name, Ref and GetAtt Arn', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'alarms',
        TemplateBody: alarmTemplate(),
        Tags: [{ Key: 'owner', Value: 'rampart' }],
      }),
    );
    expect((await describeStack(cfn, 'alarms')).StackStatus).toBe('CREATE_COMPLETE');
    const out = await outputs();
    expect(out['Name']).toMatch(/^alarms-Errors-[A-Z0-9]{12}$/);
    expect(out['Arn']).toBe(`arn:aws:cloudwatch:us-east-1:${DEV}:alarm:${out['Name'] ?? ''}`);
    const created = await alarms();
    expect(created.map((a) => a.AlarmName)).toEqual([out['Name'], 'web-error-rate']);
    expect(created[0]).toMatchObject({
      AlarmDescription: 'target 5xx',
      Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/web/0123456789abcdef' }],
      EvaluationPeriods: 2,
      DatapointsToAlarm: 1,
      Threshold: 0,
      TreatMissingData: 'notBreaching',
      AlarmActions: [`arn:aws:sns:us-east-1:${DEV}:page`],
      StateValue: 'INSUFFICIENT_DATA',
    });
    expect(created[1]?.Metrics?.map((m) => m.Id)).toEqual(['errors', 'requests', 'rate']);
    const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: out['Arn'] }));
    expect(tags.Tags).toEqual([{ Key: 'owner', Value: 'rampart' }]);
  });

  it('updates in place keeping the state, replaces on a new name, deletes with the stack', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'alarms',
        TemplateBody: alarmTemplate({ alarmName: 'web-5xx', tags: { team: 'a' } }),
      }),
    );
    await cw.send(
      new SetAlarmStateCommand({ AlarmName: 'web-5xx', StateValue: 'ALARM', StateReason: 'drill' }),
    );
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'alarms',
        TemplateBody: alarmTemplate({ alarmName: 'web-5xx', threshold: '3', tags: { team: 'b' } }),
      }),
    );
    expect((await describeStack(cfn, 'alarms')).StackStatus).toBe('UPDATE_COMPLETE');
    const updated = (await alarms()).find((a) => a.AlarmName === 'web-5xx');
    expect(updated).toMatchObject({ Threshold: 3, StateValue: 'ALARM', StateReason: 'drill' });
    const tags = await cw.send(
      new ListTagsForResourceCommand({
        ResourceARN: `arn:aws:cloudwatch:us-east-1:${DEV}:alarm:web-5xx`,
      }),
    );
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'b' }]);

    await cfn.send(
      new UpdateStackCommand({
        StackName: 'alarms',
        TemplateBody: alarmTemplate({ alarmName: 'web-5xx-v2' }),
      }),
    );
    expect((await describeStack(cfn, 'alarms')).StackStatus).toBe('UPDATE_COMPLETE');
    expect((await alarms()).map((a) => a.AlarmName)).toEqual(['web-5xx-v2', 'web-error-rate']);

    const stackId = (await describeStack(cfn, 'alarms')).StackId ?? '';
    await cfn.send(new DeleteStackCommand({ StackName: 'alarms' }));
    // Stack operations progress as the stack is observed, as a caller polls.
    expect((await describeStack(cfn, stackId)).StackStatus).toBe('DELETE_COMPLETE');
    expect(await alarms()).toEqual([]);
  });

  it('fails the resource with CloudWatch’s message for an invalid alarm', async () => {
    await cfn.send(
      new CreateStackCommand({ StackName: 'alarms', TemplateBody: alarmTemplate({ period: 45 }) }),
    );
    const stack = await describeStack(cfn, 'alarms');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    const failed = (await stackEvents(cfn, 'alarms')).find(
      (e) => e.LogicalResourceId === 'Errors' && e.ResourceStatus === 'CREATE_FAILED',
    );
    expect(failed?.ResourceStatusReason).toContain(
      'The parameter Period must be 10, 20, 30 or a multiple of 60',
    );
    expect(failed?.ResourceStatusReason).toContain('HandlerErrorCode: InvalidRequest');
    expect(await alarms()).toEqual([]);
  });
});
