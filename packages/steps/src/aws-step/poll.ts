// Waiting for AWS to finish something: poll, sleep between polls (a timer a cancelled step cuts
// short), and give up at a deadline measured on the engine clock, never on the wall clock.
import type { StepRunContext } from '@rampart/engine';
import { abortableSleep } from '../ecs/abortable-sleep.js';

/** How executors wait between polls. The deadline is measured on the engine clock. */
export interface StepPolling {
  /** Waits between polls; must reject or return promptly once `signal` aborts. @default a real timer */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** @default 5000 */
  intervalMs?: number;
}

/** Thrown when the deadline passes before a poll says done. */
export class PollTimeout extends Error {
  constructor(readonly waitedMs: number) {
    super(`gave up after ${Math.round(waitedMs / 1000)} s`);
    this.name = 'PollTimeout';
  }
}

const DEFAULT_INTERVAL_MS = 5000;

/**
 * Calls `poll` until it returns a value (undefined: not yet), sleeping `intervalMs` between calls; throws
 * {@link PollTimeout} once `timeoutMs` of engine-clock time passed (no limit when absent), and
 * stops as soon as the step's signal aborts.
 */
export async function pollUntil<T>(
  ctx: Pick<StepRunContext, 'now' | 'signal'>,
  polling: StepPolling | undefined,
  poll: () => Promise<T | undefined>,
  timeoutMs?: number,
): Promise<T> {
  const started = ctx.now().getTime();
  const sleep = polling?.sleep ?? abortableSleep;
  const interval = polling?.intervalMs ?? DEFAULT_INTERVAL_MS;
  for (;;) {
    ctx.signal.throwIfAborted();
    const result = await poll();
    if (result !== undefined) return result;
    const waited = ctx.now().getTime() - started;
    if (timeoutMs !== undefined && waited >= timeoutMs) throw new PollTimeout(waited);
    await sleep(interval, ctx.signal);
  }
}
