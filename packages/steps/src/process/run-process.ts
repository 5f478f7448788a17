// Runs a step's shell command as its own process group, streaming its output line by line, and
// stops the whole group (not just the shell) on timeout or cancellation.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { LineSplitter } from './line-splitter.js';

/** One line of a process's output. */
export interface ProcessLogLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** What {@link runProcess} runs. */
export interface ProcessSpec {
  /** A shell command line, run with `bash -c` (or `sh -c` where bash is missing). */
  command: string;
  cwd: string;
  /** The complete environment of the process (nothing is inherited). */
  env: Record<string, string>;
  /** Wall-clock limit; the process group is stopped when it passes. @default none */
  timeoutMs?: number;
  /** Stops the process group when aborted (a cancelled step). @default none */
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL when stopping. @default 10000 */
  killGraceMs?: number;
  /** Receives each output line as it is written. */
  onLine: (line: ProcessLogLine) => void;
}

/** How a process ended. */
export type ProcessOutcome =
  | { kind: 'exited'; code: number }
  | { kind: 'signaled'; signal: string }
  | { kind: 'timed-out'; afterMs: number }
  | { kind: 'cancelled' }
  | { kind: 'spawn-failed'; message: string };

const SHELL = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';

/** Runs the command to its end; never rejects (a failure to start is an outcome too). */
export function runProcess(spec: ProcessSpec): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    if (spec.signal?.aborted) {
      resolve({ kind: 'cancelled' });
      return;
    }
    const child = spawn(SHELL, ['-c', spec.command], {
      cwd: spec.cwd,
      env: spec.env,
      // Its own process group, so a stop reaches every process the script started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stopReason: 'timed-out' | 'cancelled' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: 'timed-out' | 'cancelled') => {
      if (stopReason !== undefined || child.pid === undefined) return;
      stopReason = reason;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => {
        if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      }, spec.killGraceMs ?? 10_000);
      killTimer.unref();
    };
    const timeout =
      spec.timeoutMs === undefined
        ? undefined
        : setTimeout(() => stop('timed-out'), spec.timeoutMs);
    const onAbort = () => stop('cancelled');
    spec.signal?.addEventListener('abort', onAbort, { once: true });

    const out = new LineSplitter((text) => spec.onLine({ stream: 'stdout', text }));
    const err = new LineSplitter((text) => spec.onLine({ stream: 'stderr', text }));
    child.stdout.on('data', (chunk: Buffer) => out.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.write(chunk));

    let settled = false;
    const finish = (outcome: ProcessOutcome) => {
      if (settled) return;
      settled = true;
      if (timeout) clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      spec.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    child.once('error', (error) => finish({ kind: 'spawn-failed', message: error.message }));
    // 'close' waits for the pipes, so every line is delivered before the outcome.
    child.once('close', (code, signal) => {
      out.end();
      err.end();
      // The shell is gone; make sure nothing it started in the background lingers.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      if (stopReason === 'timed-out') finish({ kind: 'timed-out', afterMs: spec.timeoutMs ?? 0 });
      else if (stopReason === 'cancelled') finish({ kind: 'cancelled' });
      else if (signal !== null) finish({ kind: 'signaled', signal });
      else finish({ kind: 'exited', code: code ?? 1 });
    });
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
