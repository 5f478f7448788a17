import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../test-support/is-alive.js';
import { runProcess, type ProcessLogLine } from './run-process.js';

const dir = mkdtempSync(join(tmpdir(), 'rampart-run-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

describe('runProcess', () => {
  it('streams stdout and stderr lines and returns the exit code', async () => {
    const lines: ProcessLogLine[] = [];
    const outcome = await runProcess({
      command: 'echo "hello $WHO"; echo oops >&2; printf "no newline"; exit 4',
      cwd: dir,
      env: { ...env, WHO: 'world' },
      onLine: (line) => lines.push(line),
    });
    expect(outcome).toEqual({ kind: 'exited', code: 4 });
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual([
      'hello world',
      'no newline',
    ]);
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(['oops']);
  });

  it('inherits nothing but the given environment and runs in the given directory', async () => {
    const lines: string[] = [];
    await runProcess({
      command: 'pwd; echo "home=${HOME:-unset}"',
      cwd: dir,
      env,
      onLine: (line) => lines.push(line.text),
    });
    expect(lines).toEqual([dir, 'home=unset']);
  });

  it('stops the whole process group on timeout, background children included', async () => {
    const pidFile = join(dir, 'child.pid');
    const outcome = await runProcess({
      command: `sleep 30 & echo $! > ${pidFile}; wait`,
      cwd: dir,
      env,
      timeoutMs: 300,
      killGraceMs: 200,
      onLine: () => undefined,
    });
    expect(outcome).toEqual({ kind: 'timed-out', afterMs: 300 });
    const childPid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(childPid).toBeGreaterThan(0);
    expect(isAlive(childPid)).toBe(false);
  });

  it('escalates to SIGKILL when the script ignores SIGTERM', async () => {
    const outcome = await runProcess({
      command: "trap '' TERM; echo armed; while true; do sleep 0.05; done",
      cwd: dir,
      env,
      timeoutMs: 200,
      killGraceMs: 100,
      onLine: () => undefined,
    });
    expect(outcome.kind).toBe('timed-out');
  });

  it('stops on abort, and never starts when already aborted', async () => {
    const controller = new AbortController();
    const started = runProcess({
      command: 'echo started; sleep 30',
      cwd: dir,
      env,
      signal: controller.signal,
      onLine: (line) => {
        if (line.text === 'started') controller.abort();
      },
    });
    expect(await started).toEqual({ kind: 'cancelled' });
    const marker = join(dir, 'never');
    const never = await runProcess({
      command: `touch ${marker}`,
      cwd: dir,
      env,
      signal: AbortSignal.abort(),
      onLine: () => undefined,
    });
    expect(never).toEqual({ kind: 'cancelled' });
    expect(existsSync(marker)).toBe(false);
  });

  it('reports a missing working directory as a spawn failure', async () => {
    const outcome = await runProcess({
      command: 'true',
      cwd: join(dir, 'missing'),
      env,
      onLine: () => undefined,
    });
    expect(outcome.kind).toBe('spawn-failed');
  });
});
