// `rampart approvals list|show` against a real server (SQLite, fake stage credentials) whose
// pipeline waits at an APPROVAL:MANUAL step; a Terraform plan's request is shown by the
// end-to-end test (tests/e2e/steps/terraform-deployment.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { approvalListResponseSchema } from '@rampart/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { useApiServer } from '../../../server/src/test-support/api-harness.js';
import { runCli } from '../../tests/run-cli.js';

describe('rampart approvals', () => {
  const t = useApiServer();
  const temps: string[] = [];
  afterEach(() => {
    for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const cli = (...argv: string[]) => {
    const cwd = mkdtempSync(join(tmpdir(), 'rampart-cli-approvals-'));
    temps.push(cwd);
    return runCli(argv, {
      cwd,
      env: { RAMPART_SERVER_URL: t.server.url, RAMPART_TOKEN: t.adminToken },
    });
  };

  it('lists pending approvals and shows one by id or by deployment', async () => {
    await t.registerWeb();
    expect(await cli('approvals', 'list')).toMatchObject({
      code: 0,
      stdout: 'No approval is waiting.\n',
    });
    await t.call('POST', '/api/v1/pipelines/web/deployments', { body: { reason: 'first' } });
    await t.idle();

    const json = await cli('approvals', 'list', '--pipeline', 'web', '--json');
    expect(json.code).toBe(0);
    const [approval, ...others] = approvalListResponseSchema.parse(
      JSON.parse(json.stdout),
    ).approvals;
    expect(others).toEqual([]);
    expect(approval).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{12}$/) as string,
      kind: 'manual',
      pipeline: 'web',
      revision: 1,
      stage: 'staging',
      step: 'Approve',
      approverRole: 'deployer',
    });
    const id = approval?.id ?? '';

    const text = await cli('approvals', 'list');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ID\s+PIPELINE\s+REVISION\s+STAGE\s+STEP\s+WAITING\s+SINCE/);
    expect(text.stdout).toMatch(
      new RegExp(
        `\\n${id}\\s+web\\s+#1\\s+staging\\s+Approve\\s+manual approval\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+6d 23h left\\s+deployer or admin tokens\\n`,
      ),
    );

    for (const name of [id, '1', 'web:1', '#1']) {
      const shown = await cli('approvals', 'show', name);
      expect(shown).toMatchObject({ code: 0, stderr: '' });
      expect(shown.stdout).toContain(`Approval ${id}: web #1, stage staging, step Approve\n`);
      expect(shown.stdout).toContain('  waiting:   manual approval\n');
      expect(shown.stdout).toMatch(
        / {2}times out: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(6d 23h left\)/,
      );
      expect(shown.stdout).toContain('  who may:   deployer or admin tokens\n');
      expect(shown.stdout).toContain(
        '  approve: rampart approve --pipeline web --revision 1 --stage staging --step Approve --reason TEXT\n',
      );
      expect(shown.stdout).toContain(
        '  reject:  rampart reject --pipeline web --revision 1 --stage staging --step Approve --reason TEXT\n',
      );
    }
    const shownJson = await cli('approvals', 'show', id, '--json');
    expect(JSON.parse(shownJson.stdout)).toEqual({ approvals: [approval] });

    // A viewer may look (approving needs deployer).
    const viewer = await t.token('viewer');
    const asViewer = await t.call('GET', '/api/v1/approvals', { token: viewer });
    expect(asViewer.status).toBe(200);
  });

  it('says what is wrong with the subcommand, the name or the pipeline', async () => {
    expect((await cli('approvals')).code).toBe(2);
    const unknown = await cli('approvals', 'approve');
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toContain('unknown subcommand "approve": use list or show');
    const noName = await cli('approvals', 'show');
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('name the approval');
    const badName = await cli('approvals', 'show', 'prod/Bake');
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('"prod/Bake" is neither an approval id');
    expect((await cli('approvals', 'list', 'extra')).code).toBe(2);

    const unregistered = await cli('approvals', 'list', '--pipeline', 'nope');
    expect(unregistered.code).toBe(1);
    expect(unregistered.stderr).toContain('PIPELINE_NOT_REGISTERED');
    const badSlug = await t.call('GET', '/api/v1/approvals?pipeline=Not_A_Slug');
    expect(badSlug.status).toBe(400);

    await t.registerWeb();
    const noSuchId = await cli('approvals', 'show', 'abcdef012345', '--json');
    expect(noSuchId.code).toBe(1);
    expect(JSON.parse(noSuchId.stdout)).toMatchObject({
      error: { code: 'CLIENT_APPROVAL_NOT_FOUND', message: 'no approval abcdef012345 is waiting' },
    });
    const noWait = await cli('approvals', 'show', '7');
    expect(noWait.code).toBe(1);
    expect(noWait.stderr).toContain(
      'error CLIENT_APPROVAL_NOT_FOUND: deployment web:7 waits for no approval',
    );
  });
});
