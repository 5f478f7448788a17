import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../test-support/engine-harness.js';
import { chain, plan, stage, step } from '../test-support/test-plans.js';

const P = 'p1';
const MIN = 60_000;

describe('step DAG', () => {
  it('runs parallel branches at once and joins them', async () => {
    const h = new EngineHarness().start();
    h.steps.behave('Left', { kind: 'gate' });
    h.steps.behave('Right', { kind: 'gate' });
    const p = plan([
      stage('s', [
        step('Root'),
        step('Left', { dependsOn: ['Root'] }),
        step('Right', { dependsOn: ['Root'] }),
        step('Join', { dependsOn: ['Left', 'Right'] }),
      ]),
    ]);
    const id = await h.deploy(P, p);
    expect(await h.stepStatuses(id, 's')).toEqual({
      Root: 'succeeded',
      Left: 'running',
      Right: 'running',
      Join: 'pending',
    });
    h.steps.release('Left');
    await h.settle();
    expect(await h.stepStatuses(id, 's')).toEqual({
      Root: 'succeeded',
      Left: 'succeeded',
      Right: 'running',
      Join: 'pending',
    });
    h.steps.release('Right');
    await h.settle();
    expect(await h.stepStatuses(id, 's')).toEqual({
      Root: 'succeeded',
      Left: 'succeeded',
      Right: 'succeeded',
      Join: 'succeeded',
    });
    expect(h.steps.calls.map((c) => c.step)).toEqual(['Root', 'Left', 'Right', 'Join']);
  });

  it('skips skipped steps and lets their dependents run', async () => {
    const h = new EngineHarness().start();
    // As the planner bridges skips: B is skipped, C goes after A directly.
    const p = plan([
      stage('s', [
        step('A'),
        step('B', { skipped: true, dependsOn: ['A'] }),
        step('C', { dependsOn: ['A'] }),
      ]),
    ]);
    const id = await h.deploy(P, p);
    expect(await h.stepStatuses(id, 's')).toEqual({ A: 'succeeded', B: 'skipped', C: 'succeeded' });
    expect(h.steps.calls.map((c) => c.step)).toEqual(['A', 'C']);
    expect(h.codes(id)).toContain('step.skipped');
  });

  it('fails a step that runs past its timeout and aborts it', async () => {
    const h = new EngineHarness().start();
    h.steps.behave('Slow', { kind: 'hang' });
    const id = await h.deploy(
      P,
      plan([stage('s', chain([step('Slow', { timeoutMinutes: 15 }), step('Next')]))]),
    );
    await h.advance(15 * MIN - 1);
    expect(await h.stepStatuses(id, 's')).toEqual({ Slow: 'running', Next: 'pending' });
    await h.advance(1);
    expect(await h.stepStatuses(id, 's')).toEqual({ Slow: 'failed', Next: 'cancelled' });
    const slow = (await h.deployment(id)).stages[0]?.steps[0];
    expect(slow?.error).toEqual({ code: 'timeout', message: 'timed out after 15 minutes' });
    // The cancel command reached the executor: its command completed and none is left running.
    const pending = h.store
      .allCommands()
      .filter((c) => c.status === 'pending' && c.type !== 'poll-alarms');
    expect(pending).toEqual([]);
    expect((await h.deployment(id)).status).toBe('failed');
  });

  it('passes an upstream output into a later step through its marker', async () => {
    const h = new EngineHarness().start();
    h.steps.behave('Infra', {
      kind: 'succeed',
      outputs: { url: 'https://api.example', port: 8443 },
    });
    const p = plan([
      stage(
        's',
        chain([
          step('Infra', { key: 'infra' }),
          step('Smoke', {
            params: {
              command: 'curl [OUTPUT:infra/url]:[OUTPUT:infra/port]',
              env: { PORT: '[OUTPUT:infra/port]' },
            },
          }),
        ]),
      ),
    ]);
    const id = await h.deploy(P, p);
    expect(h.steps.calls[1]?.params).toEqual({
      command: 'curl https://api.example:8443',
      env: { PORT: 8443 },
    });
    // The filled params are kept with the step (what a manual rollback to this revision reuses).
    expect((await h.deployment(id)).stages[0]?.steps[1]?.params).toEqual({
      command: 'curl https://api.example:8443',
      env: { PORT: 8443 },
    });
  });

  it('calls a step again after poll-again, carrying its polling state', async () => {
    const h = new EngineHarness().start();
    h.steps.behave('Long', { kind: 'poll', times: 2, afterMs: 5000 });
    const id = await h.deploy(
      P,
      plan([stage('s', [step('Long', { type: 'CUSTOM:LONG', params: {} })])]),
    );
    expect(await h.stepStatuses(id, 's')).toEqual({ Long: 'running' });
    await h.advance(5000);
    await h.advance(5000);
    expect(await h.stepStatuses(id, 's')).toEqual({ Long: 'succeeded' });
    expect(h.steps.calls.map((c) => c.call)).toEqual([1, 2, 3]);
    // One attempt, one journal key, one effect.
    expect([...h.cloud.countsByKey().values()]).toEqual([1]);
  });

  it('fails a step whose params do not fit its type, naming the field', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(
      P,
      plan([
        stage('s', [step('Deploy', { type: 'RAMPART:ECS:DEPLOY', params: { cluster_name: 'c' } })]),
      ]),
    );
    const deploy = (await h.deployment(id)).stages[0]?.steps[0];
    expect(deploy?.status).toBe('failed');
    expect(deploy?.error?.code).toBe('params');
    expect(deploy?.error?.message).toMatch(/^params\.service_name: /);
  });

  it('fails a step whose type has no executor', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(
      P,
      plan([
        stage('s', [step('Fn', { type: 'RAMPART:LAMBDA:INVOKE', params: { function_name: 'f' } })]),
      ]),
    );
    expect((await h.deployment(id)).stages[0]?.steps[0]?.error).toEqual({
      code: 'no-executor',
      message: 'no executor is registered for step type RAMPART:LAMBDA:INVOKE',
    });
  });
});
