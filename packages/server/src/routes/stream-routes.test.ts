import type { EngineEventInfo, LogLineInfo } from '@rampart/protocol';
import type { SseMessage } from '@rampart/protocol';
import { describe, expect, it } from 'vitest';
import { useApiServer } from '../test-support/api-harness.js';

const data = <T>(m: SseMessage): T => JSON.parse(m.data) as T;
/** What the command wrote (Rampart's own `info` lines left out). */
const logTexts = (messages: SseMessage[]) =>
  messages
    .filter((m) => m.event === 'log')
    .map((m) => data<LogLineInfo>(m))
    .filter((line) => line.stream !== 'info')
    .map((line) => line.text);

describe('log and event streams', () => {
  const t = useApiServer();

  const release = async () => {
    await t.registerWeb();
    const started = await t.call('POST', '/api/v1/pipelines/web/deployments', { body: {} });
    expect(started.status).toBe(201);
    await t.idle();
  };
  const approve = async (stage: string) => {
    const answer = await t.call('POST', '/api/v1/pipelines/web/operations', {
      body: { kind: 'approve', revision: 1, stage, step: 'Approve', reason: 'ok' },
    });
    expect(answer.status).toBe(200);
    await t.idle();
  };

  it('streams log lines with ids, resumes after Last-Event-ID, and ends once the deployment is over', async () => {
    await release();
    const logs = '/api/v1/pipelines/web/deployments/1/logs';
    const first = await t.stream(logs, (m) => logTexts(m).includes('warning: slow'));
    expect(first.every((m) => m.event === 'log')).toBe(true);
    const ids = first.map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.every((id, i) => id === data<LogLineInfo>(first[i] as SseMessage).seq)).toBe(true);

    const resumed = await t.stream(logs, (m) => m.length > 0, { 'last-event-id': String(ids[0]) });
    expect(data<LogLineInfo>(resumed[0] as SseMessage).seq).toBe(ids[1]);

    await approve('staging');
    await approve('prod');
    // No stop condition: the server ends the stream after the last line.
    const all = await t.stream(logs, () => false);
    const end = all[all.length - 1];
    expect(end?.event).toBe('end');
    expect(data(end as SseMessage)).toEqual({ status: 'succeeded' });
    expect(logTexts(all)).toEqual(expect.arrayContaining(['building staging', 'building prod']));
    const onlyProd = await t.stream(`${logs}?stage=prod&step=Build`, () => false);
    expect(logTexts(onlyProd)).toEqual(['building prod', 'warning: slow']);
  });

  it('streams events live and resumes by sequence number', async () => {
    await release();
    const backlog = await t.stream('/api/v1/events?pipeline=web', (m) =>
      m.some((x) => data<EngineEventInfo>(x).type === 'approval.required'),
    );
    expect(backlog.every((m) => m.event === 'engine-event')).toBe(true);
    const created = backlog
      .map((m) => data<EngineEventInfo>(m))
      .find((e) => e.type === 'deployment.created');
    expect(created).toMatchObject({ pipeline: 'web', revision: 1, actor: 'token:admin' });

    const last = Number(backlog[backlog.length - 1]?.id);
    const live = t.stream(
      '/api/v1/pipelines/web/events',
      (m) => m.some((x) => data<EngineEventInfo>(x).type === 'operation.stopped'),
      { 'last-event-id': String(last) },
    );
    const stop = await t.call('POST', '/api/v1/pipelines/web/operations', {
      body: { kind: 'stop', stage: 'prod', reason: 'freeze' },
    });
    expect(stop.status).toBe(200);
    const received = (await live).map((m) => data<EngineEventInfo>(m));
    expect(received.every((e) => e.seq > last)).toBe(true);
    expect(received.find((e) => e.type === 'operation.stopped')).toMatchObject({
      stage: 'prod',
      actor: 'token:admin',
      reason: 'freeze',
    });

    const page = await t.call<{ events: EngineEventInfo[]; next: number }>(
      'GET',
      `/api/v1/events?after=${last}&limit=1`,
    );
    expect(page.body.events.map((e) => e.seq)).toEqual([received[0]?.seq]);
    expect(page.body.next).toBe(received[0]?.seq);
    const empty = await t.call<{ events: EngineEventInfo[]; next: number }>(
      'GET',
      '/api/v1/events?after=999999',
    );
    expect(empty.body).toEqual({ events: [], next: 999999 });
    const noPipeline = await t.call<{ error: { code: string } }>(
      'GET',
      '/api/v1/events?revision=1',
    );
    expect(noPipeline).toMatchObject({
      status: 400,
      body: { error: { code: 'API_INVALID_REQUEST' } },
    });
  });

  it('a stream needs a token like any other read', async () => {
    const answer = await t.call('GET', '/api/v1/events', {
      token: null,
      headers: { accept: 'text/event-stream' },
    });
    expect(answer.status).toBe(401);
  });
});
