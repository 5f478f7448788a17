/**
 * Issue 6, deployments end to end: a server in this process on SQLite and on PostgreSQL, the
 * sandbox with IAM enforced, stage roles from `rampart bootstrap`, and everything driven through
 * the HTTP API and checked there and in the sandbox (the ECS services, their task definitions).
 * One world per database holds four pipelines, one per scenario: a closed window (`gated`), the
 * happy path (`web`), an alarm during a bake (`guard`) and manual operations (`ops`).
 *
 * The sandbox and the server share one clock that runs in real time and that tests move forward
 * to end bakes and open windows; it never goes back, so the window scenario comes first.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogListResponse } from '@rampart/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeployWorld, PROD, STAGING, startWorldServer } from './support/deploy-world.js';
import type { InProcessServer } from './support/deploy-world.js';
import {
  inStatus,
  outline,
  settled,
  stageStatuses,
  stageWhere,
} from './support/deployment-waits.js';
import { DATABASES } from './support/test-databases.js';
import { waitFor } from './support/wait-for.js';
import { INITIAL_IMAGE, type WorkloadSpec } from './support/workload.js';

/** A Monday, ten minutes before the `gated` pipeline's prod window opens. */
const START = '2026-03-02T10:50:00.000Z';
const OPENS = '2026-03-02T11:00:00.000Z';

/** The workload of `name` in staging and prod (us-east-1). */
const pair = (name: string): [WorkloadSpec, WorkloadSpec] => [
  { accountId: STAGING, region: 'us-east-1', name },
  { accountId: PROD, region: 'us-east-1', name },
];
const [GATED_STAGING, GATED_PROD] = pair('gated');
const [GUARD_STAGING, GUARD_PROD] = pair('guard');
const [OPS_STAGING, OPS_PROD] = pair('ops');
const WEB_STAGES: (WorkloadSpec & { stage: string })[] = [
  { stage: 'staging', accountId: STAGING, region: 'us-east-1', name: 'web' },
  { stage: 'prod-east', accountId: PROD, region: 'us-east-1', name: 'web' },
  { stage: 'prod-west', accountId: PROD, region: 'us-west-2', name: 'web' },
];

/** An ECS:DEPLOY step of the workload `name`, with an image tag per revision. */
const deployStep = (name: string) => `    - name: Deploy
      type: RAMPART:ECS:DEPLOY
      params:
        cluster_name: ${name}
        service_name: ${name}
        image_url: registry.example/${name}:r\${{ trigger.revision }}
`;
const image = (name: string, revision: number) => `registry.example/${name}:r${revision}`;

/** Prod opens at 11:00 UTC on weekdays (a custom window of FORMAT.md). */
const GATED = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  deployment_time_windows:
    prod-hours:
      timezone: UTC
      days: [MON, TUE, WED, THU, FRI]
      start: "11:00"
      end: "16:00"
  stages:
    - name: staging
      account_id: "${STAGING}"
      region: us-east-1
    - name: prod
      account_id: "${PROD}"
      region: us-east-1
      deployment_time_window: prod-hours
  steps:
${deployStep('gated')}`;

/** Three stages in two accounts: a script with the stage credentials, the deploy, a bake. */
const WEB = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
${WEB_STAGES.map((s) => `    - name: ${s.stage}\n      account_id: "${s.accountId}"\n      region: ${s.region}\n`).join('')}
  steps:
    - name: Announce
      type: RAMPART:SCRIPT:RUN
      params:
        command: echo "revision \${{ trigger.revision }} to \${{ stage.name }} as $(echo $AWS_ACCESS_KEY_ID | cut -c1-4)"
${deployStep('web')}    - name: Bake
      type: RAMPART:APPROVAL:BAKE
      params:
        duration_minutes: 10
`;

/** Deploy and bake, watching the rollback alarm `guard-errors` of each stage. */
const GUARD = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stage_defaults:
    auto_rollback_alarm_name: guard-errors
  stages:
    - name: staging
      account_id: "${STAGING}"
      region: us-east-1
    - name: prod
      account_id: "${PROD}"
      region: us-east-1
  steps:
${deployStep('guard')}    - name: Bake
      type: RAMPART:APPROVAL:BAKE
      params:
        duration_minutes: 30
`;

/**
 * A gate script that records its process id, waits while `hold-<revision>` exists and fails while
 * `broken-<revision>` exists (files in `control` the test writes), a sign-off in prod, the deploy.
 */
const ops = (control: string) => `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: "${STAGING}"
      region: us-east-1
      skip: [Sign-off]
    - name: prod
      account_id: "${PROD}"
      region: us-east-1
  steps:
    - name: Gate
      type: RAMPART:SCRIPT:RUN
      params:
        command: |
          rev=\${{ trigger.revision }}
          echo $$ > ${control}/gate-$rev-\${{ stage.name }}.pid
          while [ -e ${control}/hold-$rev ]; do sleep 0.05; done
          if [ -e ${control}/broken-$rev ]; then echo "gate closed for revision $rev" >&2; exit 1; fi
          echo "gate open for revision $rev"
    - name: Sign-off
      type: RAMPART:APPROVAL:MANUAL
${deployStep('ops')}`;

/** Whether a process with this id is alive. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(DATABASES)('deployments on $database', ({ database }) => {
  const control = mkdtempSync(join(tmpdir(), 'rampart-e2e-control-'));
  const touch = (name: string) => writeFileSync(join(control, name), '');
  const remove = (name: string) => rmSync(join(control, name), { force: true });
  let world: DeployWorld | undefined;
  let running: InProcessServer | undefined;
  let skip = '';

  beforeAll(async () => {
    const created = await DeployWorld.create({
      database,
      pipelines: { gated: GATED, web: WEB, guard: GUARD, ops: ops(control) },
      workloads: [
        GATED_STAGING,
        GATED_PROD,
        ...WEB_STAGES,
        GUARD_STAGING,
        GUARD_PROD,
        OPS_STAGING,
        OPS_PROD,
      ],
      clockStart: START,
    });
    if ('skip' in created) {
      skip = created.skip;
      return;
    }
    world = created;
    running = await startWorldServer(world);
  }, 180_000);

  afterAll(async () => {
    await running?.server.stop();
    await world?.destroy();
    rmSync(control, { recursive: true, force: true });
  });

  it('a closed window keeps revisions out until it opens, then only the newest deploys', async (context) => {
    if (world === undefined || running === undefined) return context.skip(skip);
    const { api } = running;
    const { clock, workloads } = world;
    const view = { api, clock };
    const waitingForWindow = (s: { status: string; waitingFor?: string }) =>
      s.status === 'waiting' && s.waitingFor === 'window';

    const older = await api.deploy('gated', { reason: 'first' });
    const first = await stageWhere(view, 'gated', older, 'prod', waitingForWindow);
    expect(first.stages[0]?.status).toBe('succeeded');
    expect(first.stages[1]).toMatchObject({ windowOpensAt: OPENS });
    expect(first.stages[1]?.window).toContain('11:00');

    const newer = await api.deploy('gated', { reason: 'second' });
    await stageWhere(view, 'gated', newer, 'prod', waitingForWindow);
    const superseded = await settled(view, 'gated', older);
    expect(superseded.status).toBe('superseded');
    expect(stageStatuses(superseded)).toEqual([
      ['staging', 'succeeded'],
      ['prod', 'superseded'],
    ]);
    // Both went through staging; nothing reached prod while the window was closed.
    expect((await workloads.service(GATED_STAGING)).image).toBe(image('gated', newer));
    expect((await workloads.service(GATED_PROD)).image).toBe(INITIAL_IMAGE);
    expect(clock.now().getTime()).toBeLessThan(Date.parse(OPENS));

    clock.advanceTo(OPENS);
    const done = await settled(view, 'gated', newer);
    expect(stageStatuses(done), JSON.stringify(outline(done))).toEqual([
      ['staging', 'succeeded'],
      ['prod', 'succeeded'],
    ]);
    expect(Date.parse(done.stages[1]?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(OPENS));
    expect(await workloads.service(GATED_PROD)).toMatchObject({
      image: image('gated', newer),
      rollout: 'COMPLETED',
    });
    // The superseded revision never registered a task definition in prod.
    expect((await workloads.revisions(GATED_PROD)).map((r) => r.image)).toEqual([
      INITIAL_IMAGE,
      image('gated', newer),
    ]);
    expect((await api.deployment('gated', older)).status).toBe('superseded');
  }, 120_000);

  it('the happy path: three stages in order, each service on its new task definition', async (context) => {
    if (world === undefined || running === undefined) return context.skip(skip);
    const { api } = running;
    const { clock, workloads } = world;
    for (const s of WEB_STAGES) expect((await workloads.service(s)).image).toBe(INITIAL_IMAGE);

    const revision = await api.deploy('web', { reason: 'first release' });
    const done = await settled({ api, clock }, 'web', revision, {
      skipBakes: true,
      timeoutMs: 60_000,
    });
    expect(stageStatuses(done), JSON.stringify(outline(done))).toEqual(
      WEB_STAGES.map((s) => [s.stage, 'succeeded']),
    );
    expect(done.status).toBe('succeeded');
    // In order: each stage started after the one before it succeeded.
    for (let i = 1; i < done.stages.length; i++) {
      expect(Date.parse(done.stages[i]?.startedAt ?? '')).toBeGreaterThanOrEqual(
        Date.parse(done.stages[i - 1]?.finishedAt ?? ''),
      );
    }
    const events = (await api.eventTypes('web', revision)).filter((e) =>
      /^stage\.(started|succeeded)/.test(e),
    );
    expect(events).toEqual(
      WEB_STAGES.flatMap((s) => [`stage.started ${s.stage}`, `stage.succeeded ${s.stage}`]),
    );

    for (const [i, s] of WEB_STAGES.entries()) {
      const deploy = done.stages[i]?.steps.find((step) => step.name === 'Deploy');
      const service = await workloads.service(s);
      expect(service).toMatchObject({
        taskDefinition: deploy?.outputs?.task_definition_arn,
        image: image('web', revision),
        rollout: 'COMPLETED',
      });
      expect(service.taskDefinition).toContain(`:${s.accountId}:task-definition/web:2`);
      expect(deploy?.outputs?.previous_task_definition_arn).toContain('task-definition/web:1');
    }
    // The script ran with session credentials STS issued to each stage's role.
    const logs = await api.call<LogListResponse>(
      'GET',
      `/pipelines/web/deployments/${revision}/logs`,
    );
    expect(
      logs.body.lines
        .filter((l) => l.text.startsWith('revision '))
        .map((l) => [l.stage, l.step, l.text]),
    ).toEqual(
      WEB_STAGES.map((s) => [s.stage, 'Announce', `revision ${revision} to ${s.stage} as ASIA`]),
    );
  }, 120_000);

  it('an alarm during a bake rolls back, blocks this stage and the next, and lifts when OK', async (context) => {
    if (world === undefined || running === undefined) return context.skip(skip);
    const { api } = running;
    const { clock, workloads } = world;
    const view = { api, clock };

    // Revision 1 becomes the last good revision of both stages.
    const good = await api.deploy('guard', { reason: 'good release' });
    expect((await settled(view, 'guard', good, { skipBakes: true })).status).toBe('succeeded');
    const goodStaging = await workloads.service(GUARD_STAGING);
    const goodProd = await workloads.service(GUARD_PROD);
    expect(goodStaging.image).toBe(image('guard', good));

    // Revision 2 deploys to staging; while it bakes, the alarm goes off. The server finds out by
    // polling CloudWatch with the stage role.
    const bad = await api.deploy('guard', { reason: 'bad release' });
    await stageWhere(view, 'guard', bad, 'staging', (s) => s.status === 'baking');
    expect((await workloads.service(GUARD_STAGING)).image).toBe(image('guard', bad));
    const alarmSetAt = clock.now().getTime();
    await workloads.setAlarm(GUARD_STAGING, 'ALARM');

    const rolledBack = await settled(view, 'guard', bad);
    expect(rolledBack.status, JSON.stringify(outline(rolledBack))).toBe('rolled_back');
    expect(stageStatuses(rolledBack)).toEqual([
      ['staging', 'rolled_back'],
      ['prod', 'not_reached'],
    ]);
    expect(rolledBack.stages[1]?.steps.map((s) => s.status)).toEqual(['pending', 'pending']);
    // Staging runs the last good task definition again; prod never saw revision 2.
    expect(await workloads.service(GUARD_STAGING)).toMatchObject({
      taskDefinition: goodStaging.taskDefinition,
      image: image('guard', good),
      rollout: 'COMPLETED',
    });
    expect(await workloads.service(GUARD_PROD)).toEqual(goodProd);
    expect((await workloads.revisions(GUARD_PROD)).map((r) => r.image)).not.toContain(
      image('guard', bad),
    );

    const [rollback, ...others] = await api.rollbacks('guard');
    expect(others).toEqual([]);
    expect(rollback).toMatchObject({
      kind: 'auto',
      stage: 'staging',
      status: 'succeeded',
      fromRevision: bad,
      toRevision: good,
      alarm: { name: 'guard-errors' },
    });
    expect(rolledBack.rollbacks.map((r) => r.id)).toEqual([rollback?.id]);
    // Time to detect runs from the alarm's change to the decision, time to restore from the
    // decision to the end of the rollback, both on the clock the sandbox and server share.
    const changedAt = Date.parse(rollback?.alarm?.changedAt ?? '');
    const decidedAt = Date.parse(rollback?.decidedAt ?? '');
    const finishedAt = Date.parse(rollback?.finishedAt ?? '');
    expect(changedAt).toBeGreaterThanOrEqual(alarmSetAt);
    expect(rollback?.timeToDetectMs).toBe(decidedAt - changedAt);
    expect(rollback?.timeToRestoreMs).toBe(finishedAt - decidedAt);
    expect(rollback?.timeToDetectMs).toBeGreaterThanOrEqual(0);
    expect(rollback?.timeToRestoreMs).toBeGreaterThanOrEqual(0);
    expect(rollback?.steps.map((s) => [s.name, s.status])).toEqual([['Deploy', 'succeeded']]);

    const blockers = await api.blockers('guard');
    expect(
      blockers
        .map((b) => ({ stage: b.stage, kind: b.kind, alarm: b.alarm }))
        .sort((a, b) => a.stage.localeCompare(b.stage)),
    ).toEqual([
      { stage: 'prod', kind: 'alarm', alarm: { name: 'guard-errors', stage: 'staging' } },
      { stage: 'staging', kind: 'alarm', alarm: { name: 'guard-errors', stage: 'staging' } },
    ]);

    // A newer revision queues before the blocked stage.
    const next = await api.deploy('guard', { reason: 'the fix' });
    const waiting = await stageWhere(view, 'guard', next, 'staging', (s) => s.status === 'waiting');
    expect(waiting.stages[0]?.waitingFor).toBe('blocked');
    expect(waiting.stages[0]?.steps.every((s) => s.status === 'pending')).toBe(true);

    // The alarm clears: the blockers go and the queued revision goes through both stages.
    await workloads.setAlarm(GUARD_STAGING, 'OK');
    await waitFor('the alarm blockers to be lifted', async (seen) => {
      const now = await api.blockers('guard');
      seen(now);
      return now.length === 0 ? true : undefined;
    });
    const done = await settled(view, 'guard', next, { skipBakes: true });
    expect(stageStatuses(done), JSON.stringify(outline(done))).toEqual([
      ['staging', 'succeeded'],
      ['prod', 'succeeded'],
    ]);
    for (const w of [GUARD_STAGING, GUARD_PROD]) {
      expect(await workloads.service(w)).toMatchObject({
        image: image('guard', next),
        rollout: 'COMPLETED',
      });
    }
    expect(await api.eventTypes('guard', bad)).toEqual(
      expect.arrayContaining([
        'rollback.started staging',
        'rollback.succeeded staging',
        'deployment.rolled_back',
      ]),
    );
  }, 120_000);

  describe('manual operations', () => {
    it('cancel stops a running deployment and its script', async (context) => {
      if (world === undefined || running === undefined) return context.skip(skip);
      const { api } = running;
      const view = { api, clock: world.clock };
      touch('hold-1');
      const revision = await api.deploy('ops', { reason: 'will be cancelled' });
      expect(revision).toBe(1);
      const pidFile = join(control, 'gate-1-staging.pid');
      await waitFor('the gate script to start', () => (existsSync(pidFile) ? true : undefined));
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(isAlive(pid)).toBe(true);

      const cancelled = await api.operate('ops', {
        kind: 'cancel',
        revision,
        reason: 'wrong commit',
      });
      expect(cancelled).toMatchObject({ status: 200, body: { kind: 'cancel' } });
      const done = await settled(view, 'ops', revision);
      expect(done.status).toBe('cancelled');
      expect(stageStatuses(done)).toEqual([
        ['staging', 'cancelled'],
        ['prod', 'not_reached'],
      ]);
      expect(done.stages[0]?.steps.map((s) => s.status)).toEqual([
        'cancelled',
        'skipped',
        'cancelled',
      ]);
      expect(done.stages[0]?.cancelledBy?.reason).toBe('wrong commit');
      await waitFor('the gate script to be stopped', () => (isAlive(pid) ? undefined : true));
      expect((await world.workloads.service(OPS_STAGING)).image).toBe(INITIAL_IMAGE);
      // A finished deployment cannot be cancelled again.
      expect(await api.operate('ops', { kind: 'cancel', revision, reason: 'again' })).toMatchObject(
        { status: 409, body: { error: { code: 'DEPLOYMENT_FINISHED' } } },
      );
      remove('hold-1');
    }, 120_000);

    it('retry runs a failed stage again once its cause is fixed; approve lets it deploy', async (context) => {
      if (world === undefined || running === undefined) return context.skip(skip);
      const { api } = running;
      const view = { api, clock: world.clock };
      touch('broken-2');
      const revision = await api.deploy('ops', { reason: 'gate is closed' });
      expect(revision).toBe(2);
      const failed = await settled(view, 'ops', revision);
      expect(failed.status).toBe('failed');
      expect(stageStatuses(failed)).toEqual([
        ['staging', 'failed'],
        ['prod', 'not_reached'],
      ]);
      const gate = failed.stages[0]?.steps[0];
      expect(gate?.status).toBe('failed');
      expect(gate?.error?.message).toContain('gate closed for revision 2');

      remove('broken-2');
      const retried = await api.operate('ops', {
        kind: 'retry',
        revision,
        stage: 'staging',
        reason: 'gate fixed',
      });
      expect(retried).toMatchObject({ status: 200, body: { kind: 'retry', revision } });
      const signOff = await stageWhere(view, 'ops', revision, 'prod', (s) =>
        s.steps.some((step) => step.name === 'Sign-off' && step.status === 'waiting_for_approval'),
      );
      expect(signOff.status).toBe('running');
      expect(signOff.stages[0]).toMatchObject({ status: 'succeeded', run: 2 });
      expect(signOff.approvals.map((a) => [a.stage, a.step])).toEqual([['prod', 'Sign-off']]);
      // Nothing reached prod before the sign-off.
      expect((await world.workloads.service(OPS_PROD)).image).toBe(INITIAL_IMAGE);

      const approved = await api.operate('ops', {
        kind: 'approve',
        revision,
        stage: 'prod',
        step: 'Sign-off',
        reason: 'release notes checked',
      });
      expect(approved.status).toBe(200);
      const done = await settled(view, 'ops', revision);
      expect(stageStatuses(done), JSON.stringify(outline(done))).toEqual([
        ['staging', 'succeeded'],
        ['prod', 'succeeded'],
      ]);
      expect(done.stages[1]?.steps.find((s) => s.name === 'Sign-off')).toMatchObject({
        status: 'succeeded',
        approvedBy: { actor: 'token:admin', reason: 'release notes checked' },
        outputs: { approved_by: 'token:admin' },
      });
      for (const w of [OPS_STAGING, OPS_PROD]) {
        expect((await world.workloads.service(w)).image).toBe(image('ops', 2));
      }
    }, 120_000);

    it('stop keeps a revision out of a stage until resume; reject fails the stage', async (context) => {
      if (world === undefined || running === undefined) return context.skip(skip);
      const { api } = running;
      const view = { api, clock: world.clock };
      const stopped = await api.operate('ops', { kind: 'stop', stage: 'prod', reason: 'freeze' });
      expect(stopped.status).toBe(200);
      expect(await api.blockers('ops')).toEqual([
        expect.objectContaining({
          stage: 'prod',
          kind: 'manual',
          origin: 'stop',
          reason: 'freeze',
        }),
      ]);
      expect(
        await api.operate('ops', { kind: 'stop', stage: 'prod', reason: 'twice' }),
      ).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_STOPPED' } } });

      const revision = await api.deploy('ops', { reason: 'during the freeze' });
      const waiting = await stageWhere(
        view,
        'ops',
        revision,
        'prod',
        (s) => s.status === 'waiting' && s.waitingFor === 'blocked',
      );
      expect(waiting.stages[0]?.status).toBe('succeeded');
      expect(existsSync(join(control, `gate-${revision}-prod.pid`))).toBe(false);

      const resumed = await api.operate('ops', { kind: 'resume', stage: 'prod', reason: 'thaw' });
      expect(resumed.status).toBe(200);
      expect(await api.blockers('ops')).toEqual([]);
      await stageWhere(view, 'ops', revision, 'prod', (s) =>
        s.steps.some((step) => step.name === 'Sign-off' && step.status === 'waiting_for_approval'),
      );
      const rejected = await api.operate('ops', {
        kind: 'reject',
        revision,
        stage: 'prod',
        step: 'Sign-off',
        reason: 'not this week',
      });
      expect(rejected.status).toBe(200);
      const done = await inStatus(view, 'ops', revision, ['failed']);
      expect(stageStatuses(done)).toEqual([
        ['staging', 'succeeded'],
        ['prod', 'failed'],
      ]);
      expect(done.stages[1]?.steps.map((s) => [s.name, s.status])).toEqual([
        ['Gate', 'succeeded'],
        ['Sign-off', 'failed'],
        ['Deploy', 'cancelled'],
      ]);
      expect(done.stages[1]?.steps[1]?.rejectedBy).toMatchObject({ reason: 'not this week' });
      // Staging has the new revision; prod kept the approved one.
      expect((await world.workloads.service(OPS_STAGING)).image).toBe(image('ops', revision));
      expect((await world.workloads.service(OPS_PROD)).image).toBe(image('ops', 2));
    }, 120_000);
  });
});
