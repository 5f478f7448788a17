// The build phase: built-once artifacts before the first stage, per_stage builds in the stage's
// mirroring phase, rebuild_when_changed reuse, build logs, cancel and failure — on a manual clock.
import { describe, expect, it } from 'vitest';
import type { DeploymentPlan } from '../model/deployment-plan.js';
import type { MirrorRequest } from '../ports/artifact-mirror.js';
import { MIRROR_LOG_STEP, type StepLogLine } from '../ports/step-log-sink.js';
import { CrashableEngineStore } from '../test-support/crashable-engine-store.js';
import { EngineHarness } from '../test-support/engine-harness.js';
import { FakeArtifactBuilder } from '../test-support/fake-artifact-builder.js';
import { FakeCloud } from '../test-support/fake-cloud.js';
import { FakeSteps } from '../test-support/fake-step-executor.js';
import { ManualClock } from '../test-support/manual-clock.js';
import { MemoryEngineStore } from '../test-support/memory-engine-store.js';
import { builtArtifact, plan, stage, step } from '../test-support/test-plans.js';

const P = 'web';
const by = { actor: 'user:bob', reason: 'wrong commit' };

interface Rig {
  h: EngineHarness;
  builder: FakeArtifactBuilder;
  mirrors: MirrorRequest[];
  logs: StepLogLine[];
}

function rig(builder: FakeArtifactBuilder, buildConcurrency = 2): Rig {
  const mirrors: MirrorRequest[] = [];
  const logs: StepLogLine[] = [];
  const h = new EngineHarness({
    runtime: {
      builder,
      config: { buildConcurrency },
      logs: { write: (line) => logs.push(line) },
      mirror: {
        mirror: (request) => {
          mirrors.push(request);
          request.log?.(`mirroring ${request.artifacts.length} artifact(s)`);
          return Promise.resolve(
            Object.fromEntries(
              request.artifacts.map((a) => [
                a.id,
                {
                  image_url: `stage/${a.repository ?? a.id}@${request.sources?.[a.id]?.['image_digest'] ?? 'none'}`,
                },
              ]),
            ),
          );
        },
      },
    },
  }).start();
  return { h, builder, mirrors, logs };
}

/** Three images built once; staging mirrors them and deploys with the CI/CD digest in a param. */
function threeImagePlan(): DeploymentPlan {
  const artifacts = [
    builtArtifact('Api'),
    builtArtifact('Worker'),
    builtArtifact('Site', { kind: 'bundle' }),
  ];
  return {
    ...plan([
      stage(
        'staging',
        [
          step('Deploy', {
            params: {
              command:
                'deploy [ARTIFACT:api/image_url] built as [PRE_MIRROR_ARTIFACT:api/image_digest] from [PRE_MIRROR_ARTIFACT:site/s3_url]',
            },
          }),
        ],
        {
          artifacts: artifacts.map((a) => ({
            name: a.name,
            id: a.id,
            kind: a.kind,
            repository: `web-staging-${a.id}`,
            source: { ...a.destination },
          })),
        },
      ),
      stage('prod', [step('Smoke')]),
    ]),
    artifacts,
  };
}

describe('artifact builds before the first stage', () => {
  it('builds at most buildConcurrency at once, then mirrors from the CI/CD copies and fills pre_mirror markers', async () => {
    const { h, builder, mirrors, logs } = rig(new FakeArtifactBuilder({ hold: true }), 2);
    const id = await h.deploy(P, threeImagePlan(), { commitSha: 'c0ffee1' });
    let d = await h.deployment(id);
    expect(d.status).toBe('building');
    expect(d.builds?.map((b) => b.status)).toEqual(['running', 'running', 'pending']);
    expect(builder.waiting).toEqual(['api', 'worker']);
    expect(await h.stages(id)).toEqual({ staging: 'waiting', prod: 'waiting' });
    expect(h.codes(id)).not.toContain('stage.started');

    builder.succeed('worker');
    await h.settle();
    expect(builder.waiting).toEqual(['api', 'site']);
    builder.succeed('api');
    await h.settle();
    expect((await h.deployment(id)).status).toBe('building');
    builder.succeed('site');
    await h.settle();

    expect(builder.maxRunning).toBe(2);
    d = await h.deployment(id);
    expect(d.status).toBe('succeeded');
    expect(d.builds?.map((b) => b.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const apiFields = FakeArtifactBuilder.fieldsFor({
      artifact: builtArtifact('Api'),
      commitSha: 'c0ffee1',
    });
    expect(d.builds?.[0]?.fields).toEqual(apiFields);
    // The stage mirror gets what to copy from: the CI/CD copies' fields.
    expect(mirrors).toHaveLength(1);
    expect(mirrors[0]?.sources?.['api']).toEqual(apiFields);
    expect(Object.keys(mirrors[0]?.sources ?? {})).toEqual(['api', 'worker', 'site']);
    const deploy = h.steps.calls.find((c) => c.step === 'Deploy');
    expect(deploy?.params).toEqual({
      command: `deploy stage/web-staging-api@${apiFields['image_digest']} built as ${apiFields['image_digest']} from s3://${builtArtifact('Site', { kind: 'bundle' }).destination.bucket}/c0ffee1/site.zip`,
    });
    // Events, in order, and logs under (build)/build:<name>.
    const codes = h.codes(id);
    expect(codes.slice(0, 2)).toEqual(['deployment.created', 'deployment.building']);
    expect(codes.filter((c) => c === 'artifact.built')).toHaveLength(3);
    expect(codes.indexOf('stage.started')).toBeGreaterThan(codes.lastIndexOf('artifact.built'));
    expect(logs.filter((l) => l.step === 'build:Api')).toEqual([
      expect.objectContaining({
        stage: '(build)',
        deploymentId: id,
        text: 'building Api',
        pipelineId: P,
      }),
    ]);
    // The mirror's lines go to the stage's log under mirror:artifacts.
    expect(logs.filter((l) => l.step === MIRROR_LOG_STEP)).toEqual([
      expect.objectContaining({
        stage: 'staging',
        deploymentId: id,
        stream: 'info',
        text: 'mirroring 3 artifact(s)',
      }),
    ]);
    // Every build was asked for exactly once, with the CI/CD destination and no stage.
    expect(builder.requests.map((r) => [r.artifact.id, r.stage, r.commitSha])).toEqual([
      ['api', undefined, 'c0ffee1'],
      ['worker', undefined, 'c0ffee1'],
      ['site', undefined, 'c0ffee1'],
    ]);
  });

  it('a failed build fails the deployment before any stage, with its last 20 lines, and stops the others', async () => {
    const { h, builder, mirrors } = rig(new FakeArtifactBuilder({ hold: true }), 3);
    const id = await h.deploy(P, threeImagePlan());
    const output = Array.from({ length: 30 }, (_, i) => `step ${i + 1}`).join('\n');
    builder.fail('worker', `docker build exited with 1:\n${output}\n`);
    await h.settle();
    const d = await h.deployment(id);
    expect(d.status).toBe('failed');
    expect(await h.stages(id)).toEqual({ staging: 'not_reached', prod: 'not_reached' });
    expect(d.builds?.map((b) => b.status)).toEqual(['cancelled', 'failed', 'cancelled']);
    const error = d.builds?.[1]?.error ?? '';
    expect(error.split('\n')).toHaveLength(20);
    expect(error.split('\n')[0]).toBe('step 11');
    expect(error.endsWith('step 30')).toBe(true);
    expect(d.error).toBe(`artifact "Worker" failed to build: ${error}`);
    // The builds still running were aborted.
    expect(builder.aborted.sort()).toEqual(['api', 'site']);
    expect(builder.waiting).toEqual([]);
    expect(mirrors).toEqual([]);
    expect(h.steps.calls).toEqual([]);
    const failed = h.events.find((e) => e.type === 'deployment.failed');
    expect(failed?.data).toMatchObject({ artifact: 'Worker', error: d.error });
    expect(h.codes(id)).toContain('artifact.build_failed');
    expect(h.codes(id).filter((c) => c === 'artifact.build_cancelled')).toHaveLength(2);
    expect(h.codes(id)).not.toContain('stage.started');
    // Nothing is left to do: no command of the deployment is pending.
    expect(h.store.allCommands().filter((c) => c.status === 'pending')).toEqual([]);
  });

  it('retry builds again what did not succeed, under new command ids, then runs the stages', async () => {
    const { h, builder } = rig(new FakeArtifactBuilder({ hold: true }), 3);
    const id = await h.deploy(P, threeImagePlan());
    builder.succeed('api');
    await h.settle();
    builder.fail('worker', 'exit 1');
    await h.settle();
    expect((await h.deployment(id)).status).toBe('failed');
    // Only at the first stage: the others were never reached.
    expect(
      await h.operate(P, { kind: 'retry', deploymentId: id, stage: 'prod', ...by }),
    ).toMatchObject({
      ok: false,
      code: 'STAGE_NOT_FAILED',
    });
    const retried = await h.operate(P, {
      kind: 'retry',
      deploymentId: id,
      stage: 'staging',
      ...by,
    });
    expect(retried).toMatchObject({ ok: true });
    let d = await h.deployment(id);
    expect(d.status).toBe('building');
    expect(d.error).toBeUndefined();
    expect(await h.stages(id)).toEqual({ staging: 'waiting', prod: 'waiting' });
    // Api kept its copy; Worker and Site (cancelled by the failure) build again.
    expect(d.builds?.map((b) => [b.status, b.attempt])).toEqual([
      ['succeeded', undefined],
      ['running', 2],
      ['running', 2],
    ]);
    expect(d.builds?.[1]?.commandId).toMatch(/\/build\/a1\/r2$/);
    expect(builder.requests.map((r) => r.artifact.id)).toEqual([
      'api',
      'worker',
      'site',
      'worker',
      'site',
    ]);
    builder.succeed('worker');
    builder.succeed('site');
    await h.settle();
    d = await h.deployment(id);
    expect(d.status).toBe('succeeded');
    expect(await h.stages(id)).toEqual({ staging: 'succeeded', prod: 'succeeded' });
    expect(h.codes(id)).toEqual(
      expect.arrayContaining(['operation.retried', 'deployment.succeeded']),
    );
    // A finished deployment cannot be retried.
    expect(
      await h.operate(P, { kind: 'retry', deploymentId: id, stage: 'staging', ...by }),
    ).toMatchObject({
      ok: false,
    });
  });

  it('without a builder, a plan with artifacts fails before the first stage and says why', async () => {
    const h = new EngineHarness().start();
    const id = await h.deploy(P, threeImagePlan());
    const d = await h.deployment(id);
    expect(d.status).toBe('failed');
    expect(d.error).toMatch(/artifact "Api" failed to build: .*no artifact builder/);
  });

  it('cancel while building stops the builds; no stage is reached', async () => {
    const { h, builder } = rig(new FakeArtifactBuilder({ hold: true }), 1);
    const id = await h.deploy(P, threeImagePlan());
    expect(builder.waiting).toEqual(['api']);
    const result = await h.operate(P, { kind: 'cancel', deploymentId: id, ...by });
    expect(result).toMatchObject({ ok: true });
    const d = await h.deployment(id);
    expect(d.status).toBe('cancelled');
    expect(d.builds?.map((b) => b.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(await h.stages(id)).toEqual({ staging: 'not_reached', prod: 'not_reached' });
    expect(builder.aborted).toEqual(['api']);
    expect(builder.requests).toHaveLength(1);
    expect(h.codes(id)).toEqual(
      expect.arrayContaining(['operation.cancelled', 'deployment.cancelled']),
    );
    // A second cancel is refused: it already ended.
    expect(await h.operate(P, { kind: 'cancel', deploymentId: id, ...by })).toMatchObject({
      ok: false,
      code: 'DEPLOYMENT_FINISHED',
    });
  });

  it('a builder returning no fields fails the build', async () => {
    const h = new EngineHarness({
      runtime: {
        builder: { build: () => Promise.resolve({ fields: { image_url: 42 } } as never) },
      },
    }).start();
    const id = await h.deploy(P, {
      ...plan([stage('staging', [])]),
      artifacts: [builtArtifact('Api')],
    });
    expect((await h.deployment(id)).error).toMatch(/returned no fields/);
  });
});

describe('rebuild_when_changed', () => {
  it('passes the last successful build of the same spec as previous; a reuse is logged and reported', async () => {
    const { h, builder, logs } = rig(new FakeArtifactBuilder({ reuse: true }));
    const api = builtArtifact('Api', { rebuildWhenChanged: ['api/', 'package.json'] });
    const p: DeploymentPlan = { ...plan([stage('staging', [])]), artifacts: [api] };
    const first = await h.deploy(P, p, { commitSha: 'aaaaaaa1111' });
    expect(builder.requests[0]?.previous).toBeUndefined();
    const built = (await h.deployment(first)).builds?.[0]?.fields;

    const second = await h.deploy(P, p, { commitSha: 'bbbbbbb2222' });
    expect(builder.requests[1]?.previous).toEqual({
      deploymentId: first,
      revision: 1,
      commitSha: 'aaaaaaa1111',
      fields: built,
    });
    const d = await h.deployment(second);
    expect(d.status).toBe('succeeded');
    expect(d.builds?.[0]).toMatchObject({
      fields: built,
      reusedFrom: { revision: 1, commitSha: 'aaaaaaa1111' },
    });
    const message =
      'reused build of revision 1 (commit aaaaaaa): no change under api/, package.json';
    const reused = h.events.find((e) => e.type === 'artifact.reused');
    expect(reused).toMatchObject({ deploymentId: second, data: { artifact: 'Api', message } });
    expect(logs).toContainEqual(
      expect.objectContaining({
        deploymentId: second,
        step: 'build:Api',
        stream: 'info',
        text: message,
      }),
    );
    // The reused build counts as this commit's build: the third deployment diffs against it.
    await h.deploy(P, p, { commitSha: 'ccccccc3333' });
    expect(builder.requests[2]?.previous).toMatchObject({ revision: 2, commitSha: 'bbbbbbb2222' });
  });

  it('a changed spec, or an artifact without rebuild_when_changed, always builds', async () => {
    const { h, builder } = rig(new FakeArtifactBuilder({ reuse: true }));
    const spec = (dockerfile: string) =>
      builtArtifact('Api', { rebuildWhenChanged: ['api/'], params: { dockerfile } });
    await h.deploy(P, { ...plan([stage('staging', [])]), artifacts: [spec('Dockerfile')] });
    await h.deploy(P, { ...plan([stage('staging', [])]), artifacts: [spec('Dockerfile.prod')] });
    expect(builder.requests[1]?.previous).toBeUndefined();
    await h.deploy(P, { ...plan([stage('staging', [])]), artifacts: [builtArtifact('Api')] });
    await h.deploy(P, { ...plan([stage('staging', [])]), artifacts: [builtArtifact('Api')] });
    expect(builder.requests[3]?.previous).toBeUndefined();
    expect(h.codes()).not.toContain('artifact.reused');
  });
});

describe('per_stage artifacts', () => {
  /** Staging builds "Config" itself (per_stage) and mirrors "Api" (built once). */
  function perStagePlan(): DeploymentPlan {
    const api = builtArtifact('Api');
    const config = (stageName: string, accountId: string) =>
      builtArtifact('Config', {
        kind: 'bundle',
        params: { build_commands: `make ${stageName}`, file_path: 'c.zip' },
        rebuildWhenChanged: ['config/'],
        destination: {
          accountId,
          region: 'us-east-1',
          bucket: `${accountId}-web-${stageName}-config`,
        },
      });
    const copies = (stageName: string, accountId: string) => [
      {
        name: 'Api',
        id: 'api',
        kind: 'image' as const,
        repository: `web-${stageName}-api`,
        source: { ...api.destination },
      },
      {
        name: 'Config',
        id: 'config',
        kind: 'bundle' as const,
        bucket: `${accountId}-web-${stageName}-config`,
        build: config(stageName, accountId),
      },
    ];
    return {
      ...plan([
        stage(
          'staging',
          [
            step('Use', {
              params: { command: 'deploy [ARTIFACT:config/s3_url] [ARTIFACT:api/image_url]' },
            }),
          ],
          { accountId: '222222222222', artifacts: copies('staging', '222222222222') },
        ),
        stage('prod', [step('Use', { params: { command: 'deploy [ARTIFACT:config/s3_key]' } })], {
          accountId: '333333333333',
          artifacts: copies('prod', '333333333333'),
        }),
      ]),
      artifacts: [api],
    };
  }

  it('are built in each stage with its own spec and role; only the others are mirrored', async () => {
    const { h, builder, mirrors, logs } = rig(new FakeArtifactBuilder({ reuse: true }));
    const id = await h.deploy(P, perStagePlan(), { commitSha: 'd00d' });
    expect((await h.deployment(id)).status).toBe('succeeded');
    expect(
      builder.requests.map((r) => [
        r.artifact.id,
        r.stage?.stage,
        r.artifact.params['build_commands'],
      ]),
    ).toEqual([
      ['api', undefined, undefined],
      ['config', 'staging', 'make staging'],
      ['config', 'prod', 'make prod'],
    ]);
    expect(builder.requests[1]?.stage).toMatchObject({
      accountId: '222222222222',
      role: 'rampart-staging',
    });
    expect(mirrors.map((m) => [m.target.stage, m.artifacts.map((a) => a.id)])).toEqual([
      ['staging', ['api']],
      ['prod', ['api']],
    ]);
    const calls = h.steps.calls.filter((c) => c.step === 'Use') as {
      params: { command: string };
    }[];
    expect(calls[0]?.params.command).toBe(
      `deploy s3://222222222222-web-staging-config/d00d/config.zip stage/web-staging-api@sha256:d00dapi`,
    );
    expect(calls[1]?.params.command).toBe('deploy d00d/config.zip');
    expect(logs.filter((l) => l.step === 'build:Config').map((l) => l.stage)).toEqual([
      'staging',
      'prod',
    ]);
    expect(h.events.filter((e) => e.type === 'artifact.built').map((e) => e.stage)).toEqual([
      undefined,
      'staging',
      'prod',
    ]);

    // The next revision passes each stage its own last build.
    await h.deploy(P, perStagePlan(), { commitSha: 'e11e' });
    const config = builder.requests.slice(3).filter((r) => r.artifact.id === 'config');
    expect(config.map((r) => [r.stage?.stage, r.previous?.fields['s3_bucket']])).toEqual([
      ['staging', '222222222222-web-staging-config'],
      ['prod', '333333333333-web-prod-config'],
    ]);
    expect(h.events.filter((e) => e.type === 'artifact.reused').map((e) => e.stage)).toEqual([
      'staging',
      'prod',
    ]);
  });

  it('a failed per_stage build fails the stage with the build error', async () => {
    const { h } = rig(
      new FakeArtifactBuilder({ failures: { config: 'make: *** [config] Error 2' } }),
    );
    const id = await h.deploy(P, perStagePlan());
    const d = await h.deployment(id);
    expect(await h.stages(id)).toEqual({ staging: 'failed', prod: 'not_reached' });
    expect(d.stages[0]?.error).toBe(
      'mirroring failed: artifact "Config" failed to build: make: *** [config] Error 2',
    );
  });
});

describe('crash and resume of the build phase', () => {
  const crashPlan = (): DeploymentPlan => ({
    ...plan([
      stage('staging', [
        step('Use', { params: { command: 'run [PRE_MIRROR_ARTIFACT:api/image_digest]' } }),
      ]),
    ]),
    artifacts: [builtArtifact('Api'), builtArtifact('Site', { kind: 'bundle' })],
  });

  /** The first runtime dies at store call `crashAt`; a second one on the same store finishes. */
  async function run(crashAt: number | undefined) {
    const clock = new ManualClock('2026-04-01T10:00:00Z');
    const store = new MemoryEngineStore(clock);
    const steps = new FakeSteps(new FakeCloud());
    const builder = new FakeArtifactBuilder();
    const crashable = new CrashableEngineStore(store, crashAt);
    const request = (h: EngineHarness) =>
      h.runtime.requestDeployment(P, {
        commitSha: 'abc',
        trigger: 'push',
        actor: 'webhook',
        plan: crashPlan(),
        requestId: 'r1',
      });
    const first = new EngineHarness({
      clock,
      store,
      steps,
      runtimeStore: crashable,
      workerId: 'first',
      alive: () => !crashable.crashed,
      runtime: { builder },
    }).start();
    const ran = request(first)
      .then(() => first.settle())
      .then(() => 'ok' as const);
    const died = crashable.died.then(() => 'died' as const);
    if ((await Promise.race([ran, died])) === 'died') {
      const second = new EngineHarness({
        clock,
        store,
        steps,
        workerId: 'second',
        runtime: { builder },
      }).start();
      await second.advance(31_000);
      // The caller did not hear back: it sends the request again (same requestId).
      await request(second);
      await second.settle();
    }
    return { store, steps, builder, calls: crashable.calls, died: crashable.crashed };
  }

  it('a build re-runs after a crash at any store call; the deployment succeeds once', async () => {
    const baseline = await run(undefined);
    expect(baseline.died).toBe(false);
    expect(baseline.builder.requests).toHaveLength(2);
    for (let crashAt = 1; crashAt <= baseline.calls; crashAt++) {
      const { store, steps, builder, died } = await run(crashAt);
      expect(died, `crash at ${crashAt}`).toBe(true);
      expect((await store.getDeployment(`${P}:1`))?.status, `crash at ${crashAt}`).toBe(
        'succeeded',
      );
      expect(await store.listDeployments({ pipelineId: P }), `crash at ${crashAt}`).toHaveLength(1);
      // Each artifact was built once, or twice when the crash lost the first result.
      const perArtifact = ['api', 'site'].map(
        (id) => builder.requests.filter((r) => r.artifact.id === id).length,
      );
      expect(
        perArtifact.every((n) => n >= 1 && n <= 2),
        `crash at ${crashAt}: ${perArtifact.join(',')}`,
      ).toBe(true);
      // A step call may run twice too (its executor's journal keeps the effect single).
      expect(
        [...new Set(steps.calls.map((c) => (c.params as { command: string }).command))],
        `crash at ${crashAt}`,
      ).toEqual([
        `run ${FakeArtifactBuilder.fieldsFor({ artifact: builtArtifact('Api'), commitSha: 'abc' })['image_digest']}`,
      ]);
      const leftovers = store
        .allCommands()
        .filter((c) => c.status === 'pending' && c.type !== 'poll-alarms');
      expect(leftovers, `crash at ${crashAt}`).toEqual([]);
    }
  });
});
