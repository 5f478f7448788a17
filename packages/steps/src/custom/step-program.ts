// Runs a step registry's program once, by the process protocol: `start-step-registry` with
// `--input`, `--output`, `--log-dir` and `--execution-id`, as its own process group, its output and
// its JSON-lines log streamed as it runs, and its one JSON result read afterwards.
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonValue } from '@rampart/engine';
import { runProcess } from '../process/run-process.js';
import { parseJsonLogLine, type StepLogLine } from './json-log-line.js';
import { LogDirTail } from './log-dir-tail.js';
import {
  MAX_RESULT_BYTES,
  parseStepProgramResult,
  type StepProgramResult,
} from './step-program-result.js';

/** The npm script that runs a registry's step program. */
export const START_SCRIPT = 'start-step-registry';

/** One run of a step program. */
export interface StepProgramRun {
  /** The registry's built folder: the program runs there. */
  dir: string;
  /** The `--input` object (`{"job":"EXECUTE",…}` or `{"job":"SYNTHESIZE-METADATA"}`). */
  input: JsonValue;
  executionId: string;
  /** The environment, except `HOME` (a fresh directory per run). */
  env: Record<string, string>;
  /** How npm is started. @default 'npm' */
  npmCommand?: string;
  signal?: AbortSignal;
  /** Wall-clock limit of this run. @default none */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when stopping. @default 10000 */
  killGraceMs?: number;
  /** How often the log directory is read while the program runs. @default 250 */
  logIntervalMs?: number;
  /** Each line of output and of the log directory, as written; secrets are already masked. */
  onLog: (line: StepLogLine) => void;
  /** Receives the result file's text as written, before it is checked. @default ignored */
  onResultText?: (text: string) => void;
  /** Strings replaced by `[REDACTED]` in every log line. @default none */
  secrets?: readonly string[];
}

/** How a run ended: a result, or the reason there is none. */
export type StepProgramOutcome =
  | { kind: 'result'; result: StepProgramResult }
  | {
      kind: 'failed';
      /** `command-failed`, `result`, `timeout` or `cancelled`. */
      code: 'command-failed' | 'result' | 'timeout' | 'cancelled';
      message: string;
    };

const TAIL_LINES = 10;

/** Runs the program to its end; rejects only when its temporary directory cannot be made. */
export async function runStepProgram(run: StepProgramRun): Promise<StepProgramOutcome> {
  const runDir = await mkdtemp(join(tmpdir(), 'rampart-custom-step-'));
  try {
    const home = join(runDir, 'home');
    const logDir = join(runDir, 'logs');
    const output = join(runDir, 'result.json');
    await mkdir(home);
    await mkdir(logDir);
    const secrets = (run.secrets ?? []).filter((s) => s.length >= 8);
    const tail: string[] = [];
    const emit = (line: StepLogLine) => {
      const text = redact(line.text, secrets);
      run.onLog({ text, stream: line.stream });
      tail.push(text);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    const logs = new LogDirTail(logDir, (_file, line) => emit(parseJsonLogLine(line)), {
      ...(run.logIntervalMs === undefined ? {} : { intervalMs: run.logIntervalMs }),
    });
    const command = [
      run.npmCommand ?? 'npm',
      'run',
      '--silent',
      START_SCRIPT,
      '--',
      '--input',
      shellQuote(JSON.stringify(run.input)),
      '--output',
      shellQuote(output),
      '--log-dir',
      shellQuote(logDir),
      '--execution-id',
      shellQuote(run.executionId),
    ].join(' ');
    logs.start();
    let ended;
    try {
      ended = await runProcess({
        command,
        cwd: run.dir,
        env: { ...run.env, HOME: home },
        ...(run.signal === undefined ? {} : { signal: run.signal }),
        ...(run.timeoutMs === undefined ? {} : { timeoutMs: run.timeoutMs }),
        ...(run.killGraceMs === undefined ? {} : { killGraceMs: run.killGraceMs }),
        onLine: (line) => emit(line),
      });
    } finally {
      await logs.stop();
    }
    switch (ended.kind) {
      case 'timed-out':
        return {
          kind: 'failed',
          code: 'timeout',
          message: `the step program ran longer than ${ended.afterMs} ms and was stopped${lastLines(tail)}`,
        };
      case 'cancelled':
        return {
          kind: 'failed',
          code: 'cancelled',
          message: 'the step was stopped; so was its program',
        };
      case 'spawn-failed':
        return {
          kind: 'failed',
          code: 'command-failed',
          message: `the step program could not start: ${ended.message}`,
        };
      case 'exited':
      case 'signaled':
        break;
      default: {
        const unreachable: never = ended;
        return unreachable;
      }
    }
    const text = await readResult(output);
    if (text.kind === 'text') run.onResultText?.(text.text);
    // A valid result decides, whatever the exit code: programs often exit 1 after FAILED.
    const parsed = text.kind === 'text' ? parseStepProgramResult(text.text) : undefined;
    if (parsed?.ok === true) return { kind: 'result', result: parsed.result };
    if (ended.kind === 'signaled') {
      return {
        kind: 'failed',
        code: 'command-failed',
        message: `the step program was killed by ${ended.signal} before writing a result${lastLines(tail)}`,
      };
    }
    if (ended.code !== 0) {
      return {
        kind: 'failed',
        code: 'command-failed',
        message: `the step program exited with code ${ended.code} without a valid result${lastLines(tail)}`,
      };
    }
    const problem =
      text.kind === 'missing'
        ? 'it wrote no result to the --output file'
        : text.kind === 'too-large'
          ? `its result is ${text.bytes} bytes, more than the ${MAX_RESULT_BYTES} allowed`
          : parsed?.ok === false
            ? parsed.problem
            : 'its result is invalid';
    return {
      kind: 'failed',
      code: 'result',
      message: `the step program exited 0 but ${problem}: it must write one JSON result such as {"status":"SUCCESS","outputs":{}} to the file named by --output`,
    };
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}

type ResultText =
  { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'too-large'; bytes: number };

async function readResult(file: string): Promise<ResultText> {
  try {
    const { size } = await stat(file);
    if (size > MAX_RESULT_BYTES) return { kind: 'too-large', bytes: size };
    return { kind: 'text', text: await readFile(file, 'utf8') };
  } catch {
    return { kind: 'missing' };
  }
}

/** One shell word, whatever it holds. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.replaceAll(secret, '[REDACTED]');
  return out;
}

function lastLines(tail: readonly string[]): string {
  if (tail.length === 0) return '';
  const shown = tail.map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
  return `; last lines:\n  ${shown.join('\n  ')}`;
}
