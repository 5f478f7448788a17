/** A clock tests move by hand: waits resolve when the clock is advanced past them, never on their own. */
import type { Clock } from '../ports/clock.js';

interface Waiter {
  at: number;
  resolve: () => void;
}

export class ManualClock implements Clock {
  private ms: number;
  private waiters: Waiter[] = [];

  constructor(start: string | Date = '2026-01-05T12:00:00.000Z') {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  waitUntil(at: Date, signal?: AbortSignal): Promise<void> {
    if (at.getTime() <= this.ms || signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = () => waiter.resolve();
      const waiter: Waiter = {
        at: at.getTime(),
        resolve: () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          // A long-lived signal (a runtime's stop signal) must not collect one listener per wait.
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves the clock forward and wakes every wait that is due. */
  advance(ms: number): void {
    this.set(new Date(this.ms + ms));
  }

  /** Moves the clock to `at` (never backwards) and wakes every wait that is due. */
  set(at: string | Date): void {
    const target = new Date(at).getTime();
    if (target < this.ms)
      throw new Error(`ManualClock cannot go back from ${this.now().toISOString()}`);
    this.ms = target;
    for (const waiter of [...this.waiters]) if (waiter.at <= this.ms) waiter.resolve();
  }

  /** How many waits are pending (a test can check nothing leaks). */
  get pending(): number {
    return this.waiters.length;
  }
}
