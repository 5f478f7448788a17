import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderEvent } from '../src/commands/bootstrap.js';
import { runCli } from './run-cli.js';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CONFIG = [
  'organization:',
  '  slug: acme',
  "  cicd_account_id: '111111111111'",
  '  cicd_account_region: us-east-1',
  'issuer_url: https://rampart.acme.example',
].join('\n');

function repo(pipeline: string, config = CONFIG): string {
  const cwd = mkdtempSync(join(tmpdir(), 'rampart-cli-bootstrap-'));
  temps.push(cwd);
  mkdirSync(join(cwd, '.rampart', 'web'), { recursive: true });
  writeFileSync(join(cwd, '.rampart', 'web', 'pipeline.yaml'), pipeline);
  writeFileSync(join(cwd, 'rampart.config.yaml'), config);
  return cwd;
}

describe('rampart bootstrap (usage)', () => {
  it('prints help', async () => {
    const out = await runCli(['bootstrap', '--help'], { cwd: tmpdir() });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('--target-account-role-name');
  });

  it('refuses bad flags with exit 2', async () => {
    const cases = [
      ['bootstrap', '--dry-run', '--check'],
      ['bootstrap', '--concurrency', '0'],
      ['bootstrap', '--concurrency', 'many'],
      ['bootstrap', '--pipeline-slugs', ','],
      ['bootstrap', 'a', 'b'],
    ];
    for (const argv of cases) {
      const out = await runCli(argv, { cwd: tmpdir() });
      expect(out.code, argv.join(' ')).toBe(2);
      expect(out.stderr).toMatch(/^rampart bootstrap: /);
    }
  });

  it('refuses invalid pipelines before touching AWS, showing their errors', async () => {
    const cwd = repo("version: '1.0.0'\npipeline:\n  cloud_provider: AWS\n  stages: []\n");
    const out = await runCli(['bootstrap'], { cwd });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/pipeline\.yaml:\d+:\d+: error /);
    expect(out.stderr).toContain('bootstrap deploys only valid pipelines');
  });

  it('needs the organization and issuer_url in the config', async () => {
    const cwd = repo('x: 1\n', 'listen: 127.0.0.1:0\n');
    const out = await runCli(['bootstrap'], { cwd });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      'error CONFIG_INVALID: the control-plane config has no organization.slug',
    );
  });
});

describe('rampart exec (usage)', () => {
  it('needs --pipeline, --stage and a command after --', async () => {
    const cases: [string[], string][] = [
      [['exec', '--stage', 's', '--', 'true'], '--pipeline is required'],
      [['exec', '--pipeline', 'p', '--', 'true'], '--stage is required'],
      [['exec', '--pipeline', 'p', '--stage', 's'], 'give the command to run after --'],
      [['exec', '--pipeline', 'p', '--stage', 's', '--'], 'give the command to run after --'],
    ];
    for (const [argv, message] of cases) {
      const out = await runCli(argv, { cwd: tmpdir() });
      expect(out.code, argv.join(' ')).toBe(2);
      expect(out.stderr).toContain(message);
    }
  });

  it('names the pipelines it found when the slug is wrong', async () => {
    const cwd = repo(
      "version: '1.0.0'\npipeline:\n  cloud_provider: AWS\n  stages:\n    - name: dev\n      account_id: '222222222222'\n      region: us-east-1\n  steps:\n    - name: Bake\n      type: RAMPART:APPROVAL:BAKE\n      params:\n        duration_minutes: 1\n",
    );
    const out = await runCli(['exec', '--pipeline', 'api', '--stage', 'dev', '--', 'true'], {
      cwd,
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('no valid pipeline "api" under .; found: web');
  });
});

describe('renderEvent', () => {
  const stack = {
    kind: 'stage' as const,
    stackName: 'Rampart-web-dev-Stage',
    accountId: '222222222222',
    region: 'us-east-1',
  };

  it('renders check results with their reasons, and progress only when verbose', () => {
    expect(
      renderEvent(
        {
          type: 'stack-check',
          stack,
          state: 'out-of-date',
          reasons: ['template version 0, current 1'],
        },
        false,
      ),
    ).toBe(
      '222222222222 us-east-1 Rampart-web-dev-Stage: out of date\n    template version 0, current 1\n',
    );
    const progress = { type: 'stack-progress' as const, stack, status: 'CREATE_IN_PROGRESS' };
    expect(renderEvent(progress, false)).toBeUndefined();
    expect(renderEvent(progress, true)).toBe(
      '222222222222 us-east-1 Rampart-web-dev-Stage: CREATE_IN_PROGRESS\n',
    );
  });

  it('renders a dry-run diff with resources and each role action, added ones marked', () => {
    const text = renderEvent(
      {
        type: 'stack-diff',
        stack,
        change: 'UPDATE',
        diff: {
          resources: [{ logicalId: 'StageRole', type: 'AWS::IAM::Role', change: 'modify' }],
          roles: [
            {
              logicalId: 'StageRole',
              roleName: 'rampart-acme-web-dev',
              actions: ['s3:GetObject', 's3:PutObject'],
              added: ['s3:PutObject'],
              removed: ['ecs:UpdateService'],
            },
          ],
          otherChanges: false,
        },
      },
      false,
    );
    expect(text).toBe(
      [
        '222222222222 us-east-1 Rampart-web-dev-Stage: UPDATE',
        '  ~ StageRole (AWS::IAM::Role)',
        '  role rampart-acme-web-dev:',
        '      s3:GetObject',
        '    + s3:PutObject',
        '    - ecs:UpdateService',
        '',
      ].join('\n'),
    );
  });
});
