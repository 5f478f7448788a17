import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateConnectionCommand,
  DeleteApiDestinationCommand,
  PutEventsCommand,
  UpdateApiDestinationCommand,
  type EventBridgeClient,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV, STAGING } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import type { SandboxRuntime } from '../../framework/runtime.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { runtimeProbe } from '../logs/test-support/runtime-probe.js';
import type { DeliveryAttempt } from './delivery-queue.js';
import {
  ALARM_PATTERN,
  apiDestination,
  eventBridge,
  eventsRoleArn,
  ruleTo,
} from './test-support/events-kit.js';
import { startReceiver, type HttpReceiver } from './test-support/http-receiver.js';

const START = '2026-03-01T10:00:00Z';
const ROLE = eventsRoleArn(DEV);
const ALARM_ARN = `arn:aws:cloudwatch:us-east-1:${DEV}:alarm:api-5xx`;

function alarmDetail(value: 'ALARM' | 'OK'): Record<string, unknown> {
  return {
    alarmName: 'api-5xx',
    state: { value, reason: 'Threshold Crossed', timestamp: '2026-03-01T10:00:00.000+0000' },
    previousState: { value: value === 'ALARM' ? 'OK' : 'ALARM', reason: 'before' },
    configuration: { metrics: [] },
  };
}

describe('EventBridge delivery to API destinations', () => {
  const clock = new ManualClock(START);
  const probe = runtimeProbe();
  let sandbox: Sandbox;
  let runtime: SandboxRuntime;
  let events: EventBridgeClient;
  let receiver: HttpReceiver;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0, extraServices: [probe.service] });
    runtime = await probe.runtimeOf(sandbox);
    events = eventBridge(sandbox, sandbox.credentialsFor(DEV), clock);
  });
  beforeEach(async () => {
    sandbox.control.reset();
    clock.set(START);
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  /** An alarm rule delivering to the receiver's `/hooks/alarms`. */
  async function alarmRule(target: Partial<Target> = {}): Promise<string> {
    const { destinationArn } = await apiDestination(events, {
      name: 'rampart',
      endpoint: `${receiver.url}/hooks/*`,
    });
    await ruleTo(events, {
      name: 'alarms',
      pattern: ALARM_PATTERN,
      target: {
        Id: 'rampart',
        Arn: destinationArn,
        RoleArn: ROLE,
        HttpParameters: { PathParameterValues: ['alarms'] },
        ...target,
      },
    });
    return destinationArn;
  }

  const publishAlarm = (value: 'ALARM' | 'OK', accountId = DEV) =>
    runtime.publishEvent({
      accountId,
      region: 'us-east-1',
      source: 'aws.cloudwatch',
      detailType: 'CloudWatch Alarm State Change',
      time: clock.now().toISOString(),
      resources: [ALARM_ARN],
      detail: alarmDetail(value),
    });

  /** The attempts recorded so far, after letting attempts in flight finish. */
  async function attempts(): Promise<DeliveryAttempt[]> {
    await sandbox.control.tick();
    return sandbox.control.eventDeliveries();
  }

  it('POSTs an internal alarm event to the API destination with the API key', async () => {
    await alarmRule();
    await publishAlarm('ALARM');
    const request = await receiver.request(1);
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hooks/alarms');
    expect(request.headers['x-api-key']).toBe('secret-key');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      version: '0',
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: DEV,
      time: '2026-03-01T10:00:00Z',
      region: 'us-east-1',
      resources: [ALARM_ARN],
      detail: alarmDetail('ALARM'),
    });
    expect(body['id']).toMatch(/^[0-9a-f-]{36}$/);
    const [attempt] = await attempts();
    expect(attempt).toMatchObject({
      eventId: body['id'],
      ruleArn: `arn:aws:events:us-east-1:${DEV}:rule/alarms`,
      targetId: 'rampart',
      attempt: 1,
      status: 200,
      outcome: 'delivered',
      method: 'POST',
      url: `${receiver.url}/hooks/alarms`,
    });
    const overHttp = await fetch(`${sandbox.endpoint}/_sandbox/event-deliveries`);
    expect(await overHttp.json()).toEqual(sandbox.control.eventDeliveries());
  });

  it('delivers alarm state changes made through CloudWatch SetAlarmState', async () => {
    await alarmRule();
    const cloudwatch = new CloudWatchClient(
      clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }),
    );
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'api-5xx',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    await cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: 'api-5xx', StateValue: 'ALARM', StateReason: 'test' }),
    );
    const body = JSON.parse((await receiver.request(1)).body) as {
      source: string;
      resources: string[];
      detail: { alarmName: string; state: { value: string } };
    };
    expect(body.source).toBe('aws.cloudwatch');
    expect(body.resources).toEqual([ALARM_ARN]);
    expect(body.detail.alarmName).toBe('api-5xx');
    expect(body.detail.state.value).toBe('ALARM');
  });

  it('settles deliveries of alarms that a tick evaluates within that tick', async () => {
    await alarmRule();
    const cloudwatch = new CloudWatchClient(
      clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }),
    );
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'api-5xx',
        Namespace: 'Rampart/Test',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'Rampart/Test',
        MetricData: [{ MetricName: 'Errors', Value: 5, Timestamp: clock.now() }],
      }),
    );
    clock.advance(60_000);
    await sandbox.control.tick();
    // No second tick: the EventBridge hook runs after CloudWatch's in the same tick.
    const alarms = sandbox.control.eventDeliveries().filter((a) => a.outcome === 'delivered');
    expect(alarms).toHaveLength(1);
    const body = JSON.parse(receiver.requests[0]?.body ?? '{}') as {
      detail: { state: { value: string } };
    };
    expect(body.detail.state.value).toBe('ALARM');
  });

  it('does not deliver events the pattern rejects or other accounts’ events', async () => {
    await alarmRule();
    await publishAlarm('OK');
    await publishAlarm('ALARM', STAGING);
    expect(await attempts()).toEqual([]);
    expect(receiver.requests).toEqual([]);
  });

  it('delivers nothing for a disabled rule', async () => {
    const { destinationArn } = await apiDestination(events, {
      name: 'rampart',
      endpoint: `${receiver.url}/x`,
    });
    await ruleTo(events, {
      name: 'alarms',
      pattern: ALARM_PATTERN,
      target: { Id: 'rampart', Arn: destinationArn, RoleArn: ROLE },
      state: 'DISABLED',
    });
    await publishAlarm('ALARM');
    expect(await attempts()).toEqual([]);
    expect(receiver.requests).toEqual([]);
  });

  it('delivers PutEvents entries with a custom source, transformed, with basic auth', async () => {
    const { destinationArn } = await apiDestination(events, {
      name: 'deploys',
      endpoint: `${receiver.url}/deploys`,
      method: 'PUT',
      auth: {
        AuthorizationType: 'BASIC',
        AuthParameters: {
          BasicAuthParameters: { Username: 'rampart', Password: 'pa55' },
          InvocationHttpParameters: {
            HeaderParameters: [{ Key: 'x-connection', Value: 'yes', IsValueSecret: true }],
            QueryStringParameters: [{ Key: 'from', Value: 'connection' }],
          },
        },
      },
    });
    await ruleTo(events, {
      name: 'deploys',
      pattern: { source: ['rampart.deploy'], detail: { stage: [{ prefix: 'prod' }] } },
      target: {
        Id: 'hook',
        Arn: destinationArn,
        RoleArn: ROLE,
        InputTransformer: {
          InputPathsMap: { stage: '$.detail.stage', version: '$.detail.version' },
          InputTemplate:
            '{"text": "deployed <version> to <stage>", "stage": <stage>, "rule": "<aws.events.rule-name>"}',
        },
        HttpParameters: {
          HeaderParameters: { 'x-target': 'target' },
          QueryStringParameters: { from: 'target', extra: '1' },
        },
      },
    });
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'rampart.deploy',
            DetailType: 'Deployed',
            Detail: '{"stage":"prod-eu","version":"v7"}',
          },
          {
            Source: 'rampart.deploy',
            DetailType: 'Deployed',
            Detail: '{"stage":"dev","version":"v8"}',
          },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
    const request = await receiver.request(1);
    expect(request.method).toBe('PUT');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('rampart:pa55').toString('base64')}`,
    );
    expect(request.headers['x-connection']).toBe('yes');
    expect(request.headers['x-target']).toBe('target');
    const url = new URL(request.url, receiver.url);
    expect(url.pathname).toBe('/deploys');
    expect(url.searchParams.get('from')).toBe('connection');
    expect(url.searchParams.get('extra')).toBe('1');
    expect(JSON.parse(request.body)).toEqual({
      text: 'deployed v7 to prod-eu',
      stage: 'prod-eu',
      rule: 'deploys',
    });
    const recorded = await attempts();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.eventId).toBe(put.Entries?.[0]?.EventId);
    expect(receiver.requests).toHaveLength(1);
  });

  it('retries a 500 on the sandbox clock and succeeds after the clock moves', async () => {
    await alarmRule();
    receiver.respondWith(500);
    await publishAlarm('ALARM');
    await receiver.request(1);
    const [failed] = await attempts();
    expect(failed).toMatchObject({
      attempt: 1,
      status: 500,
      outcome: 'retry-scheduled',
      nextAttemptAt: '2026-03-01T10:00:01.000Z',
    });
    // Not due yet: a tick without moving the clock sends nothing.
    await sandbox.control.tick();
    expect(receiver.requests).toHaveLength(1);
    clock.advance(1000);
    await sandbox.control.tick();
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1]?.body).toBe(receiver.requests[0]?.body);
    expect((await attempts()).map((a) => [a.attempt, a.status, a.outcome])).toEqual([
      [1, 500, 'retry-scheduled'],
      [2, 200, 'delivered'],
    ]);
  });

  it('backs off exponentially and gives up after MaximumRetryAttempts, naming the DLQ', async () => {
    await alarmRule({
      RetryPolicy: { MaximumRetryAttempts: 2 },
      DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${DEV}:dlq` },
    });
    receiver.respondWith(503, 429, 502);
    await publishAlarm('ALARM');
    await attempts();
    clock.advance(1000);
    await sandbox.control.tick();
    clock.advance(2000);
    await sandbox.control.tick();
    clock.advance(60_000);
    await sandbox.control.tick();
    expect(receiver.requests).toHaveLength(3);
    expect(
      (await attempts()).map((a) => [
        a.attempt,
        a.status,
        a.outcome,
        a.nextAttemptAt ?? a.deadLetterArn,
      ]),
    ).toEqual([
      [1, 503, 'retry-scheduled', '2026-03-01T10:00:01.000Z'],
      [2, 429, 'retry-scheduled', '2026-03-01T10:00:03.000Z'],
      [3, 502, 'failed', `arn:aws:sqs:us-east-1:${DEV}:dlq`],
    ]);
  });

  it('stops retrying when the event is older than MaximumEventAgeInSeconds', async () => {
    await alarmRule({ RetryPolicy: { MaximumEventAgeInSeconds: 60 } });
    receiver.respondWith(500, 500, 500, 500, 500, 500, 500);
    await publishAlarm('ALARM');
    await attempts();
    for (const wait of [1000, 2000, 4000, 8000, 16_000, 32_000]) {
      clock.advance(wait);
      await sandbox.control.tick();
    }
    const recorded = await attempts();
    // Attempts at 0, 1, 3, 7, 15 and 31 s; the next would come at 63 s, past the 60 s age.
    expect(recorded.map((a) => a.outcome)).toEqual([
      ...Array<string>(5).fill('retry-scheduled'),
      'failed',
    ]);
    expect(receiver.requests).toHaveLength(6);
  });

  it('does not retry a 400', async () => {
    await alarmRule();
    receiver.respondWith(400);
    await publishAlarm('ALARM');
    expect((await attempts()).map((a) => [a.status, a.outcome])).toEqual([[400, 'failed']]);
    clock.advance(3_600_000);
    await sandbox.control.tick();
    expect(receiver.requests).toHaveLength(1);
  });

  it('retries network errors', async () => {
    const closed = receiver.url;
    await receiver.close();
    const { destinationArn } = await apiDestination(events, {
      name: 'down',
      endpoint: `${closed}/x`,
    });
    await ruleTo(events, {
      name: 'alarms',
      pattern: ALARM_PATTERN,
      target: { Id: 'down', Arn: destinationArn, RoleArn: ROLE },
    });
    await publishAlarm('ALARM');
    const [attempt] = await attempts();
    expect(attempt?.outcome).toBe('retry-scheduled');
    expect(attempt?.status).toBeUndefined();
    expect(attempt?.error).toBeDefined();
    receiver = await startReceiver();
  });

  it('fails for good when the API destination was deleted', async () => {
    await alarmRule();
    await events.send(new DeleteApiDestinationCommand({ Name: 'rampart' }));
    await publishAlarm('ALARM');
    const [attempt] = await attempts();
    expect(attempt).toMatchObject({ outcome: 'failed' });
    expect(attempt?.error).toContain('does not exist');
  });

  it('fetches and caches an OAuth token for OAUTH_CLIENT_CREDENTIALS connections', async () => {
    const tokens = await startReceiver();
    try {
      const connection = await events.send(
        new CreateConnectionCommand({
          Name: 'oauth',
          AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
          AuthParameters: {
            OAuthParameters: {
              AuthorizationEndpoint: `${tokens.url}/token`,
              HttpMethod: 'POST',
              ClientParameters: { ClientID: 'client', ClientSecret: 'shh' },
            },
          },
        }),
      );
      const { destinationArn } = await apiDestination(events, {
        name: 'with-oauth',
        endpoint: `${receiver.url}/x`,
      });
      // Point the destination at the OAuth connection instead of the helper's API key one.
      await events.send(
        new UpdateApiDestinationCommand({
          Name: 'with-oauth',
          ConnectionArn: connection.ConnectionArn,
        }),
      );
      await ruleTo(events, {
        name: 'alarms',
        pattern: ALARM_PATTERN,
        target: { Id: 'oauth', Arn: destinationArn, RoleArn: ROLE },
      });
      tokens.respondWith({ status: 200, body: '{"access_token":"tok-1","expires_in":60}' });
      tokens.respondWith({ status: 200, body: '{"access_token":"tok-2","expires_in":60}' });
      await publishAlarm('ALARM');
      await attempts();
      await publishAlarm('ALARM');
      await attempts();
      // The token is cached until it expires on the sandbox clock.
      expect(tokens.requests).toHaveLength(1);
      expect(tokens.requests[0]?.headers.authorization).toBe(
        `Basic ${Buffer.from('client:shh').toString('base64')}`,
      );
      expect(tokens.requests[0]?.body).toContain('grant_type=client_credentials');
      clock.advance(61_000);
      await publishAlarm('ALARM');
      await attempts();
      expect(tokens.requests).toHaveLength(2);
      expect(receiver.requests.map((r) => r.headers.authorization)).toEqual([
        'Bearer tok-1',
        'Bearer tok-1',
        'Bearer tok-2',
      ]);
    } finally {
      await tokens.close();
    }
  });
});
