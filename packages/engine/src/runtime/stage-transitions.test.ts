// One test per edge of the stage and deployment state diagrams (README), on a manual clock.
import { describe, expect, it } from 'vitest';
import { deferred } from '../test-support/deferred.js';
import { EngineHarness } from '../test-support/engine-harness.js';
import {
  bake,
  chain,
  ecsDeploy,
  plan,
  stage,
  step,
  threeStagePlan,
} from '../test-support/test-plans.js';

const P = 'p1';
const MIN = 60_000;
const by = { actor: 'user:bob', reason: 'testing' };

describe('stage transitions', () => {
  it('waiting for the previous stage → checking resources → running steps → baking → succeeded', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(P, threeStagePlan());
    const d = await h.deployment(id);
    expect(d.stages.map((s) => [s.status, s.waitingFor])).toEqual([
      ['baking', undefined],
      ['waiting', 'previous_stage'],
      ['waiting', 'previous_stage'],
    ]);
    await h.advance(30 * MIN);
    expect(await h.stages(id)).toEqual({
      staging: 'succeeded',
      'prod-east': 'baking',
      'prod-west': 'waiting',
    });
    await h.advance(30 * MIN);
    await h.advance(30 * MIN);
    expect(await h.stages(id)).toEqual({
      staging: 'succeeded',
      'prod-east': 'succeeded',
      'prod-west': 'succeeded',
    });
    expect((await h.deployment(id)).status).toBe('succeeded');
    const staging = h.events
      .filter((e) => e.stage === 'staging' && e.type.startsWith('stage.'))
      .map((e) => e.type);
    expect(staging).toEqual([
      'stage.started',
      'stage.running_steps',
      'stage.baking',
      'stage.succeeded',
    ]);
    expect(h.codes(id).at(-1)).toBe('deployment.succeeded');
    const state = await h.state(P);
    expect(state.tracks['prod-west']?.lastGood).toEqual({ deploymentId: id, revision: 1 });
    expect((await h.runtime.listDeployments({ pipelineId: P }))[0]).toMatchObject({
      id,
      status: 'succeeded',
      revision: 1,
    });
  });

  it('checking resources → mirroring → running steps, with mirrored values filled into params', async () => {
    const check = deferred<string[]>();
    const mirrored: unknown[] = [];
    const h = new EngineHarness({
      runtime: {
        resources: { check: () => check.promise },
        mirror: {
          mirror: (request) => {
            mirrored.push(request.artifacts.map((a) => a.id));
            return Promise.resolve({ api: { image_url: '2222.dkr.ecr/web-staging-api:abc' } });
          },
        },
      },
    }).start();
    const p = plan([
      stage(
        'staging',
        [
          ecsDeploy('Deploy', {
            params: { cluster_name: 'c', service_name: 's', image_url: '[ARTIFACT:api/image_url]' },
          }),
        ],
        {
          artifacts: [{ name: 'api', id: 'api', kind: 'image', repository: 'web-staging-api' }],
        },
      ),
    ]);
    const id = await h.deploy(P, p);
    expect(await h.stages(id)).toEqual({ staging: 'checking_resources' });
    check.resolve([]);
    await h.settle();
    expect(mirrored).toEqual([['api']]);
    expect(h.codes(id)).toContain('stage.mirroring');
    expect(await h.stages(id)).toEqual({ staging: 'succeeded' });
    expect(h.steps.calls[0]?.params).toMatchObject({
      image_url: '2222.dkr.ecr/web-staging-api:abc',
    });
  });

  it('checking resources → failed when the stage is not ready; later stages are not reached', async () => {
    const h = new EngineHarness({
      runtime: {
        resources: {
          check: ({ target }) =>
            Promise.resolve(
              target.stage === 'staging'
                ? ['role rampart-staging is missing: run rampart bootstrap']
                : [],
            ),
        },
      },
    }).start();
    const id = await h.deploy(P, threeStagePlan());
    expect(await h.stages(id)).toEqual({
      staging: 'failed',
      'prod-east': 'not_reached',
      'prod-west': 'not_reached',
    });
    const d = await h.deployment(id);
    expect(d.status).toBe('failed');
    expect(d.stages[0]?.error).toBe(
      'resource check failed: role rampart-staging is missing: run rampart bootstrap',
    );
    expect(h.cloud.effects).toEqual([]);
  });

  it('mirroring → failed when a copy fails', async () => {
    const h = new EngineHarness({
      runtime: {
        mirror: { mirror: () => Promise.reject(new Error('repository web-staging-api not found')) },
      },
    }).start();
    const p = plan([
      stage('staging', [step('Run')], { artifacts: [{ name: 'api', id: 'api', kind: 'image' }] }),
    ]);
    const id = await h.deploy(P, p);
    const d = await h.deployment(id);
    expect(d.stages[0]).toMatchObject({
      status: 'failed',
      error: 'mirroring failed: repository web-staging-api not found',
    });
    expect(h.steps.calls).toEqual([]);
  });

  it('running steps → failed when a step fails: running siblings are cancelled and aborted', async () => {
    const h = new EngineHarness().start();
    h.steps.behave('Slow', { kind: 'hang' });
    h.steps.behave('Broken', { kind: 'fail', message: 'exit code 2' });
    const p = plan([
      stage('staging', [
        step('Slow'),
        step('Broken'),
        step('After', { dependsOn: ['Slow', 'Broken'] }),
      ]),
    ]);
    const id = await h.deploy(P, p);
    expect(await h.stepStatuses(id, 'staging')).toEqual({
      Slow: 'cancelled',
      Broken: 'failed',
      After: 'cancelled',
    });
    const d = await h.deployment(id);
    expect(d.stages[0]).toMatchObject({
      status: 'failed',
      error: 'step "Broken" failed: exit code 2',
    });
    expect(d.status).toBe('failed');
    // The hanging executor was aborted (its command finished) and nothing is left running.
    expect(
      h.store.allCommands().filter((c) => c.status === 'pending' && c.type === 'execute-step'),
    ).toEqual([]);
  });

  it('waiting for a busy stage → entering once the revision ahead moves on (one revision per stage)', async () => {
    const h = new EngineHarness().start();
    const first = await h.deploy(P, threeStagePlan('api:1'));
    const second = await h.deploy(P, threeStagePlan('api:2'));
    expect((await h.deployment(second)).stages[0]).toMatchObject({
      status: 'waiting',
      waitingFor: 'stage_busy',
    });
    await h.advance(30 * MIN);
    // The first moved to prod-east; the second entered staging: the stages work as a pipeline.
    expect(await h.stages(first)).toMatchObject({ staging: 'succeeded', 'prod-east': 'baking' });
    expect(await h.stages(second)).toMatchObject({ staging: 'baking', 'prod-east': 'waiting' });
    await h.advance(30 * MIN);
    expect(await h.stages(first)).toMatchObject({
      'prod-east': 'succeeded',
      'prod-west': 'baking',
    });
    expect(await h.stages(second)).toMatchObject({ staging: 'succeeded', 'prod-east': 'baking' });
    for (let i = 0; i < 4; i++) await h.advance(30 * MIN);
    expect((await h.deployment(first)).status).toBe('succeeded');
    expect((await h.deployment(second)).status).toBe('succeeded');
  });

  it('waiting → superseded: a newer revision waiting before the same stage replaces the older one', async () => {
    const h = new EngineHarness().start();
    h.steps.behave('Deploy', { kind: 'gate' });
    const first = await h.deploy(P, threeStagePlan('api:1'));
    const second = await h.deploy(P, threeStagePlan('api:2'));
    const third = await h.deploy(P, threeStagePlan('api:3'));
    expect(await h.stages(second)).toEqual({
      staging: 'superseded',
      'prod-east': 'not_reached',
      'prod-west': 'not_reached',
    });
    expect((await h.deployment(second)).status).toBe('superseded');
    expect(h.events.find((e) => e.type === 'deployment.superseded')?.data).toMatchObject({
      byRevision: 3,
    });
    expect((await h.deployment(third)).stages[0]?.status).toBe('waiting');
    expect((await h.deployment(first)).stages[0]?.status).toBe('running_steps');
  });

  it('waiting / running steps / baking → cancelled', async () => {
    const h = new EngineHarness().start();
    h.steps.behave('Deploy', { kind: 'gate' });
    const running = await h.deploy(P, threeStagePlan('api:1'));
    const waiting = await h.deploy(P, threeStagePlan('api:2'));
    expect(await h.operate(P, { kind: 'cancel', deploymentId: waiting, ...by })).toEqual({
      ok: true,
      kind: 'cancel',
      deploymentId: waiting,
    });
    expect(await h.stages(waiting)).toEqual({
      staging: 'cancelled',
      'prod-east': 'not_reached',
      'prod-west': 'not_reached',
    });
    expect(await h.operate(P, { kind: 'cancel', deploymentId: running, ...by })).toMatchObject({
      ok: true,
    });
    expect(await h.stepStatuses(running, 'staging')).toEqual({
      Deploy: 'cancelled',
      Bake: 'cancelled',
    });
    expect((await h.deployment(running)).stages[0]?.cancelledBy).toMatchObject({
      actor: 'user:bob',
      reason: 'testing',
    });
    expect((await h.state(P)).tracks['staging']?.occupant).toBeUndefined();

    h.steps.behave('Deploy', { kind: 'succeed' });
    const baking = await h.deploy(P, threeStagePlan('api:3'));
    expect(await h.stages(baking)).toMatchObject({ staging: 'baking' });
    await h.operate(P, { kind: 'cancel', deploymentId: baking, ...by });
    expect((await h.deployment(baking)).status).toBe('cancelled');
    expect((await h.state(P)).approvals).toEqual([]);
    const cancel = h.events.filter((e) => e.type === 'operation.cancelled');
    expect(cancel.map((e) => [e.actor, e.reason])).toEqual([
      ['user:bob', 'testing'],
      ['user:bob', 'testing'],
      ['user:bob', 'testing'],
    ]);
  });

  it('failed → waiting → succeeded: retry runs the stage again with the same revision', async () => {
    const h = new EngineHarness().start();
    h.steps.behave('Deploy', { kind: 'fail', message: 'service unstable' });
    const id = await h.deploy(P, threeStagePlan());
    expect((await h.deployment(id)).status).toBe('failed');
    h.steps.behave('Deploy', { kind: 'succeed' });
    expect(
      await h.operate(P, { kind: 'retry', deploymentId: id, stage: 'staging', ...by }),
    ).toMatchObject({ ok: true });
    const d = await h.deployment(id);
    expect(d.status).toBe('running');
    expect(d.stages[0]).toMatchObject({ status: 'baking', run: 2 });
    expect(d.stages[0]?.steps[0]?.attempt).toBe(2);
    for (let i = 0; i < 3; i++) await h.advance(30 * MIN);
    expect((await h.deployment(id)).status).toBe('succeeded');
    expect(h.codes(id)).toEqual(
      expect.arrayContaining([
        'deployment.failed',
        'operation.retried',
        'deployment.resumed',
        'deployment.succeeded',
      ]),
    );
  });

  it('a step-less stage of skipped steps succeeds at once', async () => {
    const h = new EngineHarness().start();
    const p = plan([
      stage('staging', chain([step('A', { skipped: true }), step('B', { skipped: true })])),
    ]);
    const id = await h.deploy(P, p);
    expect(await h.stepStatuses(id, 'staging')).toEqual({ A: 'skipped', B: 'skipped' });
    expect((await h.deployment(id)).status).toBe('succeeded');
  });

  it('refuses a deployment whose plan cannot run, changing nothing', async () => {
    const h = new EngineHarness().start();
    const cyclic = plan([
      stage('s', [step('A', { dependsOn: ['B'] }), step('B', { dependsOn: ['A'] })]),
    ]);
    expect(
      await h.runtime.requestDeployment(P, {
        commitSha: 'x',
        trigger: 'api',
        actor: 'user:a',
        plan: cyclic,
      }),
    ).toEqual({
      ok: false,
      code: 'INVALID_PLAN',
      message: 'the steps of stage "s" form a cycle: A → B',
    });
    const unknown = plan([stage('s', [step('A', { dependsOn: ['Nope'] })])]);
    expect(
      await h.runtime.requestDeployment(P, {
        commitSha: 'x',
        trigger: 'api',
        actor: 'user:a',
        plan: unknown,
      }),
    ).toMatchObject({
      ok: false,
      message: 'step "A" of stage "s" goes after unknown step "Nope"',
    });
    expect(
      await h.runtime.requestDeployment(P, {
        commitSha: 'x',
        trigger: 'api',
        actor: 'user:a',
        plan: plan([]),
      }),
    ).toMatchObject({ ok: false });
    const twice = plan([stage('s', [step('A')]), stage('s', [step('A')])]);
    expect(
      await h.runtime.requestDeployment(P, {
        commitSha: 'x',
        trigger: 'api',
        actor: 'user:a',
        plan: twice,
      }),
    ).toMatchObject({ ok: false, message: 'stage "s" appears twice' });
    expect(await h.runtime.getPipelineState(P)).toBeUndefined();
  });

  it('a request id makes a repeated request return the first deployment', async () => {
    const h = new EngineHarness().start();
    const p = plan([stage('s', [step('A')])]);
    const req = {
      commitSha: 'x',
      trigger: 'push',
      actor: 'webhook',
      plan: p,
      requestId: 'delivery-1',
    };
    const first = await h.runtime.requestDeployment(P, req);
    const again = await h.runtime.requestDeployment(P, req);
    expect(first).toMatchObject({ ok: true, created: true, revision: 1 });
    expect(again).toEqual({ ok: true, created: false, revision: 1, deploymentId: 'p1:1' });
    expect((await h.state(P)).deployments).toHaveLength(1);
  });

  it('bake of a later step: baking switches back to running steps when a step follows the bake', async () => {
    const h = new EngineHarness().start();
    const p = plan([stage('s', chain([ecsDeploy('Deploy'), bake('Bake', 10), step('Verify')]))]);
    const id = await h.deploy(P, p);
    expect(await h.stages(id)).toEqual({ s: 'baking' });
    await h.advance(10 * MIN);
    expect(await h.stages(id)).toEqual({ s: 'succeeded' });
    const order = h.events
      .filter((e) => e.stage === 's')
      .map((e) => `${e.type}${e.step === undefined ? '' : `:${e.step}`}`);
    expect(order).toEqual([
      'stage.started',
      'stage.running_steps',
      'step.started:Deploy',
      'step.succeeded:Deploy',
      'step.started:Bake',
      'stage.baking',
      'step.succeeded:Bake',
      'step.started:Verify',
      'stage.running_steps',
      'step.succeeded:Verify',
      'stage.succeeded',
    ]);
  });
});
