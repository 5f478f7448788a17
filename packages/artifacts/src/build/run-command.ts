/**
 * Runs one external command of a build (bash, buildah, docker, git) in its own process group,
 * streaming its output line by line, and stops the whole group when the build is aborted. A small
 * runner of our own rather than the steps package's: artifacts sits beside steps, not above it.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

/** The longest line passed on whole; longer ones are passed in pieces of this many characters. */
const MAX_LINE_CHARS = 16 * 1024;

/** What {@link runCommand} runs. */
export interface CommandSpec {
  /** The program, looked up in `env.PATH`. */
  command: string;
  args: readonly string[];
  cwd: string;
  /** The complete environment (nothing is inherited). */
  env: Record<string, string>;
  /** Stops the process group when aborted. @default none */
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL when stopping. @default 5000 */
  killGraceMs?: number;
  /** Receives each output line as it is written. */
  onLine: (text: string, stream: 'stdout' | 'stderr') => void;
}

/** How a command ended. */
export type CommandOutcome =
  | { kind: 'exited'; code: number }
  | { kind: 'signaled'; signal: string }
  | { kind: 'cancelled' }
  | { kind: 'spawn-failed'; message: string; missing: boolean };

/** Cuts a stream into lines, UTF-8 safe across chunks and CRLF tolerant. */
class Lines {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly emit: (line: string) => void) {}

  write(chunk: Buffer): void {
    this.take(this.decoder.write(chunk));
  }

  end(): void {
    this.take(this.decoder.end());
    if (this.pending !== '') this.emit(this.pending);
    this.pending = '';
  }

  private take(text: string): void {
    const parts = (this.pending + text).split('\n');
    this.pending = parts.pop() ?? '';
    for (const part of parts) {
      const line = part.replace(/\r$/, '');
      if (line === '') this.emit('');
      for (let at = 0; at < line.length; at += MAX_LINE_CHARS) {
        this.emit(line.slice(at, at + MAX_LINE_CHARS));
      }
    }
    while (this.pending.length > MAX_LINE_CHARS) {
      this.emit(this.pending.slice(0, MAX_LINE_CHARS));
      this.pending = this.pending.slice(MAX_LINE_CHARS);
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Runs the command to its end; never rejects (a failure to start is an outcome too). */
export function runCommand(spec: CommandSpec): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    if (spec.signal?.aborted === true) {
      resolve({ kind: 'cancelled' });
      return;
    }
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      // Its own process group, so a stop reaches everything the command started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      if (cancelled || child.pid === undefined) return;
      cancelled = true;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => {
        if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      }, spec.killGraceMs ?? 5_000);
      killTimer.unref();
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    const out = new Lines((text) => spec.onLine(text, 'stdout'));
    const err = new Lines((text) => spec.onLine(text, 'stderr'));
    child.stdout.on('data', (chunk: Buffer) => out.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.write(chunk));

    let settled = false;
    const finish = (outcome: CommandOutcome) => {
      if (settled) return;
      settled = true;
      if (killTimer !== undefined) clearTimeout(killTimer);
      spec.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    child.once('error', (error: NodeJS.ErrnoException) =>
      finish({ kind: 'spawn-failed', message: error.message, missing: error.code === 'ENOENT' }),
    );
    // 'close' waits for the pipes, so every line is delivered before the outcome.
    child.once('close', (code, signal) => {
      out.end();
      err.end();
      // The command is gone; nothing it started in the background may outlive the build.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      if (cancelled) finish({ kind: 'cancelled' });
      else if (signal !== null) finish({ kind: 'signaled', signal });
      else finish({ kind: 'exited', code: code ?? 1 });
    });
  });
}

/** `exit code 2`, `killed by SIGKILL`, … for messages. */
export function describeOutcome(outcome: CommandOutcome): string {
  switch (outcome.kind) {
    case 'exited':
      return `exit code ${outcome.code}`;
    case 'signaled':
      return `killed by ${outcome.signal}`;
    case 'cancelled':
      return 'cancelled';
    case 'spawn-failed':
      return `could not start (${outcome.message})`;
    default: {
      const unreachable: never = outcome;
      return String(unreachable);
    }
  }
}
