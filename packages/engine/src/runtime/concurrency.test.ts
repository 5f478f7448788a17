import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../test-support/engine-harness.js';
import { threeStagePlan } from '../test-support/test-plans.js';

const MIN = 60_000;
const by = { actor: 'user:hal', reason: 'maintenance' };

describe('concurrency', () => {
  it('pipelines are independent: a stopped or failing pipeline does not hold another', async () => {
    const h = new EngineHarness().start();
    await h.operate('p1', { kind: 'stop', stage: 'staging', ...by }).catch(() => undefined);
    const blocked = await h.deploy('p1', threeStagePlan('api:1'));
    await h.operate('p1', { kind: 'stop', stage: 'staging', ...by });
    const free = await h.deploy('p2', threeStagePlan('api:1'));
    const p2plan = threeStagePlan('api:9');
    const failing = p2plan.stages[0];
    if (failing === undefined) throw new Error('no stage');
    failing.steps = [{ ...failing.steps[0]!, name: 'Broken' }];
    h.steps.behave('Broken', { kind: 'fail', message: 'no' });
    const bad = await h.deploy('p3', p2plan);
    for (let i = 0; i < 3; i++) await h.advance(30 * MIN);
    expect((await h.deployment(free)).status).toBe('succeeded');
    expect((await h.deployment(bad)).status).toBe('failed');
    // p1's first revision entered before the stop; the stop holds only what comes next.
    expect((await h.deployment(blocked)).status).toBe('succeeded');
    const next = await h.deploy('p1', threeStagePlan('api:2'));
    expect((await h.deployment(next)).stages[0]).toMatchObject({
      status: 'waiting',
      waitingFor: 'blocked',
    });
    expect(await h.runtime.listDeployments({ pipelineId: 'p2' })).toHaveLength(1);
    expect((await h.state('p2')).tracks['staging']?.blockers).toEqual([]);
  });

  it('two workers on one store finish every deployment, each step effect once', async () => {
    const a = new EngineHarness({ workerId: 'worker-a' });
    const b = new EngineHarness({
      workerId: 'worker-b',
      clock: a.clock,
      store: a.store,
      steps: a.steps,
      alarms: a.alarms,
    });
    a.start();
    b.start();
    const ids: string[] = [];
    for (const pipeline of ['p1', 'p2', 'p3', 'p4']) {
      ids.push(await a.deploy(pipeline, threeStagePlan('api:1')));
      ids.push(await b.deploy(pipeline, threeStagePlan('api:2')));
    }
    for (let i = 0; i < 8; i++) await a.advance(30 * MIN);
    for (const id of ids) expect((await a.deployment(id)).status).toBe('succeeded');
    expect([...a.cloud.countsByKey().values()].every((n) => n === 1)).toBe(true);
    expect(a.cloud.effects).toHaveLength(4 * 2 * 3);
    const failures = [...a.notices, ...b.notices].filter(
      (n) => n.code !== 'runtime.commit_conflict',
    );
    expect(failures).toEqual([]);
  });
});
