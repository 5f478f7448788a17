// The machinery SCRIPT:RUN and APPROVAL:TEST share: find the revision's files, build the
// environment, run the command as its own process group with live log lines, and say how it
// ended. Each run gets a private temporary directory (HOME, the output file), removed afterwards.
import { mkdir, mkdtemp, rm, stat, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepContext, StepOutcome } from '@rampart/engine';
import { runProcess, type ProcessOutcome } from '../process/run-process.js';
import type { ScriptRunParams } from '../params/command-params.js';
import {
  realWorkspacePath,
  workspacePath,
  type WorkspacePathResult,
} from '../workspace/workspace-path.js';
import type { Workspaces } from '../workspace/workspaces.js';
import { commandEnvironment, defaultBaseEnvironment } from './command-environment.js';

/** How commands are run; shared by the executors that run one. */
export interface CommandStepOptions {
  /** Finds the revision's files. */
  workspaces: Workspaces;
  /** Variables every command gets, before the step's own. @default the server's PATH and LANG=C.UTF-8 */
  baseEnv?: Record<string, string>;
  /** Sets `AWS_ENDPOINT_URL` (the sandbox). @default absent: tools talk to real AWS */
  endpointUrl?: string;
  /** Time between SIGTERM and SIGKILL when a command is stopped. @default 10000 */
  killGraceMs?: number;
  /** How long one minute of `timeout_minutes` lasts; tests shorten it. @default 60000 */
  msPerMinute?: number;
}

/** A step outcome that failed. */
export type FailedOutcome = Extract<StepOutcome, { kind: 'failed' }>;

/** How a command run went. */
export type CommandRun =
  | { kind: 'refused'; outcome: FailedOutcome }
  | {
      kind: 'ran';
      process: ProcessOutcome;
      /** The last lines the command wrote, for failure messages. */
      tail: string[];
      /** The repository root and the directory the command ran in (real paths). */
      root: string;
      cwd: string;
      /** What the command wrote to `$RAMPART_OUTPUT`, when one was given. */
      output?: { text: string } | { tooLarge: number };
    };

/** What a run does around the command. */
export interface CommandRunHooks {
  /** Give the command `$RAMPART_OUTPUT` and read it afterwards. */
  outputFile: boolean;
  /** Called with the directories before the command starts; a returned outcome stops the run. */
  beforeRun?: (dirs: { root: string; cwd: string }) => Promise<FailedOutcome | undefined>;
}

/** The largest output file read; outputs are stored with the deployment. */
export const MAX_OUTPUT_FILE_BYTES = 1024 * 1024;
const TAIL_LINES = 10;
const TAIL_LINE_CHARS = 300;

/** Runs the step's command; never rejects for a failing command, only for broken ports. */
export async function runCommandStep(
  ctx: StepContext<ScriptRunParams>,
  options: CommandStepOptions,
  hooks: CommandRunHooks,
): Promise<CommandRun> {
  const { params } = ctx;
  const checkout = await options.workspaces({
    id: ctx.deployment.id,
    commitSha: ctx.deployment.commitSha,
    pipelineSlug: ctx.target.pipelineSlug,
  });
  const workspace = await realWorkspacePath(
    checkout,
    checkout,
    'directory',
    `the checkout of ${ctx.deployment.commitSha}`,
  );
  if (!workspace.ok) return refused(workspace.message);
  const root = workspace.path;
  const dir = await workingDirectory(root, params.working_directory);
  if (!dir.ok) return refused(dir.message);
  const cwd = dir.path;
  const stopped = await hooks.beforeRun?.({ root, cwd });
  if (stopped !== undefined) return { kind: 'refused', outcome: stopped };

  const credentials = await ctx.credentials();
  const runDir = await mkdtemp(join(tmpdir(), 'rampart-step-'));
  try {
    const home = join(runDir, 'home');
    await mkdir(home);
    const outputFile = hooks.outputFile ? join(runDir, 'output') : undefined;
    if (outputFile !== undefined) await writeFile(outputFile, '');
    const env = commandEnvironment({
      base: options.baseEnv ?? defaultBaseEnvironment(),
      env: params.env,
      home,
      credentials,
      region: ctx.target.region,
      ...(options.endpointUrl === undefined ? {} : { endpointUrl: options.endpointUrl }),
      ...(outputFile === undefined ? {} : { outputFile }),
      deployment: ctx.deployment,
      pipelineSlug: ctx.target.pipelineSlug,
      stage: ctx.target.stage,
    });
    // Secrets stay out of the log even when a script prints its environment.
    const secrets = [credentials.secretAccessKey, credentials.sessionToken ?? ''].filter(
      (s) => s.length >= 8,
    );
    const tail: string[] = [];
    // Not the command itself: resolved secrets may be part of it.
    ctx.log(`running the command in ${displayDir(root, cwd)}`, 'info');
    const ended = await runProcess({
      command: params.command,
      cwd,
      env,
      signal: ctx.signal,
      ...(params.timeout_minutes === undefined
        ? {}
        : { timeoutMs: params.timeout_minutes * (options.msPerMinute ?? 60_000) }),
      ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
      onLine: (line) => {
        const text = redact(line.text, secrets);
        ctx.log(text, line.stream);
        tail.push(text);
        if (tail.length > TAIL_LINES) tail.shift();
      },
    });
    const output = outputFile === undefined ? undefined : await readOutput(outputFile);
    return {
      kind: 'ran',
      process: ended,
      tail,
      root,
      cwd,
      ...(output === undefined ? {} : { output }),
    };
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}

/**
 * The failed outcome of a command that did not exit 0; `undefined` when it did. `timeoutMinutes`
 * is named in the timeout message.
 */
export function commandFailure(
  ended: ProcessOutcome,
  tail: readonly string[],
  timeoutMinutes: number | undefined,
): FailedOutcome | undefined {
  switch (ended.kind) {
    case 'exited':
      return ended.code === 0
        ? undefined
        : {
            kind: 'failed',
            code: 'command-failed',
            message: `the command exited with code ${ended.code}${lastLines(tail)}`,
          };
    case 'signaled':
      return {
        kind: 'failed',
        code: 'command-failed',
        message: `the command was killed by ${ended.signal}${lastLines(tail)}`,
      };
    case 'timed-out':
      return {
        kind: 'failed',
        code: 'timeout',
        message: `the command ran longer than timeout_minutes (${timeoutMinutes ?? '?'}) and was stopped${lastLines(tail)}`,
      };
    case 'cancelled':
      return {
        kind: 'failed',
        code: 'cancelled',
        message: 'the step was stopped; so was its command',
      };
    case 'spawn-failed':
      return {
        kind: 'failed',
        code: 'command-failed',
        message: `the command could not start: ${ended.message}`,
      };
    default: {
      const unreachable: never = ended;
      return unreachable;
    }
  }
}

/** `\n` plus the last lines, indented, for a failure message; empty when there are none. */
function lastLines(tail: readonly string[]): string {
  if (tail.length === 0) return '';
  const shown = tail.map((l) =>
    l.length > TAIL_LINE_CHARS ? `${l.slice(0, TAIL_LINE_CHARS)}…` : l,
  );
  return `; last lines:\n  ${shown.join('\n  ')}`;
}

function refused(message: string): CommandRun {
  return { kind: 'refused', outcome: { kind: 'failed', code: 'workspace', message } };
}

async function workingDirectory(
  root: string,
  relative: string | undefined,
): Promise<WorkspacePathResult> {
  if (relative === undefined) return { ok: true, path: root };
  const lexical = workspacePath(root, root, relative, 'working_directory');
  if (!lexical.ok) return lexical;
  return realWorkspacePath(
    root,
    lexical.path,
    'directory',
    `working_directory ${JSON.stringify(relative)}`,
  );
}

async function readOutput(file: string): Promise<{ text: string } | { tooLarge: number }> {
  const { size } = await stat(file);
  if (size > MAX_OUTPUT_FILE_BYTES) return { tooLarge: size };
  return { text: await readFile(file, 'utf8') };
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.replaceAll(secret, '[REDACTED]');
  return out;
}

function displayDir(root: string, cwd: string): string {
  return cwd === root ? 'the repository root' : cwd.slice(root.length + 1);
}
