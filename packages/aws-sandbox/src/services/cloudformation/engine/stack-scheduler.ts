// Runs stack operations in the background on the sandbox clock. Operations wait for virtual due
// times (`at`); every CloudFormation request first `settle()`s, running all work due by now to
// completion, so what a caller observes is exactly the state "as of now" on the sandbox clock.
import type { Clock } from '../../../clock.js';

/** Node's timers take at most a signed 32-bit delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Parked {
  at: number;
  wake: () => void;
}

/** One per sandbox runtime (kept in `runtime.caches`, so reset and restore start afresh). */
export class StackScheduler {
  /** Operation ids with a live background run (the others were orphaned by a restore). */
  readonly live = new Set<string>();
  private parked: Parked[] = [];
  /** Runs that are doing work now (not parked on a future time, not finished). */
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerDelay = Infinity;

  constructor(private readonly clock: Clock) {}

  /** Starts an operation on the next turn of the event loop; `work` must not throw. */
  run(operationId: string, work: () => Promise<void>): void {
    this.active += 1;
    this.live.add(operationId);
    setImmediate(() => {
      work()
        .catch(() => undefined)
        .finally(() => {
          this.live.delete(operationId);
          this.active -= 1;
          this.notifyIdle();
        });
    });
  }

  /**
   * Resolves once the sandbox clock reaches `at` (epoch ms). Due times yield one event-loop turn;
   * future ones park until a `settle()` or the wall-clock timer finds them due.
   */
  async at(at: number): Promise<void> {
    if (at <= this.clock.now().getTime()) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return;
    }
    await new Promise<void>((resolve) => {
      this.parked.push({ at, wake: resolve });
      this.active -= 1;
      this.arm();
      this.notifyIdle();
    });
  }

  /** Runs all work due by the clock's current time until nothing can progress. */
  async settle(): Promise<void> {
    for (;;) {
      this.wakeDue();
      if (this.active === 0) return;
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private wakeDue(): boolean {
    const now = this.clock.now().getTime();
    const due = this.parked.filter((entry) => entry.at <= now).sort((a, b) => a.at - b.at);
    if (due.length === 0) return false;
    this.parked = this.parked.filter((entry) => entry.at > now);
    for (const entry of due) {
      this.active += 1;
      entry.wake();
    }
    return true;
  }

  private notifyIdle(): void {
    if (this.active !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * A wall-clock wake-up for the earliest parked time, so a sandbox on the system clock makes
   * progress without being polled. On a manual clock it fires, finds nothing due and stops.
   */
  private arm(): void {
    if (this.parked.length === 0) return;
    const earliest = Math.min(...this.parked.map((entry) => entry.at));
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, earliest - this.clock.now().getTime()));
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerDelay = delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const before = this.timerDelay;
      this.timerDelay = Infinity;
      this.wakeDue();
      if (this.parked.length === 0) return;
      const next = Math.min(...this.parked.map((entry) => entry.at)) - this.clock.now().getTime();
      // Re-arm only if time moved (a system clock); a manual clock waits for the next settle.
      if (next < before) this.arm();
    }, delay);
    this.timer.unref();
  }
}
