import { describe, expect, it } from 'vitest';
import { presetWindow, type TimeWindow } from '@rampart/core';
import { EngineHarness } from '../test-support/engine-harness.js';
import { ecsDeploy, plan, stage, step } from '../test-support/test-plans.js';
import type { DeploymentPlan } from '../model/deployment-plan.js';

const P = 'p1';
const by = { actor: 'user:erin', reason: 'hotfix for incident 42' };

/** Every day 01:00–03:00 New York time: it spans the DST jumps. */
const nightly: TimeWindow = {
  name: 'nightly',
  always: false,
  timezone: 'America/New_York',
  days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
  start: '01:00',
  end: '03:00',
  excludeDates: [],
  freezes: [],
};

function windowed(window: TimeWindow, image = 'api:1'): DeploymentPlan {
  return plan([
    stage('staging', [step('Test')]),
    stage(
      'prod',
      [ecsDeploy('Deploy', { params: { cluster_name: 'c', service_name: 's', image_url: image } })],
      { window },
    ),
  ]);
}

async function waitingUntil(h: EngineHarness, id: string): Promise<string | undefined> {
  const prod = (await h.deployment(id)).stages[1];
  expect(prod).toMatchObject({ status: 'waiting', waitingFor: 'window' });
  return prod?.windowOpensAt;
}

describe('deployment windows', () => {
  it('a revision reaching a closed window waits for it to open, then runs', async () => {
    // Saturday 2026-01-10 12:00 PST: PACIFIC_WORKING_HOURS opens Monday 09:00 PST (17:00Z).
    const h = new EngineHarness({ start: '2026-01-10T20:00:00Z' }).start();
    const id = await h.deploy(P, windowed(presetWindow('PACIFIC_WORKING_HOURS') as TimeWindow));
    expect(await waitingUntil(h, id)).toBe('2026-01-12T17:00:00.000Z');
    const waiting = h.events.find((e) => e.type === 'stage.waiting' && e.stage === 'prod');
    expect(waiting?.data).toMatchObject({
      reason: 'window',
      opensAt: '2026-01-12T17:00:00.000Z',
      detail: 'not-a-window-day',
    });
    h.clock.set('2026-01-12T16:59:59.999Z');
    await h.settle();
    expect((await h.deployment(id)).stages[1]?.status).toBe('waiting');
    h.clock.set('2026-01-12T17:00:00.000Z');
    await h.settle();
    expect(await h.stages(id)).toEqual({ staging: 'succeeded', prod: 'succeeded' });
  });

  it('when the window opens only the newest waiting revision runs; older ones are superseded', async () => {
    const h = new EngineHarness({ start: '2026-01-10T20:00:00Z' }).start();
    const pacific = presetWindow('PACIFIC_WORKING_HOURS') as TimeWindow;
    const first = await h.deploy(P, windowed(pacific, 'api:1'));
    const second = await h.deploy(P, windowed(pacific, 'api:2'));
    const third = await h.deploy(P, windowed(pacific, 'api:3'));
    expect((await h.deployment(first)).status).toBe('superseded');
    expect((await h.deployment(second)).status).toBe('superseded');
    expect((await h.deployment(first)).stages.map((s) => s.status)).toEqual([
      'succeeded',
      'superseded',
    ]);
    h.clock.set('2026-01-12T17:00:00.000Z');
    await h.settle();
    expect((await h.deployment(third)).status).toBe('succeeded');
    expect(h.cloud.on('prod').map((e) => (e.detail as { image_url: string }).image_url)).toEqual([
      'api:3',
    ]);
  });

  it('spring forward: 01:00–03:00 New York lasts one hour on 2026-03-08', async () => {
    // 00:30 EST = 05:30Z: waits for 01:00 EST = 06:00Z.
    const h = new EngineHarness({ start: '2026-03-08T05:30:00Z' }).start();
    const early = await h.deploy(P, windowed(nightly));
    expect(await waitingUntil(h, early)).toBe('2026-03-08T06:00:00.000Z');
    h.clock.set('2026-03-08T06:00:00Z');
    await h.settle();
    expect((await h.deployment(early)).status).toBe('succeeded');
    // 03:00 EDT = 07:00Z: the clock jumped from 02:00 to 03:00, so the window closed; next 01:00 EDT.
    h.clock.set('2026-03-08T07:00:00Z');
    const late = await h.deploy(P, windowed(nightly, 'api:2'));
    expect(await waitingUntil(h, late)).toBe('2026-03-09T05:00:00.000Z');
  });

  it('fall back: 01:00–03:00 New York lasts three hours on 2026-11-01', async () => {
    // 02:30 EST = 07:30Z, after the clock went back: still inside the window (01:00 EDT–03:00 EST).
    const h = new EngineHarness({ start: '2026-11-01T07:30:00Z' }).start();
    const inside = await h.deploy(P, windowed(nightly));
    expect((await h.deployment(inside)).status).toBe('succeeded');
    // 03:00 EST = 08:00Z: closed until 01:00 EST the next day = 06:00Z.
    h.clock.set('2026-11-01T08:00:00Z');
    const after = await h.deploy(P, windowed(nightly, 'api:2'));
    expect(await waitingUntil(h, after)).toBe('2026-11-02T06:00:00.000Z');
    h.clock.set('2026-11-02T06:00:00Z');
    await h.settle();
    expect((await h.deployment(after)).status).toBe('succeeded');
  });

  it('an audited override lets a waiting revision start in a closed window', async () => {
    const h = new EngineHarness({ start: '2026-01-10T20:00:00Z' }).start();
    const id = await h.deploy(P, windowed(presetWindow('PACIFIC_WORKING_HOURS') as TimeWindow));
    expect(
      await h.operate(P, { kind: 'override-window', deploymentId: id, stage: 'prod', ...by }),
    ).toEqual({
      ok: true,
      kind: 'override-window',
      deploymentId: id,
    });
    expect((await h.deployment(id)).status).toBe('succeeded');
    expect((await h.deployment(id)).stages[1]?.windowOverride).toMatchObject({
      actor: 'user:erin',
      reason: 'hotfix for incident 42',
    });
    expect(h.events.find((e) => e.type === 'operation.window_overridden')).toMatchObject({
      actor: 'user:erin',
      reason: 'hotfix for incident 42',
      stage: 'prod',
    });
    expect(
      await h.operate(P, { kind: 'override-window', deploymentId: id, stage: 'prod', ...by }),
    ).toMatchObject({ ok: false, code: 'STAGE_NOT_WAITING' });
  });

  it('re-checks the rollback alarms when the window opens: an alarm in ALARM keeps it waiting', async () => {
    const h = new EngineHarness({ start: '2026-01-10T20:00:00Z' }).start();
    const p = windowed(presetWindow('PACIFIC_WORKING_HOURS') as TimeWindow);
    const prod = p.stages[1];
    if (prod === undefined) throw new Error('no prod');
    prod.alarms = ['prod-5xx'];
    const id = await h.deploy(P, p);
    h.alarms.set('111111111111', 'us-east-1', 'prod-5xx', 'ALARM', '2026-01-12T16:00:00Z');
    h.clock.set('2026-01-12T17:00:00.000Z');
    await h.settle();
    expect((await h.deployment(id)).stages[1]).toMatchObject({
      status: 'waiting',
      waitingFor: 'blocked',
    });
    expect(h.cloud.on('prod')).toEqual([]);
    expect((await h.state(P)).tracks['prod']?.blockers).toEqual([
      expect.objectContaining({ kind: 'alarm', alarm: { name: 'prod-5xx', stage: 'prod' } }),
    ]);
  });
});
