import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import type { SandboxRuntime } from '../../framework/runtime.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { appendLogEvents } from './append-log-events.js';
import { runtimeProbe } from './test-support/runtime-probe.js';

const START = Date.parse('2026-03-01T10:00:00Z');

describe('appendLogEvents', () => {
  const clock = new ManualClock(START);
  const probe = runtimeProbe();
  let sandbox: Sandbox;
  let runtime: SandboxRuntime;
  let logs: CloudWatchLogsClient;
  const where = {
    accountId: DEV,
    region: 'us-east-1',
    logGroupName: '/ecs/api',
    logStreamName: 'ecs/web/task-1',
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0, extraServices: [probe.service] });
    runtime = await probe.runtimeOf(sandbox);
    logs = new CloudWatchLogsClient(clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }));
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates the stream and stores events in time order, visible through the API', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/api' }));
    appendLogEvents(runtime, where, [
      { timestamp: START + 2, message: 'second' },
      { timestamp: START + 1, message: 'first' },
    ]);
    appendLogEvents(runtime, where, [{ timestamp: START + 3, message: 'third' }]);
    const { events } = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/api',
        logStreamName: 'ecs/web/task-1',
        startFromHead: true,
      }),
    );
    expect(events?.map((e) => e.message)).toEqual(['first', 'second', 'third']);
    expect(events?.[0]?.ingestionTime).toBe(START);
    const { logStreams } = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: '/ecs/api' }),
    );
    expect(logStreams?.map((s) => s.logStreamName)).toEqual(['ecs/web/task-1']);
  });

  it('throws naming the group when it is missing, unless told to create it', async () => {
    expect(() => appendLogEvents(runtime, where, [{ timestamp: START, message: 'x' }])).toThrow(
      /\/ecs\/api/,
    );
    appendLogEvents(runtime, where, [{ timestamp: START, message: 'x' }], { createGroup: true });
    const { events } = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/api', logStreamName: 'ecs/web/task-1' }),
    );
    expect(events?.map((e) => e.message)).toEqual(['x']);
  });

  it('throws for an unknown account', () => {
    expect(() =>
      appendLogEvents(runtime, { ...where, accountId: '999999999999' }, [], { createGroup: true }),
    ).toThrow(/999999999999/);
  });
});
