// Helpers for system tests: find external tools, run them with a clean environment, temp dirs.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The full path of an executable on PATH, or undefined. */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Whether a suite needing `command` should be skipped: only outside CI, where a developer may
 * lack the tool. CI installs it (`.ci/install-system-packages`), so there a missing tool fails.
 */
export function skipWithout(command: string): { skip: boolean; title: string } {
  const found = findOnPath(command) !== undefined;
  const skip = !found && process.env['CI'] !== 'true';
  return {
    skip,
    title: skip
      ? ` (skipped: no \`${command}\` on PATH; .ci/install-system-packages installs it)`
      : '',
  };
}

/** What a command did. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; never rejects on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(
            new Error(`${command} ${args.join(' ')} did not run: ${error.message}\n${stderr}`),
          );
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** A fresh temporary directory and its removal. */
export async function tempDir(
  prefix: string,
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** The environment an external tool gets: PATH and locale only, plus what the test adds. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    ...extra,
  };
}

/** Formats a failed run for an assertion message. */
export function describeRun(label: string, result: RunResult): string {
  return `${label} exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}
