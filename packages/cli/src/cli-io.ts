/** Where the CLI writes: stdout for results, stderr for diagnostics. Tests pass their own. */

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is an interactive terminal (progress displays, colour). */
  isTty: boolean;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * All of standard input, for values that must not be flags (`rampart secrets set`); refuses an
   * interactive terminal. @default none: such commands ask for a file instead
   */
  readStdin?(): Promise<Buffer>;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
    readStdin: readProcessStdin,
  };
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

async function readProcessStdin(): Promise<Buffer> {
  if (process.stdin.isTTY) throw new Error('standard input is a terminal, not a pipe');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
