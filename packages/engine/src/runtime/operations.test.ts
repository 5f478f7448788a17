import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../test-support/engine-harness.js';
import { plan, stage, step, threeStagePlan } from '../test-support/test-plans.js';

const P = 'p1';
const MIN = 60_000;
const by = { actor: 'user:frank', reason: 'error rate after release' };
const STAGING = { accountId: '222222222222', region: 'us-east-1' };

async function deployAll(h: EngineHarness, image: string): Promise<string> {
  const id = await h.deploy(P, threeStagePlan(image));
  for (let i = 0; i < 3; i++) await h.advance(30 * MIN);
  expect((await h.deployment(id)).status).toBe('succeeded');
  return id;
}

describe('manual rollback and roll forward', () => {
  it('rolls a stage back to an earlier good revision and blocks it until a roll forward', async () => {
    const h = new EngineHarness().start();
    const first = await deployAll(h, 'api:1');
    const second = await deployAll(h, 'api:2');
    const result = await h.operate(P, {
      kind: 'rollback',
      stage: 'prod-east',
      toRevision: 1,
      ...by,
    });
    expect(result).toEqual({
      ok: true,
      kind: 'rollback',
      rollbackId: 'p1/rollback/1',
      deploymentId: first,
    });
    expect(h.steps.rollbacks).toEqual([
      expect.objectContaining({
        stage: 'prod-east',
        step: 'Deploy',
        toRevision: 1,
        targetParams: expect.objectContaining({ image_url: 'api:1' }) as unknown,
        failedOutputs: { id: expect.stringMatching(/^arn:fake:/) as unknown },
      }),
    ]);
    const state = await h.state(P);
    expect(state.tracks['prod-east']?.lastGood).toEqual({ deploymentId: first, revision: 1 });
    expect(state.tracks['prod-east']?.blockers).toEqual([
      expect.objectContaining({
        kind: 'manual',
        origin: 'rollback',
        actor: 'user:frank',
        reason: 'rolled back to revision 1: error rate after release',
      }),
    ]);
    expect(state.rollbacks[0]).toMatchObject({
      kind: 'manual',
      status: 'succeeded',
      fromRevision: 2,
      toRevision: 1,
      actor: 'user:frank',
    });
    expect(state.rollbacks[0]?.timeToDetectMs).toBeUndefined();
    expect(h.events.find((e) => e.type === 'operation.rolled_back')).toMatchObject({
      actor: 'user:frank',
      reason: by.reason,
      stage: 'prod-east',
    });

    // A new revision waits behind the blocker; roll forward lifts it and the queued one proceeds.
    const third = await h.deploy(P, threeStagePlan('api:3'));
    await h.advance(30 * MIN);
    expect((await h.deployment(third)).stages[1]).toMatchObject({
      status: 'waiting',
      waitingFor: 'blocked',
    });
    expect(await h.operate(P, { kind: 'roll-forward', stage: 'prod-east', ...by })).toEqual({
      ok: true,
      kind: 'roll-forward',
    });
    expect(await h.stages(third)).toMatchObject({ 'prod-east': 'baking' });
    expect((await h.deployment(second)).status).toBe('succeeded');
  });

  it('roll forward with nothing queued deploys the newest revision again', async () => {
    const h = new EngineHarness().start();
    await deployAll(h, 'api:1');
    const second = await deployAll(h, 'api:2');
    await h.operate(P, { kind: 'rollback', stage: 'prod-east', toRevision: 1, ...by });
    expect(await h.operate(P, { kind: 'roll-forward', stage: 'prod-east', ...by })).toEqual({
      ok: true,
      kind: 'roll-forward',
      deploymentId: second,
    });
    expect(await h.stages(second)).toEqual({
      staging: 'succeeded',
      'prod-east': 'baking',
      'prod-west': 'waiting',
    });
    for (let i = 0; i < 2; i++) await h.advance(30 * MIN);
    expect((await h.deployment(second)).status).toBe('succeeded');
    expect((await h.state(P)).tracks['prod-east']?.lastGood?.revision).toBe(2);
    expect(h.codes(second)).toContain('deployment.resumed');
  });

  it('roll forward after an automatic rollback redeploys the rolled-back revision', async () => {
    const h = new EngineHarness().start();
    await deployAll(h, 'api:1');
    const bad = await h.deploy(P, threeStagePlan('api:2'));
    await h.runtime.observeAlarm({
      ...STAGING,
      alarm: 'staging-5xx',
      state: 'ALARM',
      changedAt: h.clock.now().toISOString(),
    });
    await h.settle();
    expect((await h.deployment(bad)).status).toBe('rolled_back');
    h.clock.advance(1000);
    await h.runtime.observeAlarm({
      ...STAGING,
      alarm: 'staging-5xx',
      state: 'OK',
      changedAt: h.clock.now().toISOString(),
    });
    expect(await h.operate(P, { kind: 'roll-forward', stage: 'staging', ...by })).toMatchObject({
      ok: true,
      deploymentId: bad,
    });
    expect(await h.stages(bad)).toMatchObject({ staging: 'baking', 'prod-east': 'waiting' });
  });

  it('refuses manual rollbacks that cannot be done', async () => {
    const h = new EngineHarness().start();
    await deployAll(h, 'api:1');
    await deployAll(h, 'api:2');
    expect(
      await h.operate(P, { kind: 'rollback', stage: 'prod-east', toRevision: 2, ...by }),
    ).toMatchObject({ ok: false, code: 'ALREADY_DEPLOYED' });
    expect(
      await h.operate(P, { kind: 'rollback', stage: 'prod-east', toRevision: 7, ...by }),
    ).toEqual({
      ok: false,
      code: 'REVISION_NOT_GOOD',
      message: 'revision 7 is not a good revision of stage "prod-east" (good: 1, 2)',
    });
    expect(
      await h.operate(P, { kind: 'rollback', stage: 'nowhere', toRevision: 1, ...by }),
    ).toMatchObject({ ok: false, code: 'UNKNOWN_STAGE' });
    await h.deploy(P, threeStagePlan('api:3'));
    expect(
      await h.operate(P, { kind: 'rollback', stage: 'staging', toRevision: 1, ...by }),
    ).toMatchObject({ ok: false, code: 'STAGE_BUSY' });
    expect(await h.operate(P, { kind: 'roll-forward', stage: 'prod-west', ...by })).toMatchObject({
      ok: false,
      code: 'NOTHING_TO_ROLL_FORWARD',
    });
    expect((await h.state(P)).rollbacks).toEqual([]);
  });
});

describe('cancel and retry', () => {
  it('refuses to cancel a finished, unknown or rolling-back deployment', async () => {
    const h = new EngineHarness().start();
    const done = await deployAll(h, 'api:1');
    expect(await h.operate(P, { kind: 'cancel', deploymentId: done, ...by })).toMatchObject({
      ok: false,
      code: 'DEPLOYMENT_FINISHED',
    });
    expect(await h.operate(P, { kind: 'cancel', deploymentId: 'p1:99', ...by })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_DEPLOYMENT',
    });
    h.steps.holdRollbacks = true;
    const bad = await h.deploy(P, threeStagePlan('api:2'));
    await h.runtime.observeAlarm({
      ...STAGING,
      alarm: 'staging-5xx',
      state: 'ALARM',
      changedAt: h.clock.now().toISOString(),
    });
    await h.settle();
    expect(await h.stages(bad)).toMatchObject({ staging: 'rolling_back' });
    expect(await h.operate(P, { kind: 'cancel', deploymentId: bad, ...by })).toMatchObject({
      ok: false,
      code: 'ROLLBACK_IN_PROGRESS',
    });
    h.steps.release('rollback');
    await h.settle();
    expect(await h.stages(bad)).toMatchObject({ staging: 'rolled_back' });
  });

  it('refuses to retry a stage that did not fail, or that a newer revision reached', async () => {
    const h = new EngineHarness().start();
    h.steps.behave('Deploy', { kind: 'fail', message: 'boom' });
    const failed = await h.deploy(P, threeStagePlan('api:1'));
    expect(
      await h.operate(P, { kind: 'retry', deploymentId: failed, stage: 'prod-east', ...by }),
    ).toMatchObject({ ok: false, code: 'STAGE_NOT_FAILED' });
    expect(
      await h.operate(P, { kind: 'retry', deploymentId: failed, stage: 'nope', ...by }),
    ).toMatchObject({ ok: false, code: 'UNKNOWN_STAGE' });
    h.steps.behave('Deploy', { kind: 'succeed' });
    await h.deploy(P, threeStagePlan('api:2'));
    expect(
      await h.operate(P, { kind: 'retry', deploymentId: failed, stage: 'staging', ...by }),
    ).toEqual({
      ok: false,
      code: 'NEWER_REVISION',
      message:
        'revision 2 already reached stage "staging"; deploy it or a newer revision instead of retrying 1',
    });
  });
});

describe('stop and resume', () => {
  it('a stop blocks new revisions from entering the stage until resume', async () => {
    const h = new EngineHarness().start();
    const first = await h.deploy(P, threeStagePlan('api:1'));
    expect(await h.operate(P, { kind: 'stop', stage: 'prod-east', ...by })).toEqual({
      ok: true,
      kind: 'stop',
    });
    await h.advance(30 * MIN);
    expect((await h.deployment(first)).stages[1]).toMatchObject({
      status: 'waiting',
      waitingFor: 'blocked',
    });
    expect(await h.operate(P, { kind: 'stop', stage: 'prod-east', ...by })).toMatchObject({
      ok: false,
      code: 'ALREADY_STOPPED',
    });
    expect(
      await h.operate(P, {
        kind: 'resume',
        stage: 'prod-east',
        actor: 'user:gina',
        reason: 'fixed',
      }),
    ).toEqual({ ok: true, kind: 'resume' });
    expect(await h.stages(first)).toMatchObject({ 'prod-east': 'baking' });
    expect(await h.operate(P, { kind: 'resume', stage: 'prod-east', ...by })).toMatchObject({
      ok: false,
      code: 'NOT_STOPPED',
    });
    expect(await h.operate(P, { kind: 'stop', stage: 'nowhere', ...by })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_STAGE',
    });
    const audit = h.events.filter(
      (e) => e.type.startsWith('operation.') || e.type.startsWith('blocker.'),
    );
    expect(audit.map((e) => [e.type, e.actor, e.reason])).toEqual([
      ['blocker.added', 'user:frank', by.reason],
      ['operation.stopped', 'user:frank', by.reason],
      ['blocker.removed', 'user:gina', 'fixed'],
      ['operation.resumed', 'user:gina', 'fixed'],
    ]);
  });

  it('a running revision is not stopped by a stop; only entry is blocked', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(P, plan([stage('s', [step('A')])]));
    expect((await h.deployment(id)).status).toBe('succeeded');
    h.steps.behave('A', { kind: 'gate' });
    const running = await h.deploy(P, plan([stage('s', [step('A')])]));
    await h.operate(P, { kind: 'stop', stage: 's', ...by });
    h.steps.release('A');
    await h.settle();
    expect((await h.deployment(running)).status).toBe('succeeded');
  });

  it('every operation needs a reason', async () => {
    const h = new EngineHarness().start();
    await h.deploy(P, plan([stage('s', [step('A')])]));
    expect(await h.operate(P, { kind: 'stop', stage: 's', actor: 'user:x', reason: '' })).toEqual({
      ok: false,
      code: 'REASON_REQUIRED',
      message: 'stop needs a reason: it is kept in the audit trail',
    });
  });
});
