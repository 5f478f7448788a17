// Runs one Node.js invocation in a child process (`node` with the runner script), enforcing the
// function's timeout on the wall clock — the one place Lambda emulation needs real time, since the
// handler really runs.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SandboxRuntime } from '../../framework/runtime.js';
import { runnerDirectory } from './code-store.js';
import { RUNNER_SOURCE } from './runner-source.js';

/** What a function error looks like in the response payload. */
export interface FunctionErrorBody {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** One line the function logged. */
export interface LoggedLine {
  /** `INFO`, `WARN`, `ERROR`, … for console output; undefined for raw stdout/stderr lines. */
  level?: string;
  message: string;
}

/** How one invocation ended. */
export type RunOutcome =
  | { kind: 'result'; payload: string }
  | { kind: 'error'; error: FunctionErrorBody }
  | { kind: 'timeout'; seconds: number };

/** An invocation's outcome with what it logged and how long it ran (wall clock). */
export interface RunReport {
  outcome: RunOutcome;
  lines: LoggedLine[];
  durationMs: number;
  initDurationMs: number;
}

/** Everything the child needs. */
export interface NodeInvocation {
  taskRoot: string;
  handler: string;
  /** The event as JSON text. */
  event: string;
  timeoutSeconds: number;
  environment: Record<string, string>;
  /** The context object's plain fields (functionName, awsRequestId, …). */
  context: Record<string, string>;
}

/** How long module loading may take before the invocation fails (Lambda's init limit). */
const INIT_TIMEOUT_MS = 10_000;
/** Raw output kept per invocation; the rest is dropped. */
const MAX_LOG_CHARS = 1_000_000;

interface ChildMessage {
  type?: string;
  level?: string;
  message?: string;
  payload?: string;
  error?: FunctionErrorBody;
}

/** The runner script's path, written once per data directory. */
async function runnerPath(runtime: SandboxRuntime): Promise<string> {
  const hash = createHash('sha256').update(RUNNER_SOURCE).digest('hex').slice(0, 16);
  const path = join(runnerDirectory(runtime), `runner-${hash}.mjs`);
  try {
    await access(path);
  } catch {
    await mkdir(runnerDirectory(runtime), { recursive: true });
    await writeFile(path, RUNNER_SOURCE);
  }
  return path;
}

/** Runs a handler once. Never throws for anything the function does. */
export async function runNode(runtime: SandboxRuntime, call: NodeInvocation): Promise<RunReport> {
  const script = await runnerPath(runtime);
  const started = performance.now();
  const child = spawn(process.execPath, [script], {
    cwd: call.taskRoot,
    // Only the function's environment: nothing of the sandbox's own process leaks in.
    env: { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', ...call.environment },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  const lines: LoggedLine[] = [];
  let logged = 0;
  const keep = (line: LoggedLine): void => {
    if (logged > MAX_LOG_CHARS) return;
    logged += line.message.length;
    lines.push(line);
  };
  let partial = '';
  const onOutput = (chunk: Buffer): void => {
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const part of parts) keep({ message: part });
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);

  let outcome: RunOutcome | undefined;
  let invokedAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const arm = (ms: number, seconds: number): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      outcome ??= { kind: 'timeout', seconds };
      kill();
    }, ms);
  };
  arm(INIT_TIMEOUT_MS, INIT_TIMEOUT_MS / 1000);

  child.on('message', (raw: unknown) => {
    const message = (raw ?? {}) as ChildMessage;
    switch (message.type) {
      case 'log':
        keep({ level: message.level ?? 'INFO', message: message.message ?? '' });
        break;
      case 'started':
        invokedAt = performance.now();
        arm(call.timeoutSeconds * 1000, call.timeoutSeconds);
        break;
      case 'result':
        outcome ??= { kind: 'result', payload: message.payload ?? 'null' };
        kill();
        break;
      case 'error':
        outcome ??= {
          kind: 'error',
          error: message.error ?? { errorType: 'Runtime.Unknown', errorMessage: 'unknown error' },
        };
        kill();
        break;
      default:
        break;
    }
  });

  const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on('error', (error) => {
      outcome ??= {
        kind: 'error',
        error: {
          errorType: 'Runtime.Unknown',
          errorMessage: `could not start node: ${error.message}`,
        },
      };
      resolve({ code: null, signal: null });
    });
    child.on('close', (code, signal) => resolve({ code, signal }));
    child.send({
      taskRoot: call.taskRoot,
      handler: call.handler,
      event: call.event,
      timeoutMs: call.timeoutSeconds * 1000,
      context: call.context,
    });
  });
  clearTimeout(timer);
  if (partial !== '') keep({ message: partial });
  const ended = performance.now();
  outcome ??= {
    kind: 'error',
    error: {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${call.context['awsRequestId'] ?? ''} Error: Runtime exited with error: ${exit.signal !== null ? `signal: ${exit.signal}` : `exit status ${String(exit.code)}`}`,
    },
  };
  return {
    outcome,
    lines,
    durationMs: invokedAt === undefined ? 0 : ended - invokedAt,
    initDurationMs: (invokedAt ?? ended) - started,
  };
}
