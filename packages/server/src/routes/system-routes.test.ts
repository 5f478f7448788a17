import type { BlockerListResponse, EngineEventInfo, SseMessage } from '@rampart/protocol';
import { describe, expect, it } from 'vitest';
import { useApiServer } from '../test-support/api-harness.js';

const PUSH_TOKEN = 'an-alarm-push-token-of-enough-length-42';

function alarmEvent(alarm: string, state: 'OK' | 'ALARM', account = '555555555555') {
  return {
    version: '0',
    id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account,
    time: '2030-01-01T00:00:00Z',
    region: 'us-west-2',
    resources: [`arn:aws:cloudwatch:us-west-2:${account}:alarm:${alarm}`],
    detail: {
      alarmName: alarm,
      state: {
        value: state,
        reason: 'threshold crossed',
        timestamp: '2030-01-01T00:00:00.000+0000',
      },
      previousState: { value: state === 'OK' ? 'ALARM' : 'OK' },
    },
  };
}

describe('health, readiness and metrics', () => {
  const t = useApiServer();

  it('/healthz and /readyz need no token; readiness fails when the store does not answer', async () => {
    expect(await t.call('GET', '/healthz', { token: null })).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    expect(await t.call('GET', '/readyz', { token: null })).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { store: 'ok', runtime: 'ok' } },
    });
    await t.server.runtime.stop();
    await t.server.store.close();
    expect(await t.call('GET', '/readyz', { token: null })).toMatchObject({
      status: 503,
      body: { status: 'not_ready', checks: { store: 'failed' } },
    });
  });

  it('/metrics counts deployments, engine transitions, step durations and requests', async () => {
    await t.registerWeb();
    await t.call('POST', '/api/v1/pipelines/web/deployments', { body: {} });
    await t.idle();
    const metrics = await t.call<string>('GET', '/metrics', { token: null });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = metrics.body;
    expect(text).toContain('rampart_deployments_total{pipeline="web",status="running"} 1');
    expect(text).toContain('rampart_deployments_running{pipeline="web"} 1');
    expect(text).toContain('rampart_engine_transitions_total{type="deployment.created"} 1');
    expect(text).toContain(
      'rampart_step_duration_seconds_count{type="RAMPART:SCRIPT:RUN",status="succeeded"} 1',
    );
    expect(text).toContain(
      'rampart_http_requests_total{method="POST",route="/api/v1/pipelines/:slug/deployments",status="201"} 1',
    );
    expect(text).toContain('rampart_process_cpu_seconds_total');
  });
});

describe('the alarm endpoint', () => {
  const t = useApiServer({ config: { alarm_push_token: PUSH_TOKEN } });
  const push = (body: unknown, token: string | null = PUSH_TOKEN) =>
    t.call<{ error?: { code: string } }>('POST', '/api/v1/alarm-events', {
      token: null,
      body,
      headers: token === null ? {} : { 'x-rampart-alarm-token': token },
    });

  it('refuses a missing or wrong secret and a body that is not an alarm event', async () => {
    expect((await push(alarmEvent('web-prod-5xx', 'ALARM'), null)).status).toBe(401);
    expect(
      (await push(alarmEvent('web-prod-5xx', 'ALARM'), `${PUSH_TOKEN}!`)).body.error?.code,
    ).toBe('API_UNAUTHENTICATED');
    const bad = await push({
      source: 'aws.ec2',
      'detail-type': 'EC2 Instance State-change Notification',
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'ALARM_EVENT_INVALID' } } });
  });

  it('an alarm of a stage that succeeded blocks it until the alarm is OK again', async () => {
    await t.registerWeb();
    await t.call('POST', '/api/v1/pipelines/web/deployments', { body: {} });
    await t.idle();
    for (const stage of ['staging', 'prod']) {
      await t.call('POST', '/api/v1/pipelines/web/operations', {
        body: { kind: 'approve', revision: 1, stage, step: 'Approve', reason: 'ok' },
      });
      await t.idle();
    }
    const events = await t.call<{ next: number }>('GET', '/api/v1/events?limit=1000');
    const after = String(events.body.next);
    const until = (type: string) => (m: SseMessage[]) =>
      m.some((x) => (JSON.parse(x.data) as EngineEventInfo).type === type);

    const alarmed = t.stream('/api/v1/pipelines/web/events', until('blocker.added'), {
      'last-event-id': after,
    });
    expect(await push(alarmEvent('web-prod-5xx', 'ALARM'))).toMatchObject({
      status: 202,
      body: { accepted: true, alarm: 'web-prod-5xx', state: 'ALARM' },
    });
    await alarmed;
    const blocked = await t.call<BlockerListResponse>('GET', '/api/v1/pipelines/web/blockers');
    expect(blocked.body.blockers).toMatchObject([
      { stage: 'prod', kind: 'alarm', alarm: { name: 'web-prod-5xx', stage: 'prod' } },
    ]);

    const cleared = t.stream('/api/v1/pipelines/web/events', until('blocker.removed'), {
      'last-event-id': after,
    });
    expect((await push(alarmEvent('web-prod-5xx', 'OK'))).status).toBe(202);
    await cleared;
    expect(
      (await t.call<BlockerListResponse>('GET', '/api/v1/pipelines/web/blockers')).body.blockers,
    ).toEqual([]);
  });
});

describe('the alarm endpoint without alarm_push_token', () => {
  const t = useApiServer();

  it('refuses every call', async () => {
    const answer = await t.call<{ error: { code: string; message: string } }>(
      'POST',
      '/api/v1/alarm-events',
      {
        token: null,
        body: alarmEvent('web-prod-5xx', 'ALARM'),
        headers: { 'x-rampart-alarm-token': PUSH_TOKEN },
      },
    );
    expect(answer).toMatchObject({
      status: 401,
      body: {
        error: {
          code: 'API_UNAUTHENTICATED',
          message: 'the alarm endpoint is disabled on this server',
        },
      },
    });
  });
});
