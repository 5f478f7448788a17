import { describe, expect, it } from 'vitest';
import { deferred } from '../test-support/deferred.js';
import { EngineHarness } from '../test-support/engine-harness.js';
import {
  bake,
  chain,
  ecsDeploy,
  ECS_PARAMS,
  plan,
  stage,
  step,
  threeStagePlan,
} from '../test-support/test-plans.js';
import type { DeploymentPlan } from '../model/deployment-plan.js';

const P = 'p1';
const MIN = 60_000;
const STAGING = { accountId: '222222222222', region: 'us-east-1' };

/** Deploys `image` through all three stages of `threeStagePlan` and returns its id. */
async function deployAll(h: EngineHarness, image: string): Promise<string> {
  const id = await h.deploy(P, threeStagePlan(image));
  for (let i = 0; i < 3; i++) await h.advance(30 * MIN);
  expect((await h.deployment(id)).status).toBe('succeeded');
  return id;
}

function push(
  h: EngineHarness,
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA',
  changedAt: string,
  alarm = 'staging-5xx',
) {
  h.alarms.set(STAGING.accountId, STAGING.region, alarm, state, changedAt);
  return h.runtime.observeAlarm({ ...STAGING, alarm, state, changedAt });
}

describe('auto-rollback', () => {
  it('an alarm during the steps cancels them, restores the last good revision and blocks this stage and the next', async () => {
    const h = new EngineHarness({ start: '2026-02-02T10:00:00Z' }).start();
    const good = await deployAll(h, 'api:1');
    h.steps.behave('Deploy', { kind: 'gate' });
    const bad = await h.deploy(P, threeStagePlan('api:2'));
    expect(await h.stepStatuses(bad, 'staging')).toEqual({ Deploy: 'running', Bake: 'pending' });

    const changedAt = new Date(h.clock.now().getTime() - 4000).toISOString();
    expect(await push(h, 'ALARM', changedAt)).toEqual([P]);
    await h.settle();

    expect(await h.stepStatuses(bad, 'staging')).toEqual({
      Deploy: 'cancelled',
      Bake: 'cancelled',
    });
    expect(await h.stages(bad)).toEqual({
      staging: 'rolled_back',
      'prod-east': 'not_reached',
      'prod-west': 'not_reached',
    });
    expect((await h.deployment(bad)).status).toBe('rolled_back');
    expect(h.steps.rollbacks).toEqual([
      expect.objectContaining({
        stage: 'staging',
        step: 'Deploy',
        toRevision: 1,
        targetParams: expect.objectContaining({ ...ECS_PARAMS, image_url: 'api:1' }) as unknown,
      }),
    ]);
    const state = await h.state(P);
    const rollback = state.rollbacks[0];
    expect(rollback).toMatchObject({
      kind: 'auto',
      status: 'succeeded',
      stage: 'staging',
      fromRevision: 2,
      toRevision: 1,
      toDeploymentId: good,
      alarm: { name: 'staging-5xx', changedAt },
      actor: 'alarm:staging-5xx',
      timeToDetectMs: 4000,
      timeToRestoreMs: 0,
    });
    expect(state.tracks['staging']?.lastGood).toEqual({ deploymentId: good, revision: 1 });
    const blocked = (stage: string) =>
      state.tracks[stage]?.blockers.map((b) => [b.kind, b.alarm?.name, b.alarm?.stage]);
    expect(blocked('staging')).toEqual([['alarm', 'staging-5xx', 'staging']]);
    expect(blocked('prod-east')).toEqual([['alarm', 'staging-5xx', 'staging']]);
    expect(blocked('prod-west')).toEqual([]);
    expect(h.codes()).toEqual(
      expect.arrayContaining([
        'alarm.state_changed',
        'blocker.added',
        'stage.rolling_back',
        'rollback.started',
        'rollback.succeeded',
        'stage.rolled_back',
        'deployment.rolled_back',
      ]),
    );

    // OK lifts both blockers; a queued revision then proceeds.
    h.steps.behave('Deploy', { kind: 'succeed' });
    const next = await h.deploy(P, threeStagePlan('api:3'));
    expect((await h.deployment(next)).stages[0]).toMatchObject({
      status: 'waiting',
      waitingFor: 'blocked',
    });
    h.clock.advance(60_000);
    await push(h, 'OK', h.clock.now().toISOString());
    await h.settle();
    expect((await h.state(P)).tracks['prod-east']?.blockers).toEqual([]);
    expect(await h.stages(next)).toMatchObject({ staging: 'baking' });
    for (let i = 0; i < 3; i++) await h.advance(30 * MIN);
    expect((await h.deployment(next)).status).toBe('succeeded');
  });

  it('an alarm during the bake, seen by the periodic poll, rolls back only what restores (Terraform skipped)', async () => {
    const h = new EngineHarness({ start: '2026-02-02T10:00:00Z' }).start();
    const p = (image: string): DeploymentPlan =>
      plan([
        stage(
          'staging',
          chain([
            step('Infra', { type: 'RAMPART:TERRAFORM:SYNTHESIZE', params: { source: 'infra' } }),
            ecsDeploy('Deploy', { params: { ...ECS_PARAMS, image_url: image } }),
            step('Smoke'),
            bake('Bake', 60),
          ]),
          { ...STAGING, alarms: ['staging-5xx'] },
        ),
        stage('prod', [step('Ship')]),
      ]);
    await h.deploy(P, p('api:1'));
    await h.advance(60 * MIN);
    const bad = await h.deploy(P, p('api:2'));
    expect(await h.stages(bad)).toMatchObject({ staging: 'baking' });
    const bakeStarted = h.clock.now().toISOString();
    h.alarms.set(STAGING.accountId, STAGING.region, 'staging-5xx', 'ALARM', bakeStarted);
    await h.advance(9_999);
    expect(await h.stages(bad)).toMatchObject({ staging: 'baking' });
    await h.advance(1);
    expect(await h.stages(bad)).toMatchObject({ staging: 'rolled_back' });
    expect(h.steps.rollbacks.map((r) => r.step)).toEqual(['Deploy']);
    const rollback = (await h.state(P)).rollbacks[0];
    expect(rollback?.timeToDetectMs).toBe(10_000);
    expect(rollback?.steps.map((s) => [s.name, s.status])).toEqual([['Deploy', 'succeeded']]);
  });

  it('an alarm after the stage succeeded only blocks that stage', async () => {
    const h = new EngineHarness({ start: '2026-02-02T10:00:00Z' }).start();
    const first = await h.deploy(P, threeStagePlan('api:1'));
    await h.advance(30 * MIN);
    expect(await h.stages(first)).toMatchObject({ staging: 'succeeded', 'prod-east': 'baking' });
    await push(h, 'ALARM', h.clock.now().toISOString());
    await h.settle();
    const state = await h.state(P);
    expect(state.rollbacks).toEqual([]);
    expect(state.tracks['staging']?.blockers).toHaveLength(1);
    expect(state.tracks['prod-east']?.blockers).toEqual([]);
    expect(await h.stages(first)).toMatchObject({ staging: 'succeeded', 'prod-east': 'baking' });
    const second = await h.deploy(P, threeStagePlan('api:2'));
    expect((await h.deployment(second)).stages[0]).toMatchObject({
      status: 'waiting',
      waitingFor: 'blocked',
    });
    await push(h, 'OK', h.clock.now().toISOString());
    await h.settle();
    expect(await h.stages(second)).toMatchObject({ staging: 'baking' });
  });

  it('with no earlier good revision the stage just fails, and the blockers still go up', async () => {
    const h = new EngineHarness().start();
    h.steps.behave('Deploy', { kind: 'gate' });
    const id = await h.deploy(P, threeStagePlan());
    await push(h, 'ALARM', h.clock.now().toISOString());
    await h.settle();
    const d = await h.deployment(id);
    expect(d.stages[0]).toMatchObject({ status: 'failed' });
    expect(d.stages[0]?.error).toMatch(/no earlier good revision/);
    const state = await h.state(P);
    expect(state.rollbacks).toEqual([]);
    expect(state.tracks['prod-east']?.blockers).toHaveLength(1);
  });

  it('a failing rollback step fails the stage and the rollback', async () => {
    const h = new EngineHarness({ start: '2026-02-02T10:00:00Z' }).start();
    await deployAll(h, 'api:1');
    const bad = await h.deploy(P, threeStagePlan('api:2'));
    h.steps.failRollbacksWith = 'service not found';
    await push(h, 'ALARM', h.clock.now().toISOString());
    await h.settle();
    const d = await h.deployment(bad);
    expect(d.stages[0]).toMatchObject({
      status: 'failed',
      error: 'rollback failed: step "Deploy" failed: service not found',
    });
    expect(d.status).toBe('failed');
    expect((await h.state(P)).rollbacks[0]).toMatchObject({ status: 'failed' });
    expect((await h.state(P)).tracks['staging']?.occupant).toBeUndefined();
  });

  it('an alarm while artifacts are mirrored sends the revision back to waiting', async () => {
    const mirror = deferred<Record<string, Record<string, string>>>();
    const h = new EngineHarness({ runtime: { mirror: { mirror: () => mirror.promise } } }).start();
    const p = plan([
      stage('staging', [step('Run')], {
        ...STAGING,
        alarms: ['staging-5xx'],
        artifacts: [{ name: 'api', id: 'api', kind: 'image' }],
      }),
    ]);
    const id = await h.deploy(P, p);
    expect(await h.stages(id)).toEqual({ staging: 'mirroring' });
    await push(h, 'ALARM', h.clock.now().toISOString());
    await h.settle();
    expect((await h.deployment(id)).stages[0]).toMatchObject({
      status: 'waiting',
      waitingFor: 'blocked',
    });
    mirror.resolve({});
    await h.settle();
    // The late mirror result belongs to the abandoned run and changes nothing.
    expect((await h.deployment(id)).stages[0]?.status).toBe('waiting');
    h.clock.advance(1000);
    await push(h, 'OK', h.clock.now().toISOString());
    await h.settle();
    expect((await h.deployment(id)).stages[0]).toMatchObject({ status: 'succeeded', run: 2 });
  });
});

describe('alarm watching', () => {
  it('polls watched stages at the configured interval', async () => {
    const count = async (interval?: number): Promise<number> => {
      const h = new EngineHarness(
        interval === undefined ? {} : { runtime: { config: { alarmPollIntervalMs: interval } } },
      ).start();
      await h.deploy(
        P,
        plan([stage('staging', [step('Run')], { ...STAGING, alarms: ['staging-5xx'] })]),
      );
      const before = h.alarms.reads;
      for (let i = 0; i < 6; i++) await h.advance(10_000);
      return h.alarms.reads - before;
    };
    expect(await count()).toBe(6);
    expect(await count(30_000)).toBe(2);
  });

  it('INSUFFICIENT_DATA neither trips nor lifts; an older reading is ignored', async () => {
    const h = new EngineHarness({ start: '2026-02-02T10:00:00Z' }).start();
    await h.deploy(
      P,
      plan([stage('staging', [step('Run')], { ...STAGING, alarms: ['staging-5xx'] })]),
    );
    await push(h, 'INSUFFICIENT_DATA', '2026-02-02T10:00:00Z');
    expect((await h.state(P)).tracks['staging']?.blockers).toEqual([]);
    await push(h, 'ALARM', '2026-02-02T10:00:01Z');
    await push(h, 'INSUFFICIENT_DATA', '2026-02-02T10:00:02Z');
    expect((await h.state(P)).tracks['staging']?.blockers).toHaveLength(1);
    // An OK stamped before the latest known change arrived late: stale.
    await h.runtime.observeAlarm({
      ...STAGING,
      alarm: 'staging-5xx',
      state: 'OK',
      changedAt: '2026-02-02T10:00:00.500Z',
    });
    expect((await h.state(P)).tracks['staging']?.blockers).toHaveLength(1);
    await push(h, 'OK', '2026-02-02T10:00:03Z');
    expect((await h.state(P)).tracks['staging']?.blockers).toEqual([]);
    expect((await h.state(P)).alarms['staging/staging-5xx']).toMatchObject({
      state: 'OK',
      changedAt: '2026-02-02T10:00:03Z',
    });
  });

  it('a pushed change for an alarm no stage watches touches no pipeline', async () => {
    const h = new EngineHarness().start();
    await h.deploy(
      P,
      plan([stage('staging', [step('Run')], { ...STAGING, alarms: ['staging-5xx'] })]),
    );
    expect(
      await h.runtime.observeAlarm({
        ...STAGING,
        alarm: 'other',
        state: 'ALARM',
        changedAt: h.clock.now().toISOString(),
      }),
    ).toEqual([]);
    expect(
      await h.runtime.observeAlarm({
        accountId: '999999999999',
        region: 'us-east-1',
        alarm: 'staging-5xx',
        state: 'ALARM',
        changedAt: h.clock.now().toISOString(),
      }),
    ).toEqual([]);
  });

  it('a failed poll is reported and the next poll still happens', async () => {
    const h = new EngineHarness().start();
    await h.deploy(
      P,
      plan([stage('staging', [step('Run')], { ...STAGING, alarms: ['staging-5xx'] })]),
    );
    h.alarms.failWith = 'throttled';
    await h.advance(10_000);
    expect(h.notices).toContainEqual({
      code: 'runtime.alarm_read_failed',
      pipelineId: P,
      stage: 'staging',
      message: 'throttled',
    });
    h.alarms.failWith = undefined;
    h.alarms.set(
      STAGING.accountId,
      STAGING.region,
      'staging-5xx',
      'ALARM',
      h.clock.now().toISOString(),
    );
    await h.advance(10_000);
    expect((await h.state(P)).tracks['staging']?.blockers).toHaveLength(1);
  });
});
