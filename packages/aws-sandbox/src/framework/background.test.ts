import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { jsonProtocol } from '../protocols/json-protocol.js';
import { startSandbox, type Sandbox } from '../sandbox.js';
import type { MetricQuery, SandboxEvent } from './background.js';
import type { ServiceDefinition } from './service.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

function probeService(log: string[], events: SandboxEvent[]): ServiceDefinition {
  return {
    name: 'probe',
    protocol: jsonProtocol({ targetPrefix: 'Probe' }),
    actions: {},
    hooks: {
      async onTick(ctx) {
        log.push(`tick@${ctx.clock.now().toISOString()}`);
        await Promise.resolve();
        if (log.length === 1) {
          // An event raised from a tick reaches every listener, this one included.
          await ctx.runtime.publishEvent({
            accountId: ctx.accountIds()[0] ?? '',
            region: 'us-east-1',
            source: 'test.probe',
            detailType: 'Probe',
            time: ctx.clock.now().toISOString(),
            resources: [],
            detail: { n: 1 },
          });
        }
        if (log.length === 2) throw new Error('second tick fails');
      },
      onEvent(_ctx, event) {
        events.push(event);
      },
      metricSamples(ctx, query: MetricQuery) {
        if (query.metricName !== 'Errors') return [];
        return [
          { timestamp: new Date(query.end.getTime() - 1), value: 2 },
          { timestamp: query.start, value: 1 },
        ];
      },
      listMetrics: () => [{ namespace: 'Probe', metricName: 'Errors', dimensions: {} }],
    },
  };
}

describe('background hooks', () => {
  it('ticks on demand, publishes events, records hook errors and merges metric samples', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const log: string[] = [];
    const events: SandboxEvent[] = [];
    sandbox = await startSandbox({
      clock,
      tickIntervalMs: 0,
      extraServices: [probeService(log, events)],
    });
    await sandbox.control.tick();
    clock.advance(60_000);
    await sandbox.control.tick();
    expect(log).toEqual(['tick@2026-01-01T00:00:00.000Z', 'tick@2026-01-01T00:01:00.000Z']);
    expect(events.map((e) => [e.source, e.detail])).toEqual([['test.probe', { n: 1 }]]);

    const response = await fetch(`${sandbox.endpoint}/_sandbox/tick`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(log).toHaveLength(3);
  });

  it('never runs two ticks at once', async () => {
    let running = 0;
    let overlapped = false;
    let runs = 0;
    const slow: ServiceDefinition = {
      name: 'slow',
      protocol: jsonProtocol({ targetPrefix: 'Slow' }),
      actions: {},
      hooks: {
        async onTick() {
          running += 1;
          if (running > 1) overlapped = true;
          runs += 1;
          await new Promise((resolve) => setImmediate(resolve));
          running -= 1;
        },
      },
    };
    sandbox = await startSandbox({ tickIntervalMs: 0, extraServices: [slow] });
    await Promise.all([sandbox.control.tick(), sandbox.control.tick(), sandbox.control.tick()]);
    expect(overlapped).toBe(false);
    // The first tick, then one more covering every request made while it ran.
    expect(runs).toBe(2);
  });
});

describe('the health model', () => {
  it('marks and clears versions through the control API and HTTP', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    const digest = `sha256:${'a'.repeat(64)}`;
    const mark = sandbox.control.markUnhealthy({ imageDigest: digest });
    expect(mark).toEqual({
      subject: 'image-digest',
      value: digest,
      since: '2026-01-01T00:00:00.000Z',
    });
    clock.advance(1000);
    // Idempotent: the first mark's time is kept.
    expect(sandbox.control.markUnhealthy({ imageDigest: digest }).since).toBe(mark.since);

    const post = await fetch(`${sandbox.endpoint}/_sandbox/unhealthy`, {
      method: 'POST',
      body: JSON.stringify({ codeSha256: 'q1w2e3=' }),
    });
    expect(post.status).toBe(201);
    const listed = (await (await fetch(`${sandbox.endpoint}/_sandbox/unhealthy`)).json()) as {
      value: string;
    }[];
    expect(listed.map((m) => m.value)).toEqual([digest, 'q1w2e3=']);

    sandbox.control.markHealthy({ imageDigest: digest });
    const del = await fetch(`${sandbox.endpoint}/_sandbox/unhealthy`, {
      method: 'DELETE',
      body: JSON.stringify({ codeSha256: 'q1w2e3=' }),
    });
    expect(del.status).toBe(200);
    expect(sandbox.control.unhealthy()).toEqual([]);

    // Marks are state: a snapshot carries them and a reset clears them.
    sandbox.control.markUnhealthy({ imageDigest: digest });
    const snapshot = sandbox.control.snapshot();
    sandbox.control.reset();
    expect(sandbox.control.unhealthy()).toEqual([]);
    sandbox.control.restore(snapshot);
    expect(sandbox.control.unhealthy()).toHaveLength(1);
  });

  it('rejects malformed targets', async () => {
    sandbox = await startSandbox({ tickIntervalMs: 0 });
    expect(() => sandbox?.control.markUnhealthy({ imageDigest: 'latest' })).toThrow(/sha256/);
    const bad = await fetch(`${sandbox.endpoint}/_sandbox/unhealthy`, {
      method: 'POST',
      body: JSON.stringify({ digest: 'x' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/imageDigest/);
  });
});
