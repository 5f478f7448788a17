// Test support: a sandbox on a manual clock with only explicit ticks, CloudWatch clients for its
// accounts, and helpers to move time and collect published events.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { clientConfig, type TestCredentials } from '../../../../tests/sdk-clients.js';
import { ManualClock } from '../../../clock.js';
import type { SandboxEvent } from '../../../framework/background.js';
import type { ServiceDefinition } from '../../../framework/service.js';
import { jsonProtocol } from '../../../protocols/json-protocol.js';
import { startSandbox, type Sandbox } from '../../../sandbox.js';

/** A started sandbox with its clock, a CloudWatch client per credentials, and received events. */
export interface CloudWatchKit {
  sandbox: Sandbox;
  clock: ManualClock;
  events: SandboxEvent[];
  client(credentials: TestCredentials): CloudWatchClient;
  /** Advances the clock by `ms` and runs one tick. */
  advance(ms: number): Promise<void>;
  stop(): Promise<void>;
}

/** A service that records every published event, so tests see what EventBridge would receive. */
export function eventRecorder(events: SandboxEvent[]): ServiceDefinition {
  return {
    name: 'event-recorder',
    protocol: jsonProtocol({ targetPrefix: 'EventRecorder' }),
    actions: {},
    hooks: {
      onEvent(_ctx, event) {
        events.push(event);
      },
    },
  };
}

/** Starts a sandbox at `start` (a minute boundary by default) with `extraServices`. */
export async function startCloudWatchKit(
  options: { start?: string; extraServices?: ServiceDefinition[] } = {},
): Promise<CloudWatchKit> {
  const clock = new ManualClock(options.start ?? '2026-03-01T10:00:00Z');
  const events: SandboxEvent[] = [];
  const sandbox = await startSandbox({
    clock,
    tickIntervalMs: 0,
    extraServices: [eventRecorder(events), ...(options.extraServices ?? [])],
  });
  return {
    sandbox,
    clock,
    events,
    client: (credentials) => new CloudWatchClient(clientConfig(sandbox, credentials, { clock })),
    async advance(ms) {
      clock.advance(ms);
      await sandbox.control.tick();
    },
    stop: () => sandbox.stop(),
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
