// Kill a runtime at every store call of a scenario, start a fresh one on the same store, and check
// that every deployment ends as it would have and that no step changed the world twice.
import { describe, expect, it } from 'vitest';
import { CrashableEngineStore } from '../test-support/crashable-engine-store.js';
import { EngineHarness } from '../test-support/engine-harness.js';
import { FakeCloud } from '../test-support/fake-cloud.js';
import { FakeSteps } from '../test-support/fake-step-executor.js';
import { ManualClock } from '../test-support/manual-clock.js';
import { MemoryEngineStore } from '../test-support/memory-engine-store.js';
import { FakeAlarmReader } from '../test-support/fake-alarm-reader.js';
import {
  bake,
  chain,
  ecsDeploy,
  ECS_PARAMS,
  plan,
  stage,
  step,
} from '../test-support/test-plans.js';
import type { DeploymentPlan } from '../model/deployment-plan.js';

const P = 'p1';
const MIN = 60_000;
const STAGING = { accountId: '222222222222', region: 'us-east-1' };

const scenarioPlan = (image: string): DeploymentPlan =>
  plan([
    stage(
      'staging',
      chain([
        ecsDeploy('Deploy', { params: { ...ECS_PARAMS, image_url: image } }),
        bake('Bake', 10),
      ]),
      {
        ...STAGING,
        alarms: ['staging-5xx'],
      },
    ),
    stage(
      'prod',
      chain([ecsDeploy('Deploy', { params: { ...ECS_PARAMS, image_url: image } }), step('Smoke')]),
    ),
  ]);

interface World {
  clock: ManualClock;
  store: MemoryEngineStore;
  steps: FakeSteps;
  alarms: FakeAlarmReader;
}

/** One step of a scenario; `repeat` ones (requests) are sent again by the replacement runtime. */
interface Action {
  run: (h: EngineHarness) => Promise<unknown>;
  repeat: boolean;
}

const request = (requestId: string, image: string): Action => ({
  repeat: true,
  run: (h) =>
    h.runtime.requestDeployment(P, {
      commitSha: image,
      trigger: 'push',
      actor: 'webhook',
      plan: scenarioPlan(image),
      requestId,
    }),
});

/**
 * Runs `actions` from `from` on a runtime until they end or the runtime dies; returns the index
 * to continue from (`actions.length` when all ran).
 */
async function drive(
  h: EngineHarness,
  store: CrashableEngineStore | undefined,
  actions: Action[],
  from = 0,
): Promise<number> {
  const died = store?.died.then(() => 'died' as const) ?? new Promise<'died'>(() => undefined);
  for (let i = from; i < actions.length; i++) {
    const action = actions[i];
    if (action === undefined) break;
    const run = action
      .run(h)
      .then(() => h.settle())
      .then(() => 'ok' as const);
    if ((await Promise.race([run, died])) === 'died') return action.repeat ? i : i + 1;
  }
  return actions.length;
}

/** A run with the first runtime killed at store call `crashAt`, then a second runtime to the end. */
async function run(
  scenario: (w: World) => Action[],
  crashAt: number | undefined,
): Promise<{ world: World; calls: number; died: boolean; h: EngineHarness }> {
  const clock = new ManualClock('2026-04-01T10:00:00Z');
  const world: World = {
    clock,
    store: new MemoryEngineStore(clock),
    steps: new FakeSteps(new FakeCloud()),
    alarms: new FakeAlarmReader(),
  };
  const actions = scenario(world);
  const crashable = new CrashableEngineStore(world.store, crashAt);
  const first = new EngineHarness({
    ...world,
    runtimeStore: crashable,
    workerId: 'first',
    alive: () => !crashable.crashed,
  }).start();
  const next = await drive(first, crashable, actions);
  const calls = crashable.calls;
  const died = crashable.crashed;
  if (!died) return { world, calls, died, h: first };
  // The replacement: same store and clock; once the dead worker's leases lapse it takes over.
  const second = new EngineHarness({ ...world, workerId: 'second' }).start();
  await second.advance(31_000);
  await drive(second, undefined, actions, next);
  return { world, calls, died, h: second };
}

const tick: Action = { repeat: false, run: (h) => h.advance(5 * MIN) };

describe('crash and resume', () => {
  const happy = (): Action[] => [
    request('r1', 'api:1'),
    request('r2', 'api:2'),
    ...Array<Action>(10).fill(tick),
  ];

  it('every deployment succeeds and each step changes the world once, whatever store call the crash hits', async () => {
    const baseline = await run(happy, undefined);
    expect(baseline.died).toBe(false);
    const total = baseline.calls;
    expect(total).toBeGreaterThan(50);
    for (let crashAt = 1; crashAt <= total; crashAt++) {
      const { world, died, h } = await run(happy, crashAt);
      expect(died, `crash at ${crashAt}`).toBe(true);
      const summaries = await world.store.listDeployments({ pipelineId: P });
      expect(
        summaries.map((d) => [d.revision, d.status]),
        `crash at ${crashAt}`,
      ).toEqual([
        [2, 'succeeded'],
        [1, 'succeeded'],
      ]);
      const counts = world.steps.cloud.countsByKey();
      expect(
        [...counts.values()].every((n) => n === 1),
        `crash at ${crashAt}: ${JSON.stringify([...counts])}`,
      ).toBe(true);
      // 2 revisions × (staging Deploy + prod Deploy + prod Smoke).
      expect(world.steps.cloud.effects, `crash at ${crashAt}`).toHaveLength(6);
      const leftovers = world.store
        .allCommands()
        .filter((c) => c.status === 'pending' && c.type !== 'poll-alarms');
      expect(leftovers, `crash at ${crashAt}`).toEqual([]);
      expect((await h.state(P)).tracks['prod']?.lastGood?.revision).toBe(2);
    }
  });

  it('an automatic rollback survives a crash at every store call and restores once', async () => {
    const alarmDuringBake = (w: World): Action[] => [
      request('r1', 'api:1'),
      ...Array<Action>(4).fill(tick),
      request('r2', 'api:2'),
      {
        repeat: false,
        run: (h) => {
          w.alarms.set(
            STAGING.accountId,
            STAGING.region,
            'staging-5xx',
            'ALARM',
            h.clock.now().toISOString(),
          );
          return h.advance(10_000);
        },
      },
      ...Array<Action>(3).fill(tick),
    ];
    const baseline = await run(alarmDuringBake, undefined);
    const total = baseline.calls;
    expect((await baseline.world.store.getDeployment('p1:2'))?.status).toBe('rolled_back');
    // Every third call keeps the run short; the calls of the rollback itself are all covered.
    for (let crashAt = 1; crashAt <= total; crashAt += crashAt > total - 60 ? 1 : 3) {
      const { world } = await run(alarmDuringBake, crashAt);
      expect((await world.store.getDeployment('p1:1'))?.status, `crash at ${crashAt}`).toBe(
        'succeeded',
      );
      expect((await world.store.getDeployment('p1:2'))?.status, `crash at ${crashAt}`).toBe(
        'rolled_back',
      );
      const restores = world.steps.cloud.effects.filter((e) => e.kind === 'restore');
      expect(
        restores.map((r) => r.stage),
        `crash at ${crashAt}`,
      ).toEqual(['staging']);
      expect(
        [...world.steps.cloud.countsByKey().values()].every((n) => n === 1),
        `crash at ${crashAt}`,
      ).toBe(true);
    }
  });
});
