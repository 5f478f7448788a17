// The client commands against a real server (SQLite in a temp dir, the engine running real step
// executors, fake stage credentials): release → status → approve → logs → every operation.
import { rmSync } from 'node:fs';
import {
  deploymentResponseSchema,
  logLineSchema,
  operationResponseSchema,
  pipelineStatusResponseSchema,
  startDeploymentResponseSchema,
} from '@rampart/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { useApiServer } from '../../server/src/test-support/api-harness.js';
import { cliFor, emptyDir } from './client-support.js';
import { runCli } from './run-cli.js';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('rampart client commands', () => {
  const t = useApiServer();
  let cwd = '';
  const cli = cliFor(
    () => (cwd ||= emptyDir(temps)),
    () => ({ RAMPART_SERVER_URL: t.server.url, RAMPART_TOKEN: t.adminToken }),
  );
  afterEach(() => {
    cwd = '';
  });
  const detail = async (revision: number) =>
    deploymentResponseSchema.parse(
      JSON.parse((await cli('status', '--revision', String(revision), '--json')).stdout),
    ).deployment;

  it('release → status → approve → logs → every operation, as text and JSON', async () => {
    const added = await cli('pipelines', 'add', '--slug', 'web', '--path', t.repo.dir);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toContain(`registered web (path ${t.repo.dir}, default branch main)`);

    // One pipeline registered: --pipeline may be left out.
    const released = await cli('release', '--reason', 'first release');
    expect(released.code).toBe(0);
    expect(released.stdout).toMatch(/^started web #1 \(commit [0-9a-f]{10}\)\n/);
    expect(released.stdout).toContain('rampart status --pipeline web --revision 1 --watch');
    await t.idle();

    const overview = await cli('status');
    expect(overview.code).toBe(0);
    expect(overview.stdout).toMatch(
      /staging\s+444444444444\s+us-east-1\s+#1 running steps\s+-\s+-/,
    );
    expect(overview.stdout).toMatch(/prod\s+555555555555\s+us-west-2\s+-\s+-\s+-\n/);
    expect(overview.stdout).toMatch(
      /#1 staging\/Approve {2}manual approval, since \d\d:\d\d:\d\dZ, times out in 6d 23h\n/,
    );
    expect(overview.stdout).toContain(
      'rampart approve --pipeline web --revision 1 --stage staging --step Approve --reason TEXT',
    );
    const statusJson = pipelineStatusResponseSchema.parse(
      JSON.parse((await cli('status', '--json')).stdout),
    );
    expect(statusJson.stages.map((s) => [s.stage, s.occupant?.revision])).toEqual([
      ['staging', 1],
      ['prod', undefined],
    ]);
    expect(statusJson.approvals).toMatchObject([
      { revision: 1, stage: 'staging', step: 'Approve' },
    ]);

    const one = await cli('status', '--revision', '1');
    expect(one.stdout).toContain('web #1  running\n');
    expect(one.stdout).toContain('by token:admin\nreason: first release\n');
    expect(one.stdout).toMatch(/✔ Build\s+RAMPART:SCRIPT:RUN\s+succeeded/);
    expect(one.stdout).toMatch(/◷ Approve\s+RAMPART:APPROVAL:MANUAL\s+waiting for approval/);
    expect(one.stdout).toContain('prod  555555555555 us-west-2  waiting for the previous stage');

    expect(
      await cli(
        'approve',
        '--revision',
        '1',
        '--stage',
        'staging',
        '--step',
        'Approve',
        '--reason',
        'staging is fine',
      ),
    ).toMatchObject({ code: 0, stdout: 'approved #1 staging/Approve\n' });
    await t.idle();

    const logs = await cli('logs', '--revision', '1');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('staging/Build | building staging\n');
    expect(logs.stdout).toContain('staging/Build ! warning: slow\n');
    expect(logs.stdout).toContain('prod/Build | building prod\n');
    const prodLogs = (
      await cli('logs', '--revision', '1', '--stage', 'prod', '--step', 'Build', '--json')
    ).stdout
      .trim()
      .split('\n')
      .map((l) => logLineSchema.parse(JSON.parse(l)));
    expect(prodLogs.length).toBeGreaterThan(0);
    expect(prodLogs.every((l) => l.stage === 'prod' && l.step === 'Build')).toBe(true);
    expect(prodLogs.map((l) => l.text)).toContain('building prod');

    const approvedProd = await cli(
      'approve',
      '--pipeline',
      'web',
      '--revision',
      '1',
      '--stage',
      'prod',
      '--step',
      'Approve',
      '--reason',
      'ship',
      '--json',
    );
    expect(operationResponseSchema.parse(JSON.parse(approvedProd.stdout))).toMatchObject({
      kind: 'approve',
      revision: 1,
    });
    await t.idle();
    expect((await detail(1)).status).toBe('succeeded');

    // Revision 2: rejected in staging, retried, approved there, then cancelled before prod.
    const second = await cli('release', '--branch', 'main', '--reason', 'second', '--json');
    expect(startDeploymentResponseSchema.parse(JSON.parse(second.stdout))).toMatchObject({
      created: true,
      deployment: { revision: 2, trigger: 'release' },
    });
    await t.idle();
    expect(
      await cli(
        'reject',
        '--revision',
        '2',
        '--stage',
        'staging',
        '--step',
        'Approve',
        '--reason',
        'not yet',
      ),
    ).toMatchObject({ code: 0, stdout: 'rejected #2 staging/Approve: the stage fails\n' });
    await t.idle();
    expect((await detail(2)).status).toBe('failed');
    expect(
      await cli('retry', '--revision', '2', '--stage', 'staging', '--reason', 'try again'),
    ).toMatchObject({
      code: 0,
      stdout: 'retrying staging with #2\n',
    });
    await t.idle();
    expect((await detail(2)).stages[0]).toMatchObject({ status: 'running_steps', run: 2 });
    await cli(
      'approve',
      '--revision',
      '2',
      '--stage',
      'staging',
      '--step',
      'Approve',
      '--reason',
      'ok now',
    );
    await t.idle();
    expect(await cli('cancel', '--revision', '2', '--reason', 'enough for today')).toMatchObject({
      code: 0,
      stdout: 'cancelled web #2\n',
    });
    await t.idle();
    expect((await detail(2)).status).toBe('cancelled');

    // Staging runs #2: roll it back to #1, then forward again.
    const rollback = await cli(
      'rollback',
      '--stage',
      'staging',
      '--to-revision',
      '1',
      '--reason',
      'errors up',
    );
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toMatch(
      /^rolling back staging to #1 \(rollback \S+\); the stage stays blocked until: rampart roll-forward --pipeline web --stage staging --reason TEXT\n$/,
    );
    await t.idle();
    const rolledBack = pipelineStatusResponseSchema.parse(
      JSON.parse((await cli('status', '--json')).stdout),
    );
    expect(rolledBack.rollbacks[0]).toMatchObject({
      kind: 'manual',
      stage: 'staging',
      toRevision: 1,
    });
    expect(rolledBack.stages[0]?.blockers).toMatchObject([{ kind: 'manual', origin: 'rollback' }]);
    expect((await cli('status')).stdout).toContain(
      'staging blocked by rollback (lifted by roll-forward)',
    );
    expect(await cli('roll-forward', '--stage', 'staging', '--reason', 'fixed')).toMatchObject({
      code: 0,
      stdout: 'rolled staging forward: deploying #2 there again\n',
    });
    await t.idle();

    // #2 is back in staging; prod waits for it: a window override applies there.
    expect(
      await cli('override-window', '--revision', '2', '--stage', 'prod', '--reason', 'hotfix'),
    ).toMatchObject({
      code: 0,
      stdout: 'window overridden: #2 may start in prod now\n',
    });
    expect((await detail(2)).stages[1]?.windowOverride).toMatchObject({
      actor: 'token:admin',
      reason: 'hotfix',
    });
    const finished = await cli(
      'override-window',
      '--revision',
      '1',
      '--stage',
      'prod',
      '--reason',
      'x',
    );
    expect(finished.code).toBe(1);
    expect(finished.stderr).toContain(
      'error CLIENT_REQUEST_REFUSED: the server refused (STAGE_NOT_WAITING): stage "prod" of revision 1 is succeeded',
    );

    expect(await cli('stop', '--stage', 'prod', '--reason', 'change freeze')).toMatchObject({
      code: 0,
      stdout:
        'stopped prod: no revision enters it until: rampart resume --pipeline web --stage prod --reason TEXT\n',
    });
    const twice = await cli('stop', '--stage', 'prod', '--reason', 'again', '--json');
    expect(twice.code).toBe(1);
    expect(JSON.parse(twice.stdout)).toMatchObject({
      error: { code: 'CLIENT_REQUEST_REFUSED', status: 409, api: { code: 'ALREADY_STOPPED' } },
    });
    expect(twice.stderr).toContain(
      '(ALREADY_STOPPED): stage "prod" was already stopped by token:admin: change freeze',
    );
    expect(await cli('resume', '--stage', 'prod', '--reason', 'thaw')).toMatchObject({
      code: 0,
      stdout: 'resumed prod\n',
    });
    const events = await t.call<{ events: { type: string; actor: string; reason?: string }[] }>(
      'GET',
      '/api/v1/pipelines/web/events?limit=1000',
    );
    expect(
      events.body.events
        .filter((e) => e.type.startsWith('operation.'))
        .map((e) => [e.type, e.reason]),
    ).toEqual([
      ['operation.approved', 'staging is fine'],
      ['operation.approved', 'ship'],
      ['operation.rejected', 'not yet'],
      ['operation.retried', 'try again'],
      ['operation.approved', 'ok now'],
      ['operation.cancelled', 'enough for today'],
      ['operation.rolled_back', 'errors up'],
      ['operation.rolled_forward', 'fixed'],
      ['operation.window_overridden', 'hotfix'],
      ['operation.stopped', 'change freeze'],
      ['operation.resumed', 'thaw'],
    ]);
  });

  it('pipelines and tokens: register, list, remove; create, use, list and revoke a token', async () => {
    const added = await cli(
      'pipelines',
      'add',
      '--slug',
      'web',
      '--path',
      t.repo.dir,
      '--default-branch',
      'release',
      '--json',
    );
    expect(JSON.parse(added.stdout)).toMatchObject({
      pipeline: {
        slug: 'web',
        source: { kind: 'path', location: t.repo.dir },
        defaultBranch: 'release',
      },
    });
    const git = await cli(
      'pipelines',
      'add',
      '--slug',
      'api',
      '--git',
      'https://git.example/api.git',
    );
    expect(git.stdout).toContain(
      'registered api (git https://git.example/api.git, default branch main)',
    );
    const listed = JSON.parse((await cli('pipelines', 'list', '--json')).stdout) as {
      pipelines: { slug: string }[];
    };
    expect(listed.pipelines.map((p) => p.slug)).toEqual(['api', 'web']);
    expect(await cli('pipelines', 'remove', 'api')).toMatchObject({
      code: 0,
      stdout: 'removed api (its deployments, events and logs stay readable)\n',
    });
    expect((await cli('pipelines', 'remove', 'api')).stderr).toContain('(PIPELINE_NOT_REGISTERED)');

    // The secret alone on stdout, so `rampart tokens create … > file` stores just it.
    const created = await cli('tokens', 'create', '--name', 'release-bot', '--role', 'deployer');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^rmp_\S+\n$/);
    expect(created.stderr).toMatch(
      /^created token "release-bot" \(deployer, id \S+\)\. The secret above is shown only now/,
    );
    const secret = created.stdout.trim();
    const asBot = await runCli(['release', '--branch', 'main', '--reason', 'from CI', '--json'], {
      cwd: emptyDir(temps),
      env: { RAMPART_SERVER_URL: t.server.url, RAMPART_TOKEN: secret },
    });
    expect(asBot.code).toBe(0);
    expect((await detail(1)).actor).toBe('token:release-bot');
    const expiring = JSON.parse(
      (
        await cli(
          'tokens',
          'create',
          '--name',
          'temp',
          '--role',
          'viewer',
          '--expires-at',
          '2099-01-01T00:00:00Z',
          '--json',
        )
      ).stdout,
    ) as { token: { id: string; expiresAt: string }; secret: string };
    expect(expiring.token.expiresAt).toBe('2099-01-01T00:00:00.000Z');
    expect(expiring.secret).toMatch(/^rmp_/);

    const bot = (
      JSON.parse((await cli('tokens', 'list', '--json')).stdout) as {
        tokens: { id: string; name: string }[];
      }
    ).tokens.find((x) => x.name === 'release-bot');
    expect(bot).toBeDefined();
    const table = await cli('tokens', 'list');
    expect(table.stdout).toMatch(/^ID\s+NAME\s+ROLE\s+CREATED\s+EXPIRES\s+LAST USED\s+REVOKED\n/);
    expect(table.stdout).toMatch(
      /release-bot\s+deployer\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+-\s+\d{4}-/,
    );
    expect(table.stdout).not.toContain(secret);
    expect(await cli('tokens', 'revoke', bot?.id ?? '')).toMatchObject({
      code: 0,
      stdout: `revoked token ${bot?.id}\n`,
    });
    const revoked = await runCli(['status'], {
      cwd: emptyDir(temps),
      env: { RAMPART_SERVER_URL: t.server.url, RAMPART_TOKEN: secret },
    });
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain('error CLIENT_TOKEN_REFUSED');
    const taken = await cli('tokens', 'create', '--name', 'temp', '--role', 'viewer');
    expect(taken.stderr).toContain('(STORE_TOKEN_NAME_TAKEN)');
  });
});
