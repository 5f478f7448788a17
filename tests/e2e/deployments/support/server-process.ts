/**
 * `rampart server` as a real child process (the built CLI), started, killed with SIGKILL and
 * started again on the same configuration: what a crash and a supervisor's restart look like.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

/** The `rampart` command as installed: the bin script over the built CLI. */
export const RAMPART_BIN = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'packages',
  'cli',
  'bin',
  'rampart.js',
);

/** Throws with the fix when the CLI has not been built (`npm run build`). */
export function requireBuiltCli(): void {
  const built = join(RAMPART_BIN, '..', '..', 'dist', 'commands', 'server.js');
  if (!existsSync(built)) {
    throw new Error(`${built} is missing: build the packages first (npm run build)`);
  }
}

export class ServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  /** Everything the processes wrote, for failure messages. */
  output = '';
  starts = 0;
  /** Real milliseconds each start took until ready. */
  readyAfterMs: number[] = [];

  constructor(
    private readonly configFile: string,
    readonly url: string,
    private readonly cwd: string,
  ) {}

  /** Starts `rampart server --config FILE` and resolves once /readyz answers 200. */
  async start(): Promise<void> {
    if (this.child !== undefined) throw new Error('the server process is running already');
    this.starts += 1;
    const startedAt = performance.now();
    const child = spawn(process.execPath, [RAMPART_BIN, 'server', '--config', this.configFile], {
      cwd: this.cwd,
      // Only what a service manager would pass: no RAMPART_* or NODE_OPTIONS of the test run.
      env: { PATH: process.env.PATH ?? '', HOME: this.cwd, LANG: 'C.UTF-8' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const start = this.starts;
    const record = (chunk: Buffer) => {
      this.output += chunk
        .toString()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => `[start ${start}] ${line}\n`)
        .join('');
    };
    child.stdout?.on('data', record);
    child.stderr?.on('data', record);
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        this.child = undefined;
        resolve();
      }),
    );
    await waitFor(
      'the server to be ready',
      async (seen) => {
        if (this.child !== child) throw new Error(`the server exited:\n${this.output}`);
        try {
          const response = await fetch(`${this.url}/readyz`);
          seen(response.status);
          return response.status === 200 ? true : undefined;
        } catch (error) {
          seen(String(error));
          return undefined;
        }
      },
      { timeoutMs: 60_000, everyMs: 20 },
    );
    this.readyAfterMs.push(Math.round(performance.now() - startedAt));
  }

  /** SIGKILL: no clean-up of any kind, as when the kernel or a supervisor kills it. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: the clean stop `rampart server` does on a signal. */
  async stop(): Promise<void> {
    this.child?.kill('SIGTERM');
    await this.exited;
  }
}
