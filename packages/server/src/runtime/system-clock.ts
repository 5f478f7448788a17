/** The engine's Clock port over the system time, and over a clock that can only tell the time. */
import type { Clock } from '@rampart/engine';

/** Node timers overflow past 2^31 - 1 ms (about 24.8 days); longer waits are taken in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/** A clock that can only tell the time (the identity package's and the sandbox's clocks). */
export interface TimeSource {
  now(): Date;
}

/**
 * Waits until `source` reads `at`, with real timers sized by what `source` says is left. A clock
 * that does not move in real time (a manual test clock) wakes the waiter after the real delay
 * all the same: the engine runtime treats an early wake-up as a reason to look again, not as time
 * having passed.
 */
function waitWithTimers(source: TimeSource, at: Date, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const arm = (): void => {
      const left = at.getTime() - source.now().getTime();
      if (left <= 0) {
        done();
        return;
      }
      const step = Math.min(left, MAX_TIMER_MS);
      timer = setTimeout(step === MAX_TIMER_MS ? arm : done, step);
    };
    signal?.addEventListener('abort', done, { once: true });
    arm();
  });
}

/** The system time, with timers. */
export const systemClock: Clock = {
  now: () => new Date(),
  waitUntil: (at, signal) => waitWithTimers(systemClock, at, signal),
};

/** `clock` as the engine's Clock: itself when it can wait, else its time with real timers. */
export function engineClockOf(clock: TimeSource & Partial<Pick<Clock, 'waitUntil'>>): Clock {
  if (typeof clock.waitUntil === 'function') return clock as Clock;
  return {
    now: () => clock.now(),
    waitUntil: (at, signal) => waitWithTimers(clock, at, signal),
  };
}
