import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBaseEnvironment } from '../command/command-environment.js';
import type { StepLogLine } from './json-log-line.js';
import { runStepProgram, type StepProgramRun } from './step-program.js';

// Typed asymmetric matchers: vitest types them `any`.
const containing = (text: string): string => expect.stringContaining(text) as string;
const matching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

// One program, many misbehaviours: MODE in its environment picks one.
const PROGRAM = `
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].slice(2)] = process.argv[i + 1];
const log = join(args['log-dir'], 'run.jsonl');
switch (process.env.MODE) {
  case 'none':
    break;
  case 'garbage':
    writeFileSync(args.output, 'nope');
    break;
  case 'crash':
    console.error('boom');
    process.exit(3);
  case 'failed':
    writeFileSync(args.output, JSON.stringify({ status: 'FAILED', error: 'no capacity' }));
    process.exit(1);
  case 'hang':
    setInterval(() => {}, 1000);
    break;
  case 'live': {
    console.log('secret is ' + process.env.SECRET);
    appendFileSync(log, JSON.stringify({ level: 'info', message: 'waiting for go' }) + '\\n');
    // Goes on only once the test saw the line above: proves the log is read while it runs.
    const wait = setInterval(() => {
      if (!existsSync(process.env.GO_FILE)) return;
      clearInterval(wait);
      appendFileSync(log, JSON.stringify({ level: 'error', message: 'went' }) + '\\n{"message":"no newline"}');
      writeFileSync(args.output, JSON.stringify({
        status: 'SUCCESS',
        outputs: { input: JSON.parse(args.input), id: args['execution-id'] },
      }));
    }, 20);
    break;
  }
}
`;

describe('runStepProgram', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-step-program-'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ scripts: { 'start-step-registry': 'node program.mjs' } }),
    );
    writeFileSync(join(dir, 'program.mjs'), PROGRAM);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (mode: string, extra: Partial<StepProgramRun> = {}) => {
    const lines: StepLogLine[] = [];
    const outcome = runStepProgram({
      dir,
      input: { job: 'EXECUTE', type: 'X', params: {} },
      executionId: 'exec-1',
      env: { ...defaultBaseEnvironment(), MODE: mode },
      logIntervalMs: 20,
      onLog: (line) => lines.push(line),
      ...extra,
    });
    return { lines, outcome };
  };

  it('streams the log directory live, masks secrets and passes the input as written', async () => {
    const go = join(dir, 'go');
    const input = { job: 'EXECUTE', type: 'X', params: { quote: "it's $HOME `x`" } };
    const { lines, outcome } = run('live', {
      input,
      env: { ...defaultBaseEnvironment(), MODE: 'live', SECRET: 'hunter2hunter2', GO_FILE: go },
      secrets: ['hunter2hunter2'],
      onLog: (line) => {
        lines.push(line);
        if (line.text === 'waiting for go') writeFileSync(go, '');
      },
    });
    expect(await outcome).toEqual({
      kind: 'result',
      result: { status: 'SUCCESS', outputs: { input, id: 'exec-1' } },
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        { text: 'secret is [REDACTED]', stream: 'stdout' },
        { text: 'waiting for go', stream: 'stdout' },
        { text: 'went', stream: 'stderr' },
        { text: 'no newline', stream: 'stdout' },
      ]),
    );
  }, 60_000);

  it('turns a program without a valid result into a failure that says why', async () => {
    expect(await run('none').outcome).toMatchObject({
      kind: 'failed',
      code: 'result',
      message: containing('wrote no result to the --output file'),
    });
    expect(await run('garbage').outcome).toMatchObject({
      kind: 'failed',
      code: 'result',
      message: containing('the result file is not JSON'),
    });
    expect(await run('crash').outcome).toMatchObject({
      kind: 'failed',
      code: 'command-failed',
      message: matching(/exited with code 3 without a valid result; last lines:\n {2}boom/),
    });
  }, 60_000);

  it('takes a FAILED result even when the program exits non-zero', async () => {
    expect(await run('failed').outcome).toEqual({
      kind: 'result',
      result: { status: 'FAILED', error: 'no capacity' },
    });
  }, 30_000);

  it('stops a program that runs too long, or whose step is cancelled', async () => {
    expect(await run('hang', { timeoutMs: 1_500, killGraceMs: 100 }).outcome).toMatchObject({
      kind: 'failed',
      code: 'timeout',
    });
    const controller = new AbortController();
    const { outcome } = run('hang', { signal: controller.signal, killGraceMs: 100 });
    controller.abort();
    expect(await outcome).toMatchObject({ kind: 'failed', code: 'cancelled' });
  }, 60_000);
});
