// Runs one terraform command through the process-group runner: output lines go to the step log
// (masked, blank lines dropped) as they are written, a cancelled step stops terraform and
// everything it started, and a failure becomes an outcome that quotes terraform's error.
import type { StepOutcome } from '@rampart/engine';
import { runProcess, type ProcessOutcome } from '../process/run-process.js';
import type { Masker } from './log-masking.js';
import { heldLockOf, lockedMessage } from './state-lock.js';

/** How every terraform command of one call runs. */
export interface TerraformRunner {
  /** The terraform binary: a name looked up on `PATH`, or a path. */
  terraform: string;
  cwd: string;
  env: Record<string, string>;
  signal: AbortSignal;
  /** @default 10000 */
  killGraceMs?: number;
  log: (text: string, stream: 'stdout' | 'stderr' | 'info') => void;
  mask: Masker;
}

/** How a terraform command ended, with the lines it wrote (masked). */
export interface TerraformResult {
  outcome: ProcessOutcome;
  /** The last lines of both streams, for error messages and the lock report. */
  lines: string[];
}

/** A failed step outcome. */
export type FailedOutcome = Extract<StepOutcome, { kind: 'failed' }>;

const KEPT_LINES = 200;
const ERROR_LINES = 12;

/**
 * Runs `terraform <args>`. With `stdoutTo`, standard output goes to that file instead of the log
 * (JSON for the executor, not for people); standard error is logged either way.
 */
export async function runTerraform(
  runner: TerraformRunner,
  args: readonly string[],
  options: { stdoutTo?: string } = {},
): Promise<TerraformResult> {
  const lines: string[] = [];
  const command = [
    'exec',
    shellQuote(runner.terraform),
    ...args.map(shellQuote),
    ...(options.stdoutTo === undefined ? [] : ['>', shellQuote(options.stdoutTo)]),
  ].join(' ');
  // The command line holds file names only: variables and backend settings are in files.
  runner.log(`terraform ${args.join(' ')}`, 'info');
  const outcome = await runProcess({
    command,
    cwd: runner.cwd,
    env: runner.env,
    signal: runner.signal,
    ...(runner.killGraceMs === undefined ? {} : { killGraceMs: runner.killGraceMs }),
    onLine: (line) => {
      if (line.text.trim() === '') return;
      const text = runner.mask(line.text);
      runner.log(text, line.stream);
      lines.push(text);
      if (lines.length > KEPT_LINES) lines.shift();
    },
  });
  return { outcome, lines };
}

/**
 * The failure of a terraform command that did not exit 0, `undefined` when it did. A held state
 * lock is reported as such, with who holds it and how to release it.
 */
export function terraformFailure(
  subcommand: string,
  result: TerraformResult,
  state: { bucket: string; key: string },
): FailedOutcome | undefined {
  const { outcome, lines } = result;
  switch (outcome.kind) {
    case 'exited': {
      if (outcome.code === 0) return undefined;
      const lock = heldLockOf(lines);
      if (lock !== undefined) {
        return {
          kind: 'failed',
          code: 'TERRAFORM_STATE_LOCKED',
          message: lockedMessage(lock, state),
        };
      }
      if (outcome.code === 127) {
        return {
          kind: 'failed',
          code: 'TERRAFORM_COMMAND_FAILED',
          message: `terraform could not be started (${lines.at(-1) ?? 'not found'}): install terraform 1.10 or later on the control plane's PATH`,
        };
      }
      return {
        kind: 'failed',
        code: 'TERRAFORM_COMMAND_FAILED',
        message: `terraform ${subcommand} exited with code ${outcome.code}${errorText(lines)}`,
      };
    }
    case 'cancelled':
      return {
        kind: 'failed',
        code: 'cancelled',
        message: `the step was stopped during terraform ${subcommand}; so was terraform`,
      };
    case 'signaled':
      return {
        kind: 'failed',
        code: 'TERRAFORM_COMMAND_FAILED',
        message: `terraform ${subcommand} was killed by ${outcome.signal}${errorText(lines)}`,
      };
    case 'timed-out':
      // No terraform command is given a time limit of its own: the step timeout aborts instead.
      return {
        kind: 'failed',
        code: 'timeout',
        message: `terraform ${subcommand} ran too long and was stopped`,
      };
    case 'spawn-failed':
      return {
        kind: 'failed',
        code: 'TERRAFORM_COMMAND_FAILED',
        message: `terraform ${subcommand} could not start: ${outcome.message}`,
      };
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

/** Whether a failed `apply` refused a saved plan because the state changed since it was made. */
export function isStalePlan(result: TerraformResult): boolean {
  return result.lines.some((l) => l.includes('Saved plan is stale'));
}

/** `; terraform said:` and its error block (from the first `Error:` line), else its last lines. */
function errorText(lines: readonly string[]): string {
  const first = lines.findIndex((l) => /^(│\s*)?Error: /.test(l));
  const shown = (first === -1 ? lines.slice(-ERROR_LINES) : lines.slice(first, first + ERROR_LINES))
    .map((l) => l.replace(/^[│╷╵]\s?/, ''))
    .filter((l) => l.trim() !== '');
  return shown.length === 0 ? '' : `; terraform said:\n  ${shown.join('\n  ')}`;
}

/** One word for `bash -c`, whatever characters it holds. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
