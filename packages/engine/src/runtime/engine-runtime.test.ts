import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../test-support/engine-harness.js';
import { MemoryEngineStore } from '../test-support/memory-engine-store.js';
import { ManualClock } from '../test-support/manual-clock.js';
import { bake, chain, ecsDeploy, plan, stage, step } from '../test-support/test-plans.js';
import { StepExecutorRegistry } from './step-executor-registry.js';
import { EngineRuntime } from './engine-runtime.js';
import { fakeCredentials } from '../test-support/engine-harness.js';
import { FakeAlarmReader } from '../test-support/fake-alarm-reader.js';
import type { StepExecutor } from '../ports/step-executor.js';

const P = 'p1';

describe('EngineRuntime', () => {
  it('stop gives running commands back, so another worker runs them at once', async () => {
    const a = new EngineHarness({ workerId: 'a' }).start();
    a.steps.behave('Slow', { kind: 'gate' });
    const id = await a.deploy(P, plan([stage('s', [step('Slow')])]));
    expect(await a.stepStatuses(id, 's')).toEqual({ Slow: 'running' });
    await a.runtime.stop();
    const held = a.store.allCommands().find((c) => c.type === 'execute-step');
    expect(held).toMatchObject({ status: 'pending', attempts: 1 });
    expect(held?.leaseOwner).toBeUndefined();
    a.steps.behave('Slow', { kind: 'succeed' });
    const b = new EngineHarness({
      workerId: 'b',
      clock: a.clock,
      store: a.store,
      steps: a.steps,
    }).start();
    await b.settle();
    expect((await b.deployment(id)).status).toBe('succeeded');
    expect(a.cloud.effects).toHaveLength(1);
  });

  it('whenIdle waits for the work due now and returns while only timers are ahead', async () => {
    const h = new EngineHarness().start();
    await h.runtime.requestDeployment(P, {
      commitSha: 'c',
      trigger: 'api',
      actor: 'a',
      plan: plan([stage('s', chain([ecsDeploy('Deploy'), bake('Bake', 5)]))]),
    });
    await h.runtime.whenIdle();
    expect(await h.stages('p1:1')).toEqual({ s: 'baking' });
    h.clock.advance(5 * 60_000);
    await h.runtime.whenIdle();
    expect(await h.stages('p1:1')).toEqual({ s: 'succeeded' });
  });

  it('emits committed events with the store sequence numbers, and answers queries', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(P, plan([stage('s', [step('A')])]));
    const stored = await h.runtime.listEvents({ pipelineId: P });
    expect(h.events.map((e) => [e.seq, e.type])).toEqual(stored.map((e) => [e.seq, e.type]));
    expect(h.events.every((e, i) => i === 0 || e.seq > (h.events[i - 1]?.seq ?? 0))).toBe(true);
    expect((await h.runtime.getDeployment(id))?.status).toBe('succeeded');
    expect(await h.runtime.getDeployment('p1:404')).toBeUndefined();
    expect(await h.runtime.getPipelineState('nope')).toBeUndefined();
  });

  it('stops an executor whose lease another worker took, and does not report its result', async () => {
    const h = new EngineHarness({ workerId: 'a' }).start();
    h.steps.behave('Slow', { kind: 'gate' });
    const id = await h.deploy(P, plan([stage('s', [step('Slow')])]));
    const command = h.store.allCommands().find((c) => c.type === 'execute-step');
    if (command === undefined) throw new Error('no command');
    await h.store.releaseCommand('a', command.id);
    await h.store.claimCommands({
      owner: 'thief',
      now: h.clock.now().toISOString(),
      leaseMs: 3_600_000,
      limit: 10,
    });
    await h.advance(10_000);
    expect(h.notices).toContainEqual({ code: 'runtime.lease_lost', commandId: command.id });
    expect(await h.stepStatuses(id, 's')).toEqual({ Slow: 'running' });
    expect(h.store.allCommands().find((c) => c.id === command.id)).toMatchObject({
      status: 'pending',
      leaseOwner: 'thief',
    });
    expect(h.cloud.effects).toEqual([]);
  });

  it('retries a command whose infrastructure failed after its lease, then gives it up', async () => {
    let checks = 0;
    const h = new EngineHarness({
      runtime: {
        maxCommandAttempts: 2,
        resources: {
          check: () => {
            checks += 1;
            return Promise.reject(new Error('DescribeStacks throttled'));
          },
        },
      },
    }).start();
    const id = await h.deploy(P, plan([stage('s', [step('A')])]));
    expect(h.notices).toContainEqual({
      code: 'runtime.command_failed',
      commandId: 'p1:1/0/r1/check',
      message: 'DescribeStacks throttled',
    });
    await h.advance(30_000);
    expect(checks).toBe(2);
    await h.advance(30_000);
    expect(checks).toBe(2);
    expect(h.notices).toContainEqual({
      code: 'runtime.command_abandoned',
      commandId: 'p1:1/0/r1/check',
      attempts: 3,
    });
    expect((await h.deployment(id)).stages[0]?.error).toMatch(
      /resource check failed: gave up after 3 attempts/,
    );
  });

  it('reports a store that cannot be reached and carries on when it is back', async () => {
    const clock = new ManualClock();
    const store = new MemoryEngineStore(clock);
    let down = true;
    const flaky = Object.assign(Object.create(store) as MemoryEngineStore, {
      claimCommands: (options: Parameters<MemoryEngineStore['claimCommands']>[0]) =>
        down ? Promise.reject(new Error('database is locked')) : store.claimCommands(options),
    });
    const h = new EngineHarness({ clock, store, runtimeStore: flaky }).start();
    await h.runtime.requestDeployment(P, {
      commitSha: 'c',
      trigger: 'api',
      actor: 'a',
      plan: plan([stage('s', [step('A')])]),
    });
    await h.settle();
    expect(h.notices).toContainEqual({
      code: 'runtime.store_failed',
      operation: 'claimCommands',
      message: 'database is locked',
    });
    down = false;
    await h.advance(1000);
    expect((await h.deployment('p1:1')).status).toBe('succeeded');
  });

  it('turns a throwing executor and a malformed result into a failed step', async () => {
    const clock = new ManualClock();
    const store = new MemoryEngineStore(clock);
    const executors = new StepExecutorRegistry();
    const anyParams = { safeParse: (input: unknown) => ({ success: true as const, data: input }) };
    const thrower: StepExecutor = {
      type: 'CUSTOM:THROW',
      paramsSchema: anyParams,
      iamActions: () => [],
      execute: () => Promise.reject(new Error('exit 137')),
    };
    const garbage: StepExecutor = {
      type: 'CUSTOM:GARBAGE',
      paramsSchema: anyParams,
      iamActions: () => [],
      execute: () => Promise.resolve({ kind: 'maybe' } as never),
    };
    executors.register(thrower).register(garbage);
    const runtime = new EngineRuntime({
      store,
      clock,
      workerId: 'w',
      executors,
      alarms: new FakeAlarmReader(),
      credentials: fakeCredentials,
    });
    runtime.start();
    await runtime.requestDeployment(P, {
      commitSha: 'c',
      trigger: 'api',
      actor: 'a',
      plan: plan([
        stage(
          's',
          chain([
            step('T', { type: 'CUSTOM:THROW', params: {} }),
            step('G', { type: 'CUSTOM:GARBAGE', params: {} }),
          ]),
        ),
      ]),
    });
    await runtime.whenIdle();
    const steps = (await runtime.getDeployment('p1:1'))?.stages[0]?.steps;
    expect(steps?.map((s) => [s.name, s.status, s.error?.message])).toEqual([
      ['T', 'failed', 'exit 137'],
      ['G', 'cancelled', undefined],
    ]);
    await runtime.requestDeployment('p2', {
      commitSha: 'c',
      trigger: 'api',
      actor: 'a',
      plan: plan([stage('s', [step('G', { type: 'CUSTOM:GARBAGE', params: {} })])]),
    });
    await runtime.whenIdle();
    expect((await runtime.getDeployment('p2:1'))?.stages[0]?.steps[0]?.error).toEqual({
      code: 'executor',
      message: 'the executor returned an invalid result',
    });
    await runtime.stop();
    await runtime.stop();
  });
});
