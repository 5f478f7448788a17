// A custom step type (`CUSTOM:<NAME>`) served by a step registry: each call of the step runs the
// registry's program once with `{"job":"EXECUTE",…}` and turns its result into the engine's
// outcome: approval and polling are the engine's own waiting states.
import {
  defineStepExecutor,
  type JsonObject,
  type StepContext,
  type StepExecutor,
  type StepOutcome,
} from '@rampart/engine';
import { commandEnvironment, defaultBaseEnvironment } from '../command/command-environment.js';
import type { CustomStepDefinition } from './registry-metadata.js';
import { runStepProgram, type StepProgramOutcome } from './step-program.js';

/** Where the program asking for approval left its context, until the approval comes. */
export const APPROVAL_CONTEXT_KEY = 'customStep.approvalContext';

/** Options of {@link createCustomStepExecutor}. */
export interface CustomStepExecutorOptions {
  /** The registry: its built folder and how it is named in messages. */
  registry: { dir: string; source: string };
  step: CustomStepDefinition;
  /** PATH, LANG and whatever else every program gets. @default the server's PATH and LANG=C.UTF-8 */
  baseEnv?: Record<string, string>;
  /** Sets `AWS_ENDPOINT_URL` (the sandbox). @default absent: programs talk to real AWS */
  endpointUrl?: string;
  /** How npm is started. @default 'npm' */
  npmCommand?: string;
  /** Time between SIGTERM and SIGKILL when a program is stopped. @default 10000 */
  killGraceMs?: number;
  /**
   * Wall-clock limit of one call; the step's own `timeout_minutes` (the engine's) bounds the
   * whole step. @default none
   */
  callTimeoutMs?: number;
  /** How often the log directory is read while the program runs. @default 250 */
  logIntervalMs?: number;
}

/** The executor of one step type of a registry. */
export function createCustomStepExecutor(
  options: CustomStepExecutorOptions,
): StepExecutor<JsonObject> {
  const { step, registry } = options;
  return defineStepExecutor<JsonObject>({
    type: step.type,
    paramsSchema: step.params,
    // What a program calls cannot be known; the stage role grants it through
    // aws_additional_iam_policies, as for SCRIPT:RUN.
    iamActions: () => [],
    async execute(ctx) {
      const input = await executeInput(ctx, step.name);
      const credentials = await ctx.credentials();
      const env = commandEnvironment({
        base: options.baseEnv ?? defaultBaseEnvironment(),
        env: {},
        home: '',
        credentials,
        region: ctx.target.region,
        ...(options.endpointUrl === undefined ? {} : { endpointUrl: options.endpointUrl }),
        deployment: ctx.deployment,
        pipelineSlug: ctx.target.pipelineSlug,
        stage: ctx.target.stage,
      });
      ctx.log(
        `running ${step.type} (call ${ctx.call}) from step registry ${registry.source}`,
        'info',
      );
      const outcome = await runStepProgram({
        dir: registry.dir,
        input,
        // Stable across the calls of one attempt: a program can key its own state on it.
        executionId: ctx.journalKey,
        env,
        signal: ctx.signal,
        secrets: [credentials.secretAccessKey, credentials.sessionToken ?? ''],
        onLog: (line) => ctx.log(line.text, line.stream),
        ...(options.npmCommand === undefined ? {} : { npmCommand: options.npmCommand }),
        ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
        ...(options.callTimeoutMs === undefined ? {} : { timeoutMs: options.callTimeoutMs }),
        ...(options.logIntervalMs === undefined ? {} : { logIntervalMs: options.logIntervalMs }),
      });
      return toStepOutcome(ctx, outcome);
    },
  });
}

/** The `--input` of one call: the approval context after an approval, the polling state after a poll. */
async function executeInput(ctx: StepContext<JsonObject>, name: string): Promise<JsonObject> {
  const input: JsonObject = { job: 'EXECUTE', type: name, params: ctx.params };
  if (ctx.approval !== undefined) {
    const journal = await ctx.effects.get();
    input.approvalContext = journal[APPROVAL_CONTEXT_KEY] ?? null;
  }
  if (ctx.pollingState !== undefined) input.pollingState = ctx.pollingState;
  return input;
}

async function toStepOutcome(
  ctx: StepContext<JsonObject>,
  outcome: StepProgramOutcome,
): Promise<StepOutcome> {
  if (outcome.kind === 'failed') {
    return { kind: 'failed', code: outcome.code, message: outcome.message };
  }
  const { result } = outcome;
  switch (result.status) {
    case 'SUCCESS':
      return { kind: 'succeeded', outputs: result.outputs };
    case 'FAILED':
      return { kind: 'failed', code: 'step-failed', message: result.error };
    case 'APPROVAL_REQUIRED':
      // The engine keeps only the message; the context goes back to the program once approved.
      await ctx.effects.put(APPROVAL_CONTEXT_KEY, result.approvalContext);
      ctx.log(`waiting for approval: ${result.message}`, 'info');
      return { kind: 'approval-required', message: result.message };
    case 'TRIGGERED':
    case 'POLL_AGAIN':
      ctx.log(
        `${result.status === 'TRIGGERED' ? 'started' : 'not done yet'}; calling again in ${result.retryAfterMs} ms`,
        'info',
      );
      return {
        kind: 'poll-again',
        afterMs: result.retryAfterMs,
        pollingState: result.pollingState,
      };
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}
