/**
 * Step executors for tests: honest, journal-using implementations whose behaviour per step name
 * a test chooses (succeed, fail, hang until aborted, wait for a gate, ask for approval, poll).
 */
import { STEP_TYPES, type StepTypeId } from '@rampart/core';
import type { JsonValue } from '../ports/engine-store.js';
import type { JsonObject } from '../model/deployment-plan.js';
import type { ParamsSchema, StepContext, StepExecutor } from '../ports/step-executor.js';
import type { StepOutcome } from '../decide/inputs.js';
import type { FakeCloud } from './fake-cloud.js';

export type FakeBehavior =
  | { kind: 'succeed'; outputs?: JsonObject }
  | { kind: 'fail'; message: string }
  /** Runs until aborted (cancel, timeout), then throws. */
  | { kind: 'hang' }
  /** Waits until the test calls `release(step)`. */
  | { kind: 'gate'; outputs?: JsonObject }
  /** Asks for approval on the first call, succeeds once approved. */
  | { kind: 'approval'; message: string }
  /** Answers poll-again `times` times, then succeeds. */
  | { kind: 'poll'; times: number; afterMs: number };

/** The behaviour book and call log shared by the fake executors of one test. */
export class FakeSteps {
  readonly calls: { key: string; step: string; stage: string; call: number; params: unknown }[] =
    [];
  readonly rollbacks: {
    key: string;
    step: string;
    stage: string;
    toRevision: number;
    targetParams: unknown;
    failedOutputs: unknown;
  }[] = [];
  /** When true, rollbacks wait until the test calls `release('rollback')`. */
  holdRollbacks = false;
  /** When set, every rollback fails with this message. */
  failRollbacksWith: string | undefined;
  private readonly behaviors = new Map<string, FakeBehavior>();
  private readonly gates = new Map<string, () => void>();
  private readonly gateWaits = new Map<string, Promise<void>>();

  constructor(readonly cloud: FakeCloud) {}

  /** How `step` behaves (in every stage); `succeed` unless told. */
  behave(step: string, behavior: FakeBehavior): void {
    this.behaviors.set(step, behavior);
  }

  behaviorOf(step: string): FakeBehavior {
    return this.behaviors.get(step) ?? { kind: 'succeed' };
  }

  /** Lets a gated step finish. */
  release(step: string): void {
    void this.gateWait(step);
    this.gates.get(step)?.();
  }

  gateWait(step: string): Promise<void> {
    let wait = this.gateWaits.get(step);
    if (wait === undefined) {
      wait = new Promise<void>((resolve) => this.gates.set(step, resolve));
      this.gateWaits.set(step, wait);
    }
    return wait;
  }

  /** How many calls each step attempt (journal key) received. */
  callsByKey(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const c of this.calls) counts.set(c.key, (counts.get(c.key) ?? 0) + 1);
    return counts;
  }
}

const anyParams: ParamsSchema<Record<string, unknown>> = {
  safeParse: (input) =>
    input !== null && typeof input === 'object' && !Array.isArray(input)
      ? { success: true, data: input as Record<string, unknown> }
      : { success: false, error: { issues: [{ path: [], message: 'expected an object' }] } },
};

const never = (): Promise<never> => new Promise<never>(() => undefined);

/**
 * A fake executor of `type`, checking params with the catalog schema when the type is built in.
 *
 * @param alive whether the process running it still lives: a killed process changes nothing in
 *   the world (the check and the effect run in one synchronous block, so no continuation of a
 *   dead runtime slips through).
 */
export function fakeExecutor(
  type: string,
  steps: FakeSteps,
  alive: () => boolean = () => true,
): StepExecutor {
  const schema: ParamsSchema<unknown> =
    type in STEP_TYPES ? STEP_TYPES[type as StepTypeId].params : anyParams;
  return {
    type,
    paramsSchema: schema,
    iamActions: () => ['fake:Deploy'],
    execute: (ctx) => execute(steps, ctx, alive),
    rollback: async (ctx) => {
      const journal = await ctx.effects.get();
      const done = journal['restored'];
      if (typeof done === 'string') return { kind: 'succeeded', outputs: { id: done } };
      if (steps.holdRollbacks) await steps.gateWait('rollback');
      if (steps.failRollbacksWith !== undefined)
        return { kind: 'failed', message: steps.failRollbacksWith };
      if (!alive()) return never();
      steps.rollbacks.push({
        key: ctx.journalKey,
        step: ctx.step.name,
        stage: ctx.target.stage,
        toRevision: ctx.toRevision,
        targetParams: ctx.targetParams,
        failedOutputs: ctx.failedOutputs,
      });
      const id = steps.cloud.apply({
        key: ctx.journalKey,
        kind: 'restore',
        stage: ctx.target.stage,
        step: ctx.step.name,
        detail: { toRevision: ctx.toRevision },
      });
      await ctx.effects.put('restored', id);
      return { kind: 'succeeded', outputs: { id } };
    },
  };
}

async function execute(
  steps: FakeSteps,
  ctx: StepContext<unknown>,
  alive: () => boolean,
): Promise<StepOutcome> {
  steps.calls.push({
    key: ctx.journalKey,
    step: ctx.step.name,
    stage: ctx.target.stage,
    call: ctx.call,
    params: ctx.params,
  });
  // A re-run after a crash finds what the first run did and reports it instead of repeating it.
  const journal = await ctx.effects.get();
  const done = journal['deployed'];
  if (typeof done === 'string') return { kind: 'succeeded', outputs: { id: done } };
  const behavior = steps.behaviorOf(ctx.step.name);
  switch (behavior.kind) {
    case 'fail':
      return { kind: 'failed', message: behavior.message };
    case 'hang':
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      throw new Error('aborted');
    case 'gate':
      await Promise.race([
        steps.gateWait(ctx.step.name),
        new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve())),
      ]);
      if (ctx.signal.aborted) throw new Error('aborted');
      break;
    case 'approval':
      if (ctx.approval === undefined)
        return { kind: 'approval-required', message: behavior.message };
      break;
    case 'poll': {
      const seen = typeof ctx.pollingState === 'number' ? ctx.pollingState : 0;
      if (seen < behavior.times)
        return { kind: 'poll-again', afterMs: behavior.afterMs, pollingState: seen + 1 };
      break;
    }
    case 'succeed':
      break;
    default: {
      const unreachable: never = behavior;
      return unreachable;
    }
  }
  if (!alive()) return never();
  const id = steps.cloud.apply({
    key: ctx.journalKey,
    kind: 'deploy',
    stage: ctx.target.stage,
    step: ctx.step.name,
    detail: ctx.params as JsonValue,
  });
  await ctx.effects.put('deployed', id);
  const extra =
    behavior.kind === 'succeed' || behavior.kind === 'gate' ? (behavior.outputs ?? {}) : {};
  return { kind: 'succeeded', outputs: { id, ...extra } };
}
