import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../test-support/is-alive.js';
import { scriptRunParams, type ScriptRunParams } from '../params/command-params.js';
import {
  TEST_CREDENTIALS,
  parseParams,
  stepContext,
  type HarnessOptions,
} from '../test-support/step-context.js';
import { tempWorkspace, type TempWorkspace } from '../test-support/temp-workspace.js';
import { createScriptRunExecutor } from './script-run-executor.js';

describe('SCRIPT:RUN', () => {
  let ws: TempWorkspace;
  let outside: string;
  beforeAll(() => {
    ws = tempWorkspace({ 'app/README': 'hello\n', 'file.txt': 'x' });
    outside = mkdtempSync(join(tmpdir(), 'rampart-steps-outside-'));
    symlinkSync(outside, join(ws.root, 'escape'));
    mkdirSync(join(ws.root, 'app', 'inner'));
  });
  afterAll(() => {
    ws.remove();
    rmSync(outside, { recursive: true, force: true });
  });

  const executor = () =>
    createScriptRunExecutor({
      workspaces: ws.workspaces,
      baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
      endpointUrl: 'http://127.0.0.1:4566',
      killGraceMs: 200,
      msPerMinute: 300,
    });
  const run = async (raw: Record<string, unknown>, options: HarnessOptions = {}) => {
    const h = stepContext<ScriptRunParams>(parseParams(scriptRunParams, raw), options);
    const outcome = await executor().execute(h.ctx);
    return { ...h, outcome };
  };

  it('turns KEY=VALUE lines of $RAMPART_OUTPUT into outputs and streams the log live', async () => {
    const { outcome, logs } = await run({
      command: [
        'echo "building"',
        'echo "warning: slow" >&2',
        'echo "URL=https://example.test/?a=b" >> "$RAMPART_OUTPUT"',
        'printf "NOTES<<END\\nline 1\\nline 2\\nEND\\n" >> "$RAMPART_OUTPUT"',
      ].join('; '),
    });
    expect(outcome).toEqual({
      kind: 'succeeded',
      outputs: { URL: 'https://example.test/?a=b', NOTES: 'line 1\nline 2' },
    });
    expect(logs.filter((l) => l.stream !== 'info')).toEqual([
      { text: 'building', stream: 'stdout' },
      { text: 'warning: slow', stream: 'stderr' },
    ]);
    expect(logs[0]?.stream).toBe('info');
  });

  it('gives the command the stage credentials, the RAMPART_* variables and nothing of the server', async () => {
    const { outcome, logs, ctx } = await run({
      command:
        'env > "$RAMPART_OUTPUT"; test -d "$HOME" && test -z "$(ls -A "$HOME")" && echo "HOME_EMPTY=yes" >> "$RAMPART_OUTPUT"; echo "key is $AWS_SECRET_ACCESS_KEY"',
      env: { GREETING: 'hi there', COUNT: 3, DEBUG: true, AWS_REGION: 'eu-west-1' },
    });
    expect(outcome.kind).toBe('succeeded');
    const outputs = outcome.kind === 'succeeded' ? outcome.outputs : {};
    expect(outputs).toMatchObject({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      GREETING: 'hi there',
      COUNT: '3',
      DEBUG: 'true',
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: TEST_CREDENTIALS.sessionToken,
      // The step's env may choose another region; the default is the stage's.
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'us-west-2',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      RAMPART_DEPLOYMENT_ID: ctx.deployment.id,
      RAMPART_REVISION: '7',
      RAMPART_COMMIT: ctx.deployment.commitSha,
      RAMPART_PIPELINE: 'web',
      RAMPART_STAGE: 'staging',
      HOME_EMPTY: 'yes',
    });
    const home = outputs['HOME'] as string;
    expect(home.startsWith(tmpdir())).toBe(true);
    expect((outputs['RAMPART_OUTPUT'] as string).startsWith(tmpdir())).toBe(true);
    // The run's private directory is gone afterwards.
    expect(existsSync(home)).toBe(false);
    // Nothing of the test runner's own environment leaks in.
    const leaked = Object.keys(process.env).filter(
      (k) => k in outputs && !['PATH', 'HOME', 'LANG', 'PWD', 'SHLVL', '_', 'OLDPWD'].includes(k),
    );
    expect(leaked).toEqual([]);
    // The secret is masked in the log.
    expect(logs.map((l) => l.text)).toContain('key is [REDACTED]');
  });

  it('sets AWS_REGION to the stage region, and no session token when the credentials have none', async () => {
    const { outcome } = await run(
      {
        command: 'echo "REGION=$AWS_REGION" "TOKEN=${AWS_SESSION_TOKEN-unset}" > "$RAMPART_OUTPUT"',
      },
      {
        credentials: () =>
          Promise.resolve({ accessKeyId: 'AKIAX', secretAccessKey: 'long-term-secret-key' }),
      },
    );
    expect(outcome).toEqual({
      kind: 'succeeded',
      outputs: { REGION: 'us-west-2 TOKEN=unset' },
    });
  });

  it('asks the workspace port for the deployment revision and runs in working_directory', async () => {
    const before = ws.requests.length;
    const { outcome } = await run({
      command: 'echo "DIR=$(pwd)" > "$RAMPART_OUTPUT"',
      working_directory: 'app/./inner/..',
    });
    expect(outcome).toEqual({ kind: 'succeeded', outputs: { DIR: join(ws.root, 'app') } });
    expect(ws.requests.slice(before)).toEqual([
      { id: 'pl-1:7', commitSha: 'c0ffee0000000000000000000000000000000000', pipelineSlug: 'web' },
    ]);
  });

  it.each([
    ['../elsewhere', 'leads outside the repository'],
    ['app/../../..', 'leads outside the repository'],
    ['/etc', 'must be a path relative to the repository'],
    ['escape', 'leads outside the repository through a symbolic link'],
    ['escape/sub', 'leads outside the repository through a symbolic link'],
    ['missing', 'does not exist in this revision'],
    ['file.txt', 'is not a directory'],
  ])('refuses working_directory %j before running anything', async (dir, message) => {
    const marker = join(outside, 'ran');
    if (dir === 'escape/sub') mkdirSync(join(outside, 'sub'), { recursive: true });
    const { outcome } = await run({ command: `touch ${marker}`, working_directory: dir });
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' && outcome.code).toBe('workspace');
    expect(outcome.kind === 'failed' && outcome.message).toContain(
      `working_directory ${JSON.stringify(dir)} ${message}`,
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('fails with the exit code and the last lines when the command fails', async () => {
    const { outcome } = await run({
      command: 'for i in $(seq 1 15); do echo "line $i"; done; echo "boom" >&2; exit 3',
    });
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.code).toBe('command-failed');
    expect(outcome.message).toMatch(/^the command exited with code 3; last lines:\n/);
    expect(outcome.message).toContain('  line 15\n  boom');
    expect(outcome.message).not.toContain('line 5\n');
  });

  it('fails naming the line numbers of malformed output lines', async () => {
    const { outcome } = await run({
      command: 'printf "GOOD=1\\nnot an output\\n2BAD=x\\n" > "$RAMPART_OUTPUT"',
    });
    expect(outcome.kind === 'failed' && outcome.code).toBe('outputs');
    expect(outcome.kind === 'failed' && outcome.message).toMatch(
      /^\$RAMPART_OUTPUT has malformed lines \(line 2: expected KEY=VALUE, got "not an output"; line 3: .*"2BAD"/,
    );
  });

  it('stops the whole process group when timeout_minutes passes', async () => {
    const pidFile = join(outside, 'timeout.pid');
    const { outcome } = await run({
      command: `sleep 30 & echo $! > ${pidFile}; echo started; wait`,
      timeout_minutes: 1,
    });
    expect(outcome.kind === 'failed' && outcome.code).toBe('timeout');
    expect(outcome.kind === 'failed' && outcome.message).toContain(
      'ran longer than timeout_minutes (1) and was stopped; last lines:\n  started',
    );
    expect(isAlive(Number(readFileSync(pidFile, 'utf8').trim()))).toBe(false);
  });

  it('stops the whole process group when the engine aborts the step (cancel or step timeout)', async () => {
    const pidFile = join(outside, 'abort.pid');
    let abort = () => undefined as void;
    const h = stepContext<ScriptRunParams>(
      parseParams(scriptRunParams, {
        command: `sleep 30 & echo $! > ${pidFile}; echo started; wait`,
      }),
      { onLog: (line) => (line.text === 'started' ? abort() : undefined) },
    );
    abort = () => h.controller.abort();
    const outcome = await executor().execute(h.ctx);
    expect(outcome).toEqual({
      kind: 'failed',
      code: 'cancelled',
      message: 'the step was stopped; so was its command',
    });
    expect(isAlive(Number(readFileSync(pidFile, 'utf8').trim()))).toBe(false);
  });

  it('declares no IAM actions', () => {
    expect(executor().iamActions({ command: 'true', env: {} })).toEqual([]);
  });
});

describe('SCRIPT:RUN params', () => {
  const issues = (raw: unknown) => {
    const parsed = scriptRunParams.safeParse(raw);
    return parsed.success
      ? []
      : parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
  };

  it('accepts the FORMAT.md params', () => {
    expect(
      scriptRunParams.parse({
        command: 'make deploy',
        working_directory: 'infra',
        env: { A: 'x', N: 2 },
        timeout_minutes: 5,
      }),
    ).toEqual({
      command: 'make deploy',
      working_directory: 'infra',
      env: { A: 'x', N: '2' },
      timeout_minutes: 5,
    });
  });

  it('refuses unknown keys, reserved or bad variable names and non-scalar values', () => {
    expect(issues({ command: 'x', cwd: 'a' })[0]).toMatch(/cwd/);
    expect(
      issues({
        command: 'x',
        env: {
          AWS_ACCESS_KEY_ID: 'a',
          RAMPART_STAGE: 'b',
          '1X': 'c',
          NESTED: { a: 1 },
          NOTHING: null,
        },
      }),
    ).toEqual([
      'env.AWS_ACCESS_KEY_ID: AWS_ACCESS_KEY_ID is set by Rampart for every run (stage credentials, RAMPART_* variables); remove it from env',
      'env.RAMPART_STAGE: RAMPART_STAGE is set by Rampart for every run (stage credentials, RAMPART_* variables); remove it from env',
      'env.1X: "1X" is not a variable name: use letters, digits and _, not starting with a digit',
      'env.NESTED: must be a string, a number or true/false, got object',
      'env.NOTHING: must be a string, a number or true/false, got null',
    ]);
  });

  it('refuses values the engine left unresolved', () => {
    expect(issues({ command: 'deploy [SECRET:TOKEN]' })).toEqual([
      'command: still holds an unresolved expression or marker ("deploy [SECRET:TOKEN]"); it must be resolved before the step runs',
    ]);
    expect(issues({ command: 'x', timeout_minutes: '${{ vars.t }}' })).toEqual([
      'timeout_minutes: expected a number, got the unresolved "${{ vars.t }}"',
    ]);
    expect(issues({ command: 'x', env: '${{ vars.env }}' })[0]).toMatch(/^env: expected a map/);
    expect(issues({ command: 'x', env: { A: '[OUTPUT:build/url]' } })[0]).toMatch(
      /^env\.A: still holds an unresolved/,
    );
  });
});
