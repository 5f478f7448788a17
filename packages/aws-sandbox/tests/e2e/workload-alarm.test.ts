/**
 * Issue 4's end-to-end proof: a CloudFormation stack creates an ECS service, an alarm on its 5xx
 * metric and an EventBridge rule to an HTTP endpoint; marking the new image unhealthy and
 * updating the service delivers the ALARM event to that endpoint — with no test code in between.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startSandbox, type Sandbox } from '../../src/index.js';
import {
  startReceiver,
  type HttpReceiver,
} from '../../src/services/events/test-support/http-receiver.js';
import { advance, ecsClient, following } from '../../src/services/ecs/test-support/ecs-sandbox.js';
import { clientConfig, DEV } from '../sdk-clients.js';

const GOOD = `registry.example/web@sha256:${'a'.repeat(64)}`;
const BAD_DIGEST = `sha256:${'b'.repeat(64)}`;
const BAD = `registry.example/web@${BAD_DIGEST}`;

function template(endpoint: string) {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: 'web' } },
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          Family: 'web',
          ContainerDefinitions: [{ Name: 'web', Image: GOOD, Essential: true, Memory: 512 }],
        },
      },
      Service: {
        Type: 'AWS::ECS::Service',
        Properties: {
          Cluster: { Ref: 'Cluster' },
          ServiceName: 'web',
          TaskDefinition: { Ref: 'Task' },
          DesiredCount: 2,
        },
      },
      Errors: {
        Type: 'AWS::CloudWatch::Alarm',
        DependsOn: 'Service',
        Properties: {
          AlarmName: 'web-5xx',
          Namespace: 'AWS/ECS',
          MetricName: 'HTTPCode_Target_5XX_Count',
          Dimensions: [
            { Name: 'ClusterName', Value: 'web' },
            { Name: 'ServiceName', Value: 'web' },
          ],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        },
      },
      InvokeRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sts:AssumeRole',
              },
            ],
          },
        },
      },
      Connection: {
        Type: 'AWS::Events::Connection',
        Properties: {
          AuthorizationType: 'API_KEY',
          AuthParameters: {
            ApiKeyAuthParameters: { ApiKeyName: 'X-Rampart-Key', ApiKeyValue: 'demo-secret' },
          },
        },
      },
      Destination: {
        Type: 'AWS::Events::ApiDestination',
        Properties: {
          ConnectionArn: { 'Fn::GetAtt': ['Connection', 'Arn'] },
          InvocationEndpoint: `${endpoint}/alarm-events`,
          HttpMethod: 'POST',
        },
      },
      Rule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventPattern: {
            source: ['aws.cloudwatch'],
            'detail-type': ['CloudWatch Alarm State Change'],
            detail: { alarmName: ['web-5xx'] },
          },
          Targets: [
            {
              Id: 'rampart',
              Arn: { 'Fn::GetAtt': ['Destination', 'Arn'] },
              RoleArn: { 'Fn::GetAtt': ['InvokeRole', 'Arn'] },
            },
          ],
        },
      },
    },
  };
}

describe('a bad image trips its alarm and the alarm reaches an HTTP endpoint', () => {
  let sandbox: Sandbox;
  let receiver: HttpReceiver;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await sandbox.stop();
  });

  it('creates the stack, then an unhealthy rollout sends ALARM and a rollback sends OK', async () => {
    const admin = sandbox.credentialsFor(DEV);
    const config = () => clientConfig(sandbox, admin, { clock });
    const cfn = following(clock, new CloudFormationClient(config()));
    const cloudWatch = following(clock, new CloudWatchClient(config()));
    const ecs = ecsClient(sandbox, admin, clock);

    await cfn.send(
      new CreateStackCommand({
        StackName: 'web',
        TemplateBody: JSON.stringify(template(receiver.url)),
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    let status = '';
    for (let i = 0; i < 40 && !status.endsWith('_COMPLETE') && !status.endsWith('_FAILED'); i++) {
      await advance(sandbox, clock, 5_000);
      const out = await cfn.send(new DescribeStacksCommand({ StackName: 'web' }));
      status = out.Stacks?.[0]?.StackStatus ?? '';
    }
    expect(status).toBe('CREATE_COMPLETE');

    // A few healthy minutes: the alarm settles on OK (its first state change, also delivered).
    for (let i = 0; i < 3; i++) await advance(sandbox, clock, 60_000);
    const settled = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['web-5xx'] }));
    expect(settled.MetricAlarms?.[0]?.StateValue).toBe('OK');
    const before = receiver.requests.length;

    // The bad version: marked unhealthy, then deployed like any other.
    sandbox.control.markUnhealthy({ imageDigest: BAD_DIGEST });
    const revision = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [{ name: 'web', image: BAD, essential: true, memory: 512 }],
      }),
    );
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'web',
        service: 'web',
        taskDefinition: revision.taskDefinition?.taskDefinitionArn,
      }),
    );
    let alarm: { detail: { alarmName: string; state: { value: string } } } | undefined;
    for (let i = 0; i < 10 && alarm === undefined; i++) {
      await advance(sandbox, clock, 60_000);
      alarm = receiver.requests
        .slice(before)
        .map(
          (r) => JSON.parse(r.body) as { detail: { alarmName: string; state: { value: string } } },
        )
        .find((event) => event.detail.state.value === 'ALARM');
    }
    expect(alarm?.detail.alarmName).toBe('web-5xx');
    const delivery = receiver.requests.slice(before).find((r) => r.body.includes('"ALARM"'));
    expect(delivery?.method).toBe('POST');
    expect(delivery?.url).toBe('/alarm-events');
    expect(delivery?.headers['x-rampart-key']).toBe('demo-secret');
    expect(delivery?.headers['content-type']).toContain('application/json');

    // Rolling back to the good revision clears the errors, and the OK change is delivered too.
    const service = await ecs.send(
      new DescribeServicesCommand({ cluster: 'web', services: ['web'] }),
    );
    expect(service.services?.[0]?.taskDefinition).toBe(revision.taskDefinition?.taskDefinitionArn);
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'web', service: 'web', taskDefinition: 'web:1' }),
    );
    const afterAlarm = receiver.requests.length;
    let ok = false;
    for (let i = 0; i < 10 && !ok; i++) {
      await advance(sandbox, clock, 60_000);
      ok = receiver.requests.slice(afterAlarm).some((r) => r.body.includes('"value":"OK"'));
    }
    expect(ok).toBe(true);
  });
});
