import {
  CreateAliasCommand,
  CreateFunctionCommand,
  InvokeCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import type { MetricSample } from '../../framework/background.js';
import type { SandboxRuntime } from '../../framework/runtime.js';
import { jsonProtocol } from '../../protocols/json-protocol.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { SYNTHETIC_INVOCATIONS_PER_MINUTE } from './lambda-metrics.js';
import { createRole, esmHandler, lambdaClients } from './test-support/lambda-kit.js';

const MINUTE = 60_000;
const sum = (samples: MetricSample[]) => samples.reduce((total, s) => total + s.value, 0);

describe('Lambda metrics under the health model', () => {
  const start = Date.parse('2026-03-01T10:00:00Z');
  const clock = new ManualClock(start);
  let sandbox: Sandbox;
  let runtime: SandboxRuntime | undefined;
  let lambda: LambdaClient;

  beforeAll(async () => {
    sandbox = await startSandbox({
      clock,
      tickIntervalMs: 0,
      delays: { 'lambda.create': 0, 'lambda.update': 0 },
      // A probe that hands the test the runtime CloudWatch reads metrics from.
      extraServices: [
        {
          name: 'probe',
          protocol: jsonProtocol({ targetPrefix: 'Probe' }),
          actions: {},
          hooks: {
            onTick: (ctx) => {
              runtime = ctx.runtime;
            },
          },
        },
      ],
    });
    await sandbox.control.tick();
    const clients = lambdaClients(sandbox, sandbox.credentialsFor(DEV), clock);
    lambda = clients.lambda;
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'api',
        Runtime: 'python3.12',
        Handler: 'app.handler',
        Role: await createRole(clients.iam),
        Code: { ZipFile: esmHandler('"v1"') },
      }),
    );
    await lambda.send(new PublishVersionCommand({ FunctionName: 'api' }));
    await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'api', ZipFile: esmHandler('"v2"') }),
    );
    await lambda.send(new PublishVersionCommand({ FunctionName: 'api' }));
    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'api', Name: 'live', FunctionVersion: '1' }),
    );
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const samples = (
    metricName: 'Invocations' | 'Errors',
    dimensions: Record<string, string>,
    from: number,
    to: number,
  ): MetricSample[] => {
    if (!runtime) throw new Error('no runtime');
    return runtime.metricSamples({
      accountId: DEV,
      region: 'us-east-1',
      namespace: 'AWS/Lambda',
      metricName,
      dimensions,
      start: new Date(from),
      end: new Date(to),
    });
  };

  it('emits clean traffic for a healthy alias, errors once it points at unhealthy code, and clean again after a rollback', async () => {
    const resource = { FunctionName: 'api', Resource: 'api:live' };
    clock.advance(5 * MINUTE);
    const healthy = samples('Invocations', resource, start, start + 5 * MINUTE);
    expect(healthy).toHaveLength(5 * SYNTHETIC_INVOCATIONS_PER_MINUTE);
    expect(sum(samples('Errors', resource, start, start + 5 * MINUTE))).toBe(0);
    // Nothing is emitted for the future.
    expect(samples('Invocations', resource, start + 5 * MINUTE + 1, start + 60 * MINUTE)).toEqual(
      [],
    );

    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: 'api' }));
    sandbox.control.markUnhealthy({ codeSha256: v2.CodeSha256 ?? '' });
    await lambda.send(
      new UpdateAliasCommand({ FunctionName: 'api', Name: 'live', FunctionVersion: '2' }),
    );
    clock.advance(3 * MINUTE);
    const bad = samples('Errors', resource, start + 5 * MINUTE, start + 8 * MINUTE);
    expect(bad).toHaveLength(3 * SYNTHETIC_INVOCATIONS_PER_MINUTE);
    expect(sum(bad)).toBe(3 * SYNTHETIC_INVOCATIONS_PER_MINUTE);
    // History is not rewritten: the first five minutes stay clean.
    expect(sum(samples('Errors', resource, start, start + 5 * MINUTE))).toBe(0);
    expect(
      sum(
        samples('Errors', { FunctionName: 'api', ExecutedVersion: '2' }, start, start + 8 * MINUTE),
      ),
    ).toBe(3 * SYNTHETIC_INVOCATIONS_PER_MINUTE);

    await lambda.send(
      new UpdateAliasCommand({ FunctionName: 'api', Name: 'live', FunctionVersion: '1' }),
    );
    clock.advance(2 * MINUTE);
    expect(sum(samples('Errors', resource, start + 8 * MINUTE, start + 10 * MINUTE))).toBe(0);

    // Real calls count as well, under the function's own dimension.
    const before = samples(
      'Invocations',
      { FunctionName: 'api' },
      start,
      clock.now().getTime() + 1,
    );
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'api', Qualifier: '2' }));
    expect(result.FunctionError).toBe('Unhandled');
    const after = samples('Invocations', { FunctionName: 'api' }, start, clock.now().getTime() + 1);
    expect(after.length - before.length).toBe(1);
    expect(
      sum(
        samples(
          'Errors',
          { FunctionName: 'api', Resource: 'api:2' },
          start,
          clock.now().getTime() + 1,
        ),
      ),
    ).toBe(1);

    // Unknown dimension sets and other namespaces get nothing.
    expect(
      samples('Invocations', { FunctionName: 'api', Other: 'x' }, start, start + MINUTE),
    ).toEqual([]);
    const listed = runtime?.listEmittedMetrics(DEV, 'us-east-1') ?? [];
    expect(listed).toContainEqual({
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: 'api', Resource: 'api:live' },
    });
    expect(listed).toContainEqual({
      namespace: 'AWS/Lambda',
      metricName: 'Invocations',
      dimensions: { FunctionName: 'api', ExecutedVersion: '2' },
    });
  });

  it('splits synthetic traffic by alias weights', async () => {
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'api',
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
      }),
    );
    // Start a minute later, clear of the real call above.
    clock.advance(MINUTE);
    const from = clock.now().getTime();
    clock.advance(4 * MINUTE);
    const to = from + 4 * MINUTE;
    const onTwo = samples('Invocations', { FunctionName: 'api', ExecutedVersion: '2' }, from, to);
    const onOne = samples('Invocations', { FunctionName: 'api', ExecutedVersion: '1' }, from, to);
    expect(onTwo).toHaveLength(SYNTHETIC_INVOCATIONS_PER_MINUTE);
    expect(onOne).toHaveLength(3 * SYNTHETIC_INVOCATIONS_PER_MINUTE);
  });
});
