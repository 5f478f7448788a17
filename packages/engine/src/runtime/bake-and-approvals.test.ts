import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../test-support/engine-harness.js';
import { bake, chain, ecsDeploy, plan, stage, step } from '../test-support/test-plans.js';

const P = 'p1';
const MIN = 60_000;
const HOUR = 60 * MIN;
const by = { actor: 'user:carol', reason: 'looks good' };

describe('bake', () => {
  it('bakes 24 hours on the manual clock, listed as a pending approval until it ends', async () => {
    const h = new EngineHarness({ start: '2026-03-02T10:00:00Z' }).start();
    const id = await h.deploy(
      P,
      plan([stage('s', chain([ecsDeploy('Deploy'), bake('Bake', 24 * 60)]))]),
    );
    expect((await h.state(P)).approvals).toEqual([
      expect.objectContaining({ kind: 'bake', step: 'Bake', until: '2026-03-03T10:00:00.000Z' }),
    ]);
    await h.advance(24 * HOUR - 1);
    expect(await h.stages(id)).toEqual({ s: 'baking' });
    await h.advance(1);
    expect(await h.stages(id)).toEqual({ s: 'succeeded' });
    expect((await h.state(P)).approvals).toEqual([]);
  });

  it('can be approved early', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(
      P,
      plan([stage('s', chain([ecsDeploy('Deploy'), bake('Bake', 60)]))]),
    );
    expect(
      await h.operate(P, { kind: 'approve', deploymentId: id, stage: 's', step: 'Bake', ...by }),
    ).toEqual({ ok: true, kind: 'approve', deploymentId: id });
    expect(await h.stages(id)).toEqual({ s: 'succeeded' });
    const step0 = (await h.deployment(id)).stages[0]?.steps[1];
    expect(step0?.approvedBy).toMatchObject({ actor: 'user:carol', reason: 'looks good' });
    // The bake timer fires later and changes nothing.
    await h.advance(60 * MIN);
    expect((await h.deployment(id)).status).toBe('succeeded');
  });

  it('can be rejected: the stage fails', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(
      P,
      plan([stage('s', chain([ecsDeploy('Deploy'), bake('Bake', 60)]))]),
    );
    await h.operate(P, {
      kind: 'reject',
      deploymentId: id,
      stage: 's',
      step: 'Bake',
      actor: 'user:dan',
      reason: 'latency up',
    });
    const d = await h.deployment(id);
    expect(d.stages[0]?.steps[1]?.error).toEqual({
      code: 'rejected',
      message: 'rejected by user:dan: latency up',
    });
    expect(d.stages[0]?.status).toBe('failed');
    expect(h.events.find((e) => e.type === 'operation.rejected')).toMatchObject({
      actor: 'user:dan',
      reason: 'latency up',
      step: 'Bake',
    });
  });

  it('fails a bake without a positive duration', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(
      P,
      plan([
        stage('s', [
          step('Bake', {
            type: 'RAMPART:APPROVAL:BAKE',
            params: { duration_minutes: '${{ vars.x }}' },
          }),
        ]),
      ]),
    );
    expect((await h.deployment(id)).stages[0]?.steps[0]?.error?.code).toBe('params');
  });
});

describe('approvals', () => {
  const manual = (hours?: number) =>
    plan([
      stage(
        's',
        chain([
          step('Gate', {
            type: 'RAMPART:APPROVAL:MANUAL',
            params: hours === undefined ? {} : { timeout_hours: hours },
          }),
          step('After'),
        ]),
      ),
    ]);

  it('APPROVAL:MANUAL waits for approve, then outputs who approved', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(P, manual());
    expect(await h.stepStatuses(id, 's')).toEqual({
      Gate: 'waiting_for_approval',
      After: 'pending',
    });
    expect(h.codes(id)).toContain('approval.required');
    expect((await h.state(P)).approvals).toEqual([
      expect.objectContaining({ kind: 'manual', step: 'Gate' }),
    ]);
    await h.operate(P, { kind: 'approve', deploymentId: id, stage: 's', step: 'Gate', ...by });
    const gate = (await h.deployment(id)).stages[0]?.steps[0];
    expect(gate).toMatchObject({ status: 'succeeded', outputs: { approved_by: 'user:carol' } });
    expect((await h.deployment(id)).status).toBe('succeeded');
  });

  it('APPROVAL:MANUAL fails when nobody decides within timeout_hours (168 by default)', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(P, manual(2));
    await h.advance(2 * HOUR);
    expect((await h.deployment(id)).stages[0]?.steps[0]?.error?.code).toBe('approval-timeout');
    const defaulted = new EngineHarness().start();
    const other = await defaulted.deploy(P, manual());
    await defaulted.advance(168 * HOUR - 1);
    expect(await defaulted.stepStatuses(other, 's')).toMatchObject({
      Gate: 'waiting_for_approval',
    });
    await defaulted.advance(1);
    expect(await defaulted.stepStatuses(other, 's')).toMatchObject({ Gate: 'failed' });
  });

  it('APPROVAL:MANUAL rejected fails the stage', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(P, manual());
    await h.operate(P, { kind: 'reject', deploymentId: id, stage: 's', step: 'Gate', ...by });
    expect(await h.stepStatuses(id, 's')).toEqual({ Gate: 'failed', After: 'cancelled' });
  });

  it('a step that asks for approval (Terraform plan) is called again with who approved', async () => {
    const h = new EngineHarness().start();
    h.steps.behave('Infra', { kind: 'approval', message: 'plan destroys 1 resource' });
    const id = await h.deploy(
      P,
      plan([
        stage(
          's',
          chain([
            step('Infra', { type: 'RAMPART:TERRAFORM:SYNTHESIZE', params: { source: 'infra' } }),
            step('After'),
          ]),
        ),
      ]),
    );
    const infra = (await h.deployment(id)).stages[0]?.steps[0];
    expect(infra).toMatchObject({
      status: 'waiting_for_approval',
      approvalMessage: 'plan destroys 1 resource',
    });
    expect((await h.state(P)).approvals).toEqual([
      expect.objectContaining({ kind: 'step', message: 'plan destroys 1 resource' }),
    ]);
    await h.operate(P, { kind: 'approve', deploymentId: id, stage: 's', step: 'Infra', ...by });
    expect(await h.stepStatuses(id, 's')).toEqual({ Infra: 'succeeded', After: 'succeeded' });
    expect(h.steps.calls.filter((c) => c.step === 'Infra').map((c) => c.call)).toEqual([1, 2]);
    expect((await h.state(P)).approvals).toEqual([]);
  });

  it('refuses to approve or reject what is not waiting, with a typed reason', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(P, manual());
    await h.operate(P, { kind: 'approve', deploymentId: id, stage: 's', step: 'Gate', ...by });
    expect(
      await h.operate(P, { kind: 'approve', deploymentId: id, stage: 's', step: 'Gate', ...by }),
    ).toMatchObject({
      ok: false,
      code: 'STEP_NOT_AWAITING_DECISION',
      message: expect.stringContaining('is succeeded') as string,
    });
    expect(
      await h.operate(P, { kind: 'reject', deploymentId: id, stage: 's', step: 'After', ...by }),
    ).toMatchObject({ ok: false, code: 'STEP_NOT_AWAITING_DECISION' });
    expect(
      await h.operate(P, { kind: 'approve', deploymentId: id, stage: 's', step: 'Nope', ...by }),
    ).toMatchObject({ ok: false, code: 'UNKNOWN_STEP' });
    expect(
      await h.operate(P, { kind: 'approve', deploymentId: id, stage: 'x', step: 'Gate', ...by }),
    ).toMatchObject({ ok: false, code: 'UNKNOWN_STAGE' });
    expect(
      await h.operate(P, {
        kind: 'approve',
        deploymentId: 'p1:9',
        stage: 's',
        step: 'Gate',
        ...by,
      }),
    ).toMatchObject({ ok: false, code: 'UNKNOWN_DEPLOYMENT' });
    expect(
      await h.operate(P, {
        kind: 'approve',
        deploymentId: id,
        stage: 's',
        step: 'Gate',
        actor: 'user:x',
        reason: '  ',
      }),
    ).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    expect(h.events.filter((e) => e.type === 'operation.approved')).toHaveLength(1);
  });
});
