/**
 * The one interface every step type registers through: its params schema, the IAM actions it
 * needs, how to run it and (optionally) how to restore an earlier revision. The engine calls it
 * with a context that carries everything a step may touch: no step reaches a global.
 */
import type { JsonValue } from './engine-store.js';
import type { JsonObject } from '../model/deployment-plan.js';
import type { StageTarget } from '../model/pipeline-state.js';
import type { ApprovalGrant } from '../decide/commands.js';
import type { StepOutcome } from '../decide/inputs.js';
import type { StageCredentials } from './credentials-provider.js';

export interface ParamsIssue {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * A params schema: any zod schema fits (`z.strictObject({...})`, or core's
 * `STEP_TYPES[id].params`); only `safeParse` is used, so the engine needs no zod of its own.
 */
export interface ParamsSchema<P> {
  safeParse(
    input: unknown,
  ): { success: true; data: P } | { success: false; error: { issues: readonly ParamsIssue[] } };
}

/**
 * What a step did in the world, keyed by the step attempt (`journalKey`). Write before and after
 * each external effect; on a re-run after a crash, read it and resume instead of repeating.
 */
export interface EffectJournal {
  get(): Promise<Record<string, JsonValue>>;
  put(name: string, value: JsonValue): Promise<void>;
}

/** What both `execute` and `rollback` get. */
export interface StepRunContext {
  /** This call's command id. */
  commandId: string;
  /** Stable across the calls and re-runs of one step attempt: use it as the idempotency key. */
  journalKey: string;
  target: StageTarget;
  vars: JsonObject;
  step: { name: string; type: string };
  /** Aborts on cancel, timeout, a lost lease or shutdown; stop and return (or throw) promptly. */
  signal: AbortSignal;
  /** The stage role's short-lived credentials. */
  credentials(): Promise<StageCredentials>;
  log(text: string, stream?: 'stdout' | 'stderr' | 'info'): void;
  effects: EffectJournal;
  /** The engine clock. */
  now(): Date;
}

export interface StepContext<P> extends StepRunContext {
  params: P;
  deployment: { id: string; revision: number; commitSha: string };
  step: { name: string; key: string; type: string };
  /** The stage run (1 first, +1 per retry). */
  attempt: number;
  /** 1 on the first call; later calls follow an approval or a `poll-again`. */
  call: number;
  /** Set on the call after a person approved what the step asked to be approved. */
  approval?: ApprovalGrant;
  /** What the previous call returned with `poll-again`. */
  pollingState?: JsonValue;
}

export interface RollbackContext<P> extends StepRunContext {
  rollbackId: string;
  /** The revision being restored. */
  toRevision: number;
  /** That revision's params for the step, parsed; absent when it did not have the step. */
  targetParams?: P;
  /** The step's outputs when that revision deployed it (`task_definition_arn`, …). */
  targetOutputs?: JsonObject;
  /** The step's outputs in the revision being rolled back (`previous_task_definition_arn`, …). */
  failedOutputs?: JsonObject;
}

export type RollbackOutcome =
  { kind: 'succeeded'; outputs: JsonObject } | { kind: 'failed'; message: string };

/**
 * A step type. Methods (not function properties) on purpose: an executor of specific params is
 * then accepted wherever `StepExecutor<unknown>` is expected.
 */
export interface StepExecutor<P = unknown> {
  /** Canonical id: `RAMPART:<GROUP>:<NAME>` or `CUSTOM:<NAME>`. */
  type: string;
  paramsSchema: ParamsSchema<P>;
  /** IAM actions the stage role needs to run (and roll back) the step with these params. */
  iamActions(params: P): string[];
  /**
   * Runs one call. A thrown error counts as `failed` with its message; after an abort the result
   * is not used.
   */
  execute(ctx: StepContext<P>): Promise<StepOutcome>;
  /**
   * Restores the step to `ctx.toRevision`. Without it, a rollback re-runs `execute` with the
   * restored revision's params (or does nothing when that revision lacked the step).
   */
  rollback?(ctx: RollbackContext<P>): Promise<RollbackOutcome>;
}

/** Declares an executor, inferring `P` from its schema. */
export function defineStepExecutor<P>(executor: StepExecutor<P>): StepExecutor<P> {
  return executor;
}
