import {
  CreateStackCommand,
  DeleteStackCommand,
  UpdateStackCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  CreateLogStreamCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  ResourceNotFoundException,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import type { SandboxRuntime } from '../../framework/runtime.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { eventBridge } from '../events/test-support/events-kit.js';
import { startReceiver, type HttpReceiver } from '../events/test-support/http-receiver.js';
import { runtimeProbe } from '../logs/test-support/runtime-probe.js';
import { cfnClients, describeStack, stackEvents } from './test-support/cfn-sandbox.js';

interface Version {
  retention?: number;
  state?: 'ENABLED' | 'DISABLED';
  pattern?: string;
  apiKey?: string;
}

function template(v: Version = {}): string {
  return `
Parameters:
  Endpoint: {Type: String}
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /rampart/deploys
      RetentionInDays: ${v.retention ?? 7}
  GeneratedLogs:
    Type: AWS::Logs::LogGroup
  Connection:
    Type: AWS::Events::Connection
    Properties:
      Name: rampart-alarms
      AuthorizationType: API_KEY
      AuthParameters:
        ApiKeyAuthParameters: {ApiKeyName: x-rampart-key, ApiKeyValue: ${v.apiKey ?? 'key-1'}}
  Destination:
    Type: AWS::Events::ApiDestination
    Properties:
      ConnectionArn: !GetAtt Connection.Arn
      InvocationEndpoint: !Sub '\${Endpoint}/alarms'
      HttpMethod: POST
      InvocationRateLimitPerSecond: 10
  AlarmRule:
    Type: AWS::Events::Rule
    Properties:
      Description: alarm changes to rampart
      State: ${v.state ?? 'ENABLED'}
      EventPattern: ${
        v.pattern ??
        `
        source: [aws.cloudwatch]
        detail-type: [CloudWatch Alarm State Change]
        detail:
          state:
            value: [ALARM]`
      }
      Targets:
        - Id: rampart
          Arn: !GetAtt Destination.Arn
          RoleArn: !Sub 'arn:aws:iam::\${AWS::AccountId}:role/events-invoke'
          InputTransformer:
            InputPathsMap: {alarm: $.detail.alarmName}
            InputTemplate: '{"alarm": <alarm>}'
          RetryPolicy: {MaximumRetryAttempts: 5}
Outputs:
  LogGroupName: {Value: !Ref Logs}
  LogGroupArn: {Value: !GetAtt Logs.Arn}
  GeneratedName: {Value: !Ref GeneratedLogs}
  ConnectionName: {Value: !Ref Connection}
  ConnectionArn: {Value: !GetAtt Connection.Arn}
  SecretArn: {Value: !GetAtt Connection.SecretArn}
  DestinationName: {Value: !Ref Destination}
  DestinationArn: {Value: !GetAtt Destination.Arn}
  RuleName: {Value: !Ref AlarmRule}
  RuleArn: {Value: !GetAtt AlarmRule.Arn}
`;
}

describe('EventBridge and CloudWatch Logs resource types', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const probe = runtimeProbe();
  let sandbox: Sandbox;
  let runtime: SandboxRuntime;
  let cfn: CloudFormationClient;
  let events: EventBridgeClient;
  let logs: CloudWatchLogsClient;
  let receiver: HttpReceiver;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0, extraServices: [probe.service] });
    runtime = await probe.runtimeOf(sandbox);
    ({ cfn } = cfnClients(sandbox, sandbox.credentialsFor(DEV), clock));
    events = eventBridge(sandbox, sandbox.credentialsFor(DEV), clock);
    logs = new CloudWatchLogsClient(clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }));
  });
  beforeEach(async () => {
    sandbox.control.reset();
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const create = (v: Version = {}) =>
    cfn.send(
      new CreateStackCommand({
        StackName: 'alerts',
        TemplateBody: template(v),
        Parameters: [{ ParameterKey: 'Endpoint', ParameterValue: receiver.url }],
      }),
    );
  const update = (v: Version) =>
    cfn.send(
      new UpdateStackCommand({
        StackName: 'alerts',
        TemplateBody: template(v),
        Parameters: [{ ParameterKey: 'Endpoint', ParameterValue: receiver.url }],
      }),
    );
  const outputs = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      ((await describeStack(cfn, 'alerts')).Outputs ?? []).map((o) => [
        o.OutputKey ?? '',
        o.OutputValue ?? '',
      ]),
    );
  const publishAlarm = () =>
    runtime.publishEvent({
      accountId: DEV,
      region: 'us-east-1',
      source: 'aws.cloudwatch',
      detailType: 'CloudWatch Alarm State Change',
      time: clock.now().toISOString(),
      resources: [`arn:aws:cloudwatch:us-east-1:${DEV}:alarm:api-5xx`],
      detail: { alarmName: 'api-5xx', state: { value: 'ALARM' } },
    });

  it('creates the resources with Ref and GetAtt values, and the rule delivers', async () => {
    await create();
    expect((await describeStack(cfn, 'alerts')).StackStatus).toBe('CREATE_COMPLETE');
    const out = await outputs();
    expect(out['LogGroupName']).toBe('/rampart/deploys');
    expect(out['LogGroupArn']).toBe(`arn:aws:logs:us-east-1:${DEV}:log-group:/rampart/deploys:*`);
    expect(out['GeneratedName']).toMatch(/^alerts-GeneratedLogs-[A-Z0-9]{12}$/);
    expect(out['ConnectionName']).toBe('rampart-alarms');
    expect(out['ConnectionArn']).toMatch(
      new RegExp(`^arn:aws:events:us-east-1:${DEV}:connection/rampart-alarms/[0-9a-f-]{36}$`),
    );
    expect(out['SecretArn']).toMatch(/:secret:events!connection\/rampart-alarms\//);
    expect(out['DestinationArn']).toMatch(
      new RegExp(
        `^arn:aws:events:us-east-1:${DEV}:api-destination/${out['DestinationName'] ?? ''}/`,
      ),
    );
    expect(out['RuleArn']).toBe(`arn:aws:events:us-east-1:${DEV}:rule/${out['RuleName'] ?? ''}`);

    const groups = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/rampart' }),
    );
    expect(groups.logGroups?.[0]).toMatchObject({
      logGroupName: '/rampart/deploys',
      retentionInDays: 7,
    });
    const destination = await events.send(
      new DescribeApiDestinationCommand({ Name: out['DestinationName'] }),
    );
    expect(destination).toMatchObject({
      ConnectionArn: out['ConnectionArn'],
      InvocationEndpoint: `${receiver.url}/alarms`,
      InvocationRateLimitPerSecond: 10,
    });
    const rule = await events.send(new DescribeRuleCommand({ Name: out['RuleName'] }));
    expect(rule).toMatchObject({ State: 'ENABLED', Description: 'alarm changes to rampart' });
    expect(JSON.parse(rule.EventPattern ?? '')).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { state: { value: ['ALARM'] } },
    });
    const { Targets } = await events.send(new ListTargetsByRuleCommand({ Rule: out['RuleName'] }));
    expect(Targets).toEqual([
      {
        Id: 'rampart',
        Arn: out['DestinationArn'],
        RoleArn: `arn:aws:iam::${DEV}:role/events-invoke`,
        InputTransformer: {
          InputPathsMap: { alarm: '$.detail.alarmName' },
          InputTemplate: '{"alarm": <alarm>}',
        },
        RetryPolicy: { MaximumRetryAttempts: 5 },
      },
    ]);

    await publishAlarm();
    const request = await receiver.request(1);
    expect(request.url).toBe('/alarms');
    expect(request.headers['x-rampart-key']).toBe('key-1');
    expect(JSON.parse(request.body)).toEqual({ alarm: 'api-5xx' });
  });

  it('updates retention, the connection key and the rule state in place', async () => {
    await create();
    const before = await outputs();
    await update({ retention: 30, state: 'DISABLED', apiKey: 'key-2' });
    expect((await describeStack(cfn, 'alerts')).StackStatus).toBe('UPDATE_COMPLETE');
    expect(await outputs()).toEqual(before);
    const groups = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/rampart' }),
    );
    expect(groups.logGroups?.[0]?.retentionInDays).toBe(30);
    const rule = await events.send(new DescribeRuleCommand({ Name: before['RuleName'] }));
    expect(rule.State).toBe('DISABLED');
    await publishAlarm();
    await sandbox.control.tick();
    expect(receiver.requests).toEqual([]);

    await update({ retention: 30, state: 'ENABLED', apiKey: 'key-2' });
    // Stack operations progress as the stack is observed, as a caller polls.
    expect((await describeStack(cfn, 'alerts')).StackStatus).toBe('UPDATE_COMPLETE');
    await publishAlarm();
    expect((await receiver.request(1)).headers['x-rampart-key']).toBe('key-2');
  });

  it('deletes everything with the stack, the log group with its events', async () => {
    await create();
    const out = await outputs();
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: '/rampart/deploys', logStreamName: 's' }),
    );
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/rampart/deploys',
        logStreamName: 's',
        logEvents: [{ timestamp: clock.now().getTime(), message: 'kept until deleted' }],
      }),
    );
    const stackId = (await describeStack(cfn, 'alerts')).StackId ?? '';
    await cfn.send(new DeleteStackCommand({ StackName: 'alerts' }));
    expect((await describeStack(cfn, stackId)).StackStatus).toBe('DELETE_COMPLETE');
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    await expect(
      logs.send(new GetLogEventsCommand({ logGroupName: '/rampart/deploys', logStreamName: 's' })),
    ).rejects.toThrow('The specified log group does not exist.');
    for (const call of [
      events.send(new DescribeRuleCommand({ Name: out['RuleName'] })),
      events.send(new DescribeConnectionCommand({ Name: 'rampart-alarms' })),
      events.send(new DescribeApiDestinationCommand({ Name: out['DestinationName'] })),
    ]) {
      await expect(call).rejects.toBeInstanceOf(ResourceNotFoundException);
    }
  });

  it('fails and rolls back on an invalid event pattern, with EventBridge’s message', async () => {
    await create({ pattern: '{source: aws.cloudwatch}' });
    expect((await describeStack(cfn, 'alerts')).StackStatus).toBe('ROLLBACK_COMPLETE');
    const failed = (await stackEvents(cfn, 'alerts')).find(
      (e) => e.LogicalResourceId === 'AlarmRule' && e.ResourceStatus === 'CREATE_FAILED',
    );
    expect(failed?.ResourceStatusReason).toContain('Event pattern is not valid');
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
  });
});
