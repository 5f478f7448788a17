import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const examples = join(repoRoot, 'examples');
const temps: string[] = [];

function tempRepo(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-cli-'));
  temps.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

const minimal = (extra = '') => `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: dev
      account_id: "123456789012"
      region: us-east-1${extra}
  steps:
    - name: Hello
      type: RAMPART:SCRIPT:RUN
      params:
        command: echo hi
`;

describe('rampart (top level)', () => {
  it('prints the version', async () => {
    const r = await runCli(['--version'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rampart \d+\.\d+\.\d+\n$/);
  });

  it('lists commands with --help and exits 2 without a command', async () => {
    const help = await runCli(['--help'], { cwd: repoRoot });
    expect(help.code).toBe(0);
    for (const c of ['validate', 'plan', 'schema', 'init']) expect(help.stdout).toContain(c);
    const none = await runCli([], { cwd: repoRoot });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: rampart <command>');
  });

  it('suggests the nearest command for a typo', async () => {
    const r = await runCli(['valdiate'], { cwd: repoRoot });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "validate"');
  });

  it.each(['validate', 'plan', 'schema', 'init'])('%s --help prints its usage', async (command) => {
    const r = await runCli([command, '--help'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: rampart ${command}`);
  });

  it('reports an unknown flag as a usage error with exit code 2', async () => {
    const r = await runCli(['validate', '--frobnicate'], { cwd: repoRoot });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--frobnicate'".toLowerCase().slice(0, 10));
    expect(r.stderr).toContain('Usage: rampart validate');
  });
});

describe('rampart validate', () => {
  it('accepts every bundled example', async () => {
    const r = await runCli(
      [
        'validate',
        join(examples, 'minimal'),
        join(examples, 'multi-account'),
        join(examples, 'devramps-compat'),
      ],
      { cwd: repoRoot },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 pipelines valid');
  });

  it('prints compiler-style errors with hints and exits 1', async () => {
    const dir = tempRepo({ '.rampart/app/pipeline.yaml': minimal('\n      variables: {a: 1}') });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '.rampart/app/pipeline.yaml:8:7: error SCHEMA_UNKNOWN_KEY: unknown key "variables"',
    );
    expect(r.stderr).toContain('did you mean "vars"?');
    expect(r.stderr).toContain('  hint: Rename "variables" to "vars".');
  });

  it('prints exactly the documented JSON shape', async () => {
    const dir = tempRepo({
      '.rampart/app/pipeline.yaml': minimal().replace('us-east-1', 'us-east-9'),
      '.devramps/other/pipeline.yaml': minimal(),
    });
    const r = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as {
      valid: boolean;
      pipelines: {
        slug: string;
        file: string;
        errors: Record<string, unknown>[];
        warnings: unknown[];
      }[];
    };
    expect(Object.keys(json)).toEqual(['valid', 'pipelines']);
    expect(json.valid).toBe(false);
    expect(json.pipelines.map((p) => p.slug)).toEqual(['app', 'other']);
    const [app, other] = json.pipelines;
    expect(Object.keys(app ?? {})).toEqual(['slug', 'file', 'errors', 'warnings']);
    expect(app?.errors).toEqual([
      {
        code: 'REGION_UNKNOWN',
        message: expect.stringContaining('us-east-9') as string,
        file: join(dir, '.rampart/app/pipeline.yaml'),
        line: 7,
        column: 15,
        hint: expect.any(String) as string,
      },
    ]);
    expect(other?.errors).toEqual([]);
  });

  it('reports a folder without pipelines as NO_PIPELINES, in text and JSON', async () => {
    const dir = tempRepo({ 'README.md': 'nothing here' });
    const text = await runCli(['validate'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('error NO_PIPELINES');
    expect(text.stderr).toContain('rampart init');
    const json = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      pipelines: [{ slug: '', errors: [{ code: 'NO_PIPELINES' }] }],
    });
  });

  it('reports a missing path as FILE_NOT_FOUND', async () => {
    const r = await runCli(['validate', 'does/not/exist'], { cwd: repoRoot });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error FILE_NOT_FOUND');
  });

  it('validates a single pipeline file given directly', async () => {
    const dir = tempRepo({ '.rampart/app/pipeline.yaml': minimal() });
    const r = await runCli(['validate', '.rampart/app/pipeline.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 pipeline valid');
  });

  it.each([
    ['malformed YAML', 'version: "1.0.0"\npipeline: [1, 2\n', 'YAML_SYNTAX'],
    ['tabs', 'version: "1.0.0"\npipeline:\n\tcloud_provider: AWS\n', 'YAML_TAB_INDENT'],
    ['duplicate keys', 'version: "1.0.0"\nversion: "1.0.0"\n', 'YAML_DUPLICATE_KEY'],
    ['an empty file', '', 'FILE_EMPTY'],
    [
      'an unterminated expression',
      minimal().replace('echo hi', '"echo ${{ stage.name"'),
      'EXPR_UNTERMINATED',
    ],
    [
      'a 100 KB expression',
      minimal().replace('echo hi', `"\${{ ${'a'.repeat(100_000)} }}"`),
      'EXPR_TOO_LONG',
    ],
    [
      'an alias bomb',
      `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n`,
      'YAML_ALIAS_LIMIT',
    ],
    ['20,000-deep nesting', `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, 'YAML_TOO_DEEP'],
  ])('rejects %s with a clear error and no stack trace', async (_name, content, code) => {
    const dir = tempRepo({ '.rampart/app/pipeline.yaml': content });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error ${code}`);
    expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  });

  it('rejects non-UTF-8 bytes and a 17 MB file', async () => {
    const dir = tempRepo({
      '.rampart/latin/pipeline.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]),
      '.rampart/huge/pipeline.yaml': Buffer.alloc(17 * 1024 * 1024, 0x61),
    });
    const r = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as {
      pipelines: { slug: string; errors: { code: string }[] }[];
    };
    expect(json.pipelines.find((p) => p.slug === 'latin')?.errors.map((e) => e.code)).toEqual([
      'FILE_NOT_UTF8',
    ]);
    expect(json.pipelines.find((p) => p.slug === 'huge')?.errors.map((e) => e.code)).toEqual([
      'FILE_TOO_LARGE',
    ]);
  });

  it('rejects a pipeline "file" that is a directory', async () => {
    const dir = tempRepo({ '.rampart/app/pipeline.yaml/keep': '' });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error FILE_IS_DIRECTORY');
  });
});

describe('rampart plan', () => {
  const config = join(examples, 'multi-account', 'rampart.config.yaml');

  it('plans every stage in pipeline order with organization values from the config', async () => {
    const r = await runCli(
      ['plan', join(examples, 'multi-account'), '--config', config, '--format', 'json'],
      { cwd: repoRoot },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      pipelines: {
        organization: { slug: string };
        stages: {
          name: string;
          role: string;
          steps: { name: string; params: Record<string, unknown> }[];
        }[];
      }[];
    };
    const plan = json.pipelines[0];
    expect(plan?.organization.slug).toBe('acme');
    expect(plan?.stages.map((s) => s.name)).toEqual([
      'staging',
      'prod-us-east-1',
      'prod-us-west-2',
    ]);
    expect(plan?.stages[0]?.role).toBe('rampart-acme-web-staging');
    const variables = plan?.stages[1]?.steps[0]?.params.variables as Record<string, unknown>;
    expect(variables).toMatchObject({
      stage: 'prod-us-east-1',
      organization: 'acme',
      desired_count: 3,
      datadog_api_key: '[SECRET:DATADOG_API_KEY]',
      database_password: '[STAGE_SECRET:DB_PASSWORD]',
    });
  });

  it('shows the build role of the CI/CD account beside the artifacts', async () => {
    const r = await runCli(['plan', join(examples, 'multi-account'), '--config', config], {
      cwd: repoRoot,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /build role: rampart-acme-web-build in \d{12} \(trusts only org:acme\/pipeline:web\/build\)\n\s+inline\s+rampart-build: /,
    );
    const json = await runCli(
      ['plan', join(examples, 'multi-account'), '--config', config, '--format', 'json'],
      { cwd: repoRoot },
    );
    const plan = (JSON.parse(json.stdout) as { pipelines: { build?: { roleArn: string } }[] })
      .pipelines[0];
    expect(plan?.build?.roleArn).toMatch(/^arn:aws:iam::\d{12}:role\/rampart-acme-web-build$/);
  });

  it('shows placeholders without a config and evaluates windows with --at', async () => {
    const r = await runCli(
      [
        'plan',
        join(examples, 'multi-account'),
        '--stage',
        'prod-us-east-1',
        '--at',
        '2026-12-05T18:00:00Z',
      ],
      { cwd: repoRoot },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[ORGANIZATION:slug]');
    expect(r.stdout).toContain('Stage 1/1: prod-us-east-1');
    // 2026-12-05 is a Saturday: closed until Monday 09:00 Pacific (17:00 UTC).
    expect(r.stdout).toContain('closed (not-a-window-day), opens 2026-12-07T17:00:00.000Z');
  });

  it('rejects a bad --at as a usage error and an unknown stage as an error', async () => {
    const badAt = await runCli(['plan', join(examples, 'minimal'), '--at', 'tomorrow'], {
      cwd: repoRoot,
    });
    expect(badAt.code).toBe(2);
    const badStage = await runCli(['plan', join(examples, 'minimal'), '--stage', 'nope'], {
      cwd: repoRoot,
    });
    expect(badStage.code).toBe(1);
    expect(badStage.stderr).toContain('has no stage "nope"');
  });

  it('refuses to plan an invalid pipeline and shows why', async () => {
    const dir = tempRepo({
      '.rampart/app/pipeline.yaml': minimal().replace('"123456789012"', '"12345"'),
    });
    const r = await runCli(['plan'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error ACCOUNT_ID_INVALID');
    expect(r.stderr).toContain('cannot plan');
  });

  it('reports a missing --config file', async () => {
    const r = await runCli(['plan', join(examples, 'minimal'), '--config', 'nope.yaml'], {
      cwd: repoRoot,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error CONFIG_NOT_FOUND');
  });
});

describe('rampart init and schema', () => {
  it('writes a starter pipeline that validates, and refuses to overwrite it', async () => {
    for (const flags of [[], ['--devramps']]) {
      const dir = tempRepo({});
      const r = await runCli(['init', '--slug', 'shop', ...flags], { cwd: dir });
      expect(r.code).toBe(0);
      const folder = flags.length > 0 ? '.devramps' : '.rampart';
      expect(r.stdout).toContain(join(folder, 'shop', 'pipeline.yaml'));
      const v = await runCli(['validate'], { cwd: dir });
      expect(v.stderr).toBe('');
      expect(v.code).toBe(0);
      const again = await runCli(['init', '--slug', 'shop', ...flags], { cwd: dir });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('--force');
    }
  });

  it('prints a JSON Schema with every step type', async () => {
    const r = await runCli(['schema'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { $schema: string; allOf?: unknown };
    expect(schema.$schema).toContain('json-schema.org');
    expect(r.stdout).toContain('RAMPART:ECS:DEPLOY');
    expect(r.stdout).toContain('DEVRAMPS:ECS:DEPLOY');
  });
});
