import {
  deploymentListResponseSchema,
  deploymentResponseSchema,
  eventListResponseSchema,
  logListResponseSchema,
  pipelineStatusResponseSchema,
  stageResponseSchema,
  startDeploymentResponseSchema,
  stepResponseSchema,
  type DeploymentListResponse,
  type StartDeploymentResponse,
} from '@rampart/protocol';
import { describe, expect, it } from 'vitest';
import { useApiServer } from '../test-support/api-harness.js';

type ErrorBody = {
  error: {
    code: string;
    message: string;
    hint?: string;
    issues?: { path: string; message: string }[];
    diagnostics?: { code: string; file: string; line: number; message: string }[];
  };
};

describe('pipelines and deployments', () => {
  const t = useApiServer();

  const deploy = (body: Record<string, unknown> = {}, token?: string) =>
    t.call<StartDeploymentResponse & ErrorBody>('POST', '/api/v1/pipelines/web/deployments', {
      body,
      ...(token === undefined ? {} : { token }),
    });
  // Every answer is parsed with its protocol schema: what the server sends is what clients expect.
  const detail = async (revision: number) =>
    deploymentResponseSchema.parse(
      (await t.call('GET', `/api/v1/pipelines/web/deployments/${revision}`)).body,
    ).deployment;
  const approve = (revision: number, stage: string, token?: string) =>
    t.call<ErrorBody & { kind: string; revision: number }>(
      'POST',
      '/api/v1/pipelines/web/operations',
      {
        body: { kind: 'approve', revision, stage, step: 'Approve', reason: `${stage} looks fine` },
        ...(token === undefined ? {} : { token }),
      },
    );

  it('registers, lists, shows and removes a pipeline', async () => {
    const registered = await t.call('POST', '/api/v1/pipelines', {
      body: { slug: 'web', source: { kind: 'path', location: t.repo.dir }, defaultBranch: 'main' },
    });
    expect(registered).toMatchObject({
      status: 201,
      body: {
        pipeline: {
          slug: 'web',
          source: { kind: 'path', location: t.repo.dir },
          defaultBranch: 'main',
        },
      },
    });
    const again = await t.call<ErrorBody>('POST', '/api/v1/pipelines', {
      body: { slug: 'web', source: { kind: 'git', location: 'https://git.example/web.git' } },
    });
    expect(again).toMatchObject({
      status: 409,
      body: { error: { code: 'STORE_PIPELINE_EXISTS' } },
    });
    expect(
      (
        await t.call<{ pipelines: { slug: string }[] }>('GET', '/api/v1/pipelines')
      ).body.pipelines.map((p) => p.slug),
    ).toEqual(['web']);
    expect((await t.call('GET', '/api/v1/pipelines/web')).body).toMatchObject({
      pipeline: { slug: 'web' },
    });
    expect(await t.call('DELETE', '/api/v1/pipelines/web')).toMatchObject({
      status: 200,
      body: { slug: 'web', removed: true },
    });
    expect(await t.call('GET', '/api/v1/pipelines/web')).toMatchObject({
      status: 404,
      body: { error: { code: 'PIPELINE_NOT_REGISTERED' } },
    });
    expect((await t.call('DELETE', '/api/v1/pipelines/web')).status).toBe(404);
  });

  it('refuses a registration with a bad slug, a relative or missing path, naming the field', async () => {
    const bad = await t.call<ErrorBody>('POST', '/api/v1/pipelines', {
      body: { slug: 'Web App', source: { kind: 'path', location: 'repo' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues?.map((i) => i.path)).toEqual(['body.slug']);
    const relative = await t.call<ErrorBody>('POST', '/api/v1/pipelines', {
      body: { slug: 'web', source: { kind: 'path', location: 'repo' } },
    });
    expect(relative.body.error).toMatchObject({
      code: 'API_INVALID_REQUEST',
      issues: [{ path: 'body.source.location', message: 'must be an absolute path on the server' }],
    });
    const missing = await t.call<ErrorBody>('POST', '/api/v1/pipelines', {
      body: { slug: 'web', source: { kind: 'path', location: `${t.repo.dir}/nope` } },
    });
    expect(missing.body.error.issues?.[0]?.message).toBe('is not a directory on the server');
  });

  it('deploys a branch through both stages with approvals, logs and redacted outputs', async () => {
    await t.registerWeb();
    const deployer = await t.token('deployer', 'release-bot');
    const started = await deploy(
      { branch: 'main', reason: 'first release', trigger: 'release' },
      deployer,
    );
    expect(started.status).toBe(201);
    expect(startDeploymentResponseSchema.parse(started.body)).toMatchObject({
      created: true,
      deployment: {
        id: 'web:1',
        pipeline: 'web',
        revision: 1,
        commitSha: t.repo.git('rev-parse', 'HEAD'),
        trigger: 'release',
      },
    });
    await t.idle();

    let d = await detail(1);
    expect(d).toMatchObject({
      status: 'running',
      actor: 'token:release-bot',
      reason: 'first release',
      branch: 'main',
      currentStage: 'staging',
      archived: false,
    });
    const [staging, prod] = d.stages;
    expect(staging).toMatchObject({
      name: 'staging',
      accountId: '444444444444',
      status: 'running_steps',
      alarms: ['web-staging-5xx'],
    });
    expect(staging?.steps.map((s) => [s.name, s.status])).toEqual([
      ['Build', 'succeeded'],
      ['Approve', 'waiting_for_approval'],
    ]);
    expect(staging?.steps[0]?.outputs).toEqual({ image: 'web:1', api_token: '[REDACTED]' });
    expect(prod).toMatchObject({ name: 'prod', status: 'waiting', waitingFor: 'previous_stage' });
    expect(prod?.steps.map((s) => s.status)).toEqual(['pending', 'pending']);
    expect(d.approvals).toMatchObject([
      { kind: 'manual', revision: 1, stage: 'staging', step: 'Approve' },
    ]);
    expect(JSON.stringify(d)).not.toContain('secret-value');

    const logs = logListResponseSchema.parse(
      (await t.call('GET', '/api/v1/pipelines/web/deployments/1/logs')).body,
    );
    const texts = logs.lines.map((l) => [l.stage, l.step, l.stream, l.text]);
    expect(texts).toContainEqual(['staging', 'Build', 'stdout', 'building staging']);
    expect(texts).toContainEqual(['staging', 'Build', 'stderr', 'warning: slow']);

    expect((await approve(1, 'staging', deployer)).body).toMatchObject({
      kind: 'approve',
      revision: 1,
    });
    await t.idle();
    d = await detail(1);
    expect(d.stages.map((s) => s.status)).toEqual(['succeeded', 'running_steps']);
    expect(d.stages[0]?.steps[1]?.approvedBy).toMatchObject({
      actor: 'token:release-bot',
      reason: 'staging looks fine',
    });
    await approve(1, 'prod');
    await t.idle();
    d = await detail(1);
    expect(d.status).toBe('succeeded');
    expect(d.stages.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);

    const stage = stageResponseSchema.parse(
      (await t.call('GET', '/api/v1/pipelines/web/deployments/1/stages/prod')).body,
    );
    expect(stage).toMatchObject({
      deploymentId: 'web:1',
      revision: 1,
      stage: { name: 'prod', region: 'us-west-2', status: 'succeeded' },
    });
    const step = stepResponseSchema.parse(
      (await t.call('GET', '/api/v1/pipelines/web/deployments/1/stages/prod/steps/Build')).body,
    );
    expect(step.step).toMatchObject({
      name: 'Build',
      type: 'RAMPART:SCRIPT:RUN',
      status: 'succeeded',
      attempt: 1,
    });
    expect(step.step.durationMs).toBeGreaterThanOrEqual(0);
    const prodLogs = logListResponseSchema.parse(
      (await t.call('GET', '/api/v1/pipelines/web/deployments/1/logs?stage=prod&step=Build')).body,
    );
    expect(prodLogs.lines.every((l) => l.stage === 'prod' && l.step === 'Build')).toBe(true);
    expect(prodLogs.lines.map((l) => l.text)).toContain('building prod');

    const events = eventListResponseSchema.parse(
      (await t.call('GET', '/api/v1/pipelines/web/deployments/1/events')).body,
    );
    const types = events.events.map((e) => e.type);
    expect(types[0]).toBe('deployment.created');
    expect(types).toContain('operation.approved');
    expect(types[types.length - 1]).toBe('deployment.succeeded');
    expect(events.events.every((e) => e.revision === 1 && e.pipeline === 'web')).toBe(true);
    expect(JSON.stringify(events)).not.toContain('secret-value');

    const status = pipelineStatusResponseSchema.parse(
      (await t.call('GET', '/api/v1/pipelines/web/status')).body,
    );
    expect(status.stages.map((s) => [s.stage, s.lastGood?.revision])).toEqual([
      ['staging', 1],
      ['prod', 1],
    ]);
    expect(status.deployments.map((x) => x.revision)).toEqual([1]);
  });

  it('a pipeline that fails validation at the commit is 422 with its diagnostics', async () => {
    await t.registerWeb();
    const sha = t.repo.commit({
      '.rampart/web/pipeline.yaml':
        'version: "1.0.0"\npipeline:\n  cloud_provider: AWS\n  stages: []\n  stepz: []\n',
    });
    const answer = await deploy({ sha });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('PIPELINE_INVALID');
    expect(answer.body.error.diagnostics?.length).toBeGreaterThan(0);
    expect(answer.body.error.diagnostics?.map((d) => d.file)).toContain(
      '.rampart/web/pipeline.yaml',
    );
    expect(answer.body.error.diagnostics?.map((d) => d.code)).toContain('SCHEMA_UNKNOWN_KEY');
    const none = await t.call<DeploymentListResponse>('GET', '/api/v1/pipelines/web/deployments');
    expect(none.body.deployments).toEqual([]);
  });

  it('a missing commit or branch is 422; naming two of sha, branch and revision is 400', async () => {
    await t.registerWeb();
    expect((await deploy({ sha: 'f'.repeat(40) })).body.error.code).toBe(
      'SOURCE_REVISION_NOT_FOUND',
    );
    expect((await deploy({ branch: 'nope' })).status).toBe(422);
    const both = await deploy({ sha: 'abc1234', branch: 'main' });
    expect(both.status).toBe(400);
    expect(both.body.error.issues).toEqual([
      { path: 'body.sha', message: 'name at most one of sha, branch and revision' },
    ]);
    expect((await deploy({ revision: 7 })).body.error.code).toBe('DEPLOYMENT_NOT_FOUND');
  });

  it('a request id returns the first deployment; a revision re-deploys its commit', async () => {
    await t.registerWeb();
    const first = await deploy({ requestId: 'ci-run-42' });
    const repeat = await deploy({ requestId: 'ci-run-42' });
    expect(first.status).toBe(201);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ created: false, deployment: { revision: 1 } });
    const firstSha = first.body.deployment.commitSha;
    t.repo.commit({ 'README.md': 'later\n' });
    const redeploy = await deploy({ revision: 1, reason: 'back to the first commit' });
    expect(redeploy.body.deployment).toMatchObject({ revision: 2, commitSha: firstSha });
    const latest = await deploy({});
    expect(latest.body.deployment.revision).toBe(3);
    expect(latest.body.deployment.commitSha).not.toBe(firstSha);

    const page = await t.call<DeploymentListResponse>(
      'GET',
      '/api/v1/pipelines/web/deployments?limit=2',
    );
    deploymentListResponseSchema.parse(page.body);
    expect(page.body.deployments.map((x) => x.revision)).toEqual([3, 2]);
    expect(page.body.nextBefore).toBe(2);
    const next = await t.call<DeploymentListResponse>(
      'GET',
      '/api/v1/pipelines/web/deployments?limit=2&before=2',
    );
    expect(next.body.deployments.map((x) => x.revision)).toEqual([1]);
    expect(next.body.nextBefore).toBeUndefined();
    const bad = await t.call<ErrorBody>(
      'GET',
      '/api/v1/pipelines/web/deployments?limit=0&colour=red',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues?.map((i) => i.path).sort()).toEqual(['query', 'query.limit']);
  });

  it('operations: refusals are 409 with the engine code, bad input 400, unknown revision 404', async () => {
    await t.registerWeb();
    await deploy({});
    await t.idle();
    const early = await t.call<ErrorBody>('POST', '/api/v1/pipelines/web/operations', {
      body: { kind: 'approve', revision: 1, stage: 'prod', step: 'Approve', reason: 'too soon' },
    });
    expect(early).toMatchObject({
      status: 409,
      body: { error: { code: 'STEP_NOT_AWAITING_DECISION' } },
    });
    const noReason = await t.call<ErrorBody>('POST', '/api/v1/pipelines/web/operations', {
      body: { kind: 'cancel', revision: 1 },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.issues?.map((i) => i.path)).toEqual(['body.reason']);
    const unknown = await t.call<ErrorBody>('POST', '/api/v1/pipelines/web/operations', {
      body: { kind: 'cancel', revision: 9, reason: 'x' },
    });
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: { code: 'DEPLOYMENT_NOT_FOUND' } },
    });

    const stop = await t.call('POST', '/api/v1/pipelines/web/operations', {
      body: { kind: 'stop', stage: 'prod', reason: 'change freeze' },
    });
    expect(stop).toMatchObject({ status: 200, body: { kind: 'stop' } });
    const blockers = await t.call<{
      blockers: { stage: string; kind: string; origin?: string; actor: string }[];
    }>('GET', '/api/v1/pipelines/web/blockers');
    expect(blockers.body.blockers).toMatchObject([
      { stage: 'prod', kind: 'manual', origin: 'stop', actor: 'token:admin' },
    ]);
    const twice = await t.call<ErrorBody>('POST', '/api/v1/pipelines/web/operations', {
      body: { kind: 'stop', stage: 'prod', reason: 'again' },
    });
    expect(twice.body.error.code).toBe('ALREADY_STOPPED');

    const cancel = await t.call('POST', '/api/v1/pipelines/web/operations', {
      body: { kind: 'cancel', revision: 1, reason: 'wrong build' },
    });
    expect(cancel).toMatchObject({ status: 200, body: { kind: 'cancel', revision: 1 } });
    await t.idle();
    expect((await detail(1)).status).toBe('cancelled');
    const stageMissing = await t.call<ErrorBody>(
      'GET',
      '/api/v1/pipelines/web/deployments/1/stages/qa',
    );
    expect(stageMissing).toMatchObject({ status: 404, body: { error: { code: 'API_NOT_FOUND' } } });
    const revisionText = await t.call<ErrorBody>('GET', '/api/v1/pipelines/web/deployments/one');
    expect(revisionText.body.error.issues?.map((i) => i.path)).toEqual(['params.revision']);
  });
});
