/** Runs the client commands in process against a test server, with captured output. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../src/index.js';
import { runCli, type CliResult } from './run-cli.js';

/** A fresh, empty working directory (no rampart.config.yaml). */
export function emptyDir(temps: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-cli-client-'));
  temps.push(dir);
  return dir;
}

/** An io that records what a long-running command writes, and lets a test wait for it. */
export interface WatchingIo extends CliIo {
  out(): string;
  err(): string;
  /** Resolves with stdout once `test` holds for it (checked now and on every write). */
  until(test: (stdout: string) => boolean): Promise<string>;
}

/** A {@link WatchingIo}; `onOutput` sees stdout after each write (to act like a person would). */
export function watchingIo(
  cwd: string,
  env: Record<string, string>,
  options: { onOutput?: (stdout: string) => void; isTty?: boolean } = {},
): WatchingIo {
  let stdout = '';
  let stderr = '';
  const waiters: { test: (s: string) => boolean; resolve: (s: string) => void }[] = [];
  const check = () => {
    for (const w of [...waiters])
      if (w.test(stdout)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(stdout);
      }
  };
  return {
    stdout: (t) => {
      stdout += t;
      options.onOutput?.(stdout);
      check();
    },
    stderr: (t) => {
      stderr += t;
    },
    isTty: options.isTty ?? false,
    cwd,
    env,
    out: () => stdout,
    err: () => stderr,
    until: (test) =>
      new Promise((resolve) => {
        waiters.push({ test, resolve });
        check();
      }),
  };
}

/** Runs `rampart ARGV` with the server and token in the environment. */
export function cliFor(
  cwd: () => string,
  env: () => Record<string, string>,
): (...argv: string[]) => Promise<CliResult> {
  return (...argv) => runCli(argv, { cwd: cwd(), env: env() });
}
