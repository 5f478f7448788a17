/**
 * A clock that runs in real time from a chosen start and that a test can move forward at once:
 * ECS rollouts and polls take their few real milliseconds, while a bake or a closed window is
 * skipped instead of waited for. The sandbox and the server share one, so signatures, tokens,
 * alarm times and engine timers all read the same time.
 */
import type { Clock } from '@rampart/engine';

interface Waiter {
  at: number;
  timer: NodeJS.Timeout | undefined;
  resolve: () => void;
}

export class SkippableClock implements Clock {
  private offsetMs: number;
  private readonly waiters = new Set<Waiter>();

  constructor(start: string | Date) {
    this.offsetMs = new Date(start).getTime() - Date.now();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  waitUntil(at: Date, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true || at.getTime() <= this.now().getTime()) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        at: at.getTime(),
        timer: undefined,
        resolve: () => {
          if (waiter.timer !== undefined) clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          signal?.removeEventListener('abort', waiter.resolve);
          resolve();
        },
      };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', waiter.resolve, { once: true });
      this.arm(waiter);
    });
  }

  /** Moves the clock `ms` forward and wakes every wait that is due by then. */
  advance(ms: number): void {
    if (ms < 0) throw new Error(`SkippableClock cannot go back ${-ms} ms`);
    this.offsetMs += ms;
    for (const waiter of [...this.waiters]) this.arm(waiter);
  }

  /** Moves the clock to `at` when that is ahead of it. */
  advanceTo(at: string | Date): void {
    const ahead = new Date(at).getTime() - this.now().getTime();
    if (ahead > 0) this.advance(ahead);
  }

  /** (Re)sets the real timer of a waiter to what the clock says is left. */
  private arm(waiter: Waiter): void {
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    const left = waiter.at - this.now().getTime();
    if (left <= 0) {
      waiter.resolve();
      return;
    }
    waiter.timer = setTimeout(() => this.arm(waiter), left);
  }
}
