/** Where the CLI writes: stdout for results, stderr for diagnostics. Tests pass their own. */

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is an interactive terminal (progress displays, colour). */
  isTty: boolean;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
  };
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
