/**
 * Demo time: a clock that runs `speed` times faster than the wall clock, shared by the sandbox and
 * the server so bakes, ECS rollouts, alarm periods and credential lifetimes all agree.
 */
import type { Clock } from '@rampart/engine';

/** Node timers overflow past 2^31 - 1 ms; longer real waits are taken in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Emulated time = start + (real time since start) × speed. It starts at the wall clock's time, so
 * the first emulated minutes look like now and run ahead from there.
 */
export class ScaledClock implements Clock {
  private readonly realStart: number;
  private readonly emulatedStart: number;

  /**
   * @param speed emulated milliseconds per real millisecond (60: one real second is one minute)
   * @param wallClock where real time comes from. @default Date.now
   */
  constructor(
    readonly speed: number,
    private readonly wallClock: () => number = Date.now,
  ) {
    if (!(Number.isFinite(speed) && speed >= 1)) {
      throw new RangeError(`speed must be a finite number of at least 1, not ${speed}`);
    }
    this.realStart = wallClock();
    this.emulatedStart = this.realStart;
  }

  now(): Date {
    return new Date(this.emulatedStart + (this.wallClock() - this.realStart) * this.speed);
  }

  /** Real milliseconds that `emulatedMs` of demo time take. */
  realMs(emulatedMs: number): number {
    return emulatedMs / this.speed;
  }

  /** Waits `emulatedMs` of demo time; resolves early (never rejects) when `signal` aborts. */
  sleep(emulatedMs: number, signal?: AbortSignal): Promise<void> {
    return this.waitUntil(new Date(this.now().getTime() + emulatedMs), signal);
  }

  waitUntil(at: Date, signal?: AbortSignal): Promise<void> {
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
      // Re-measured on every wake-up: a timer that fires a little early just waits the rest.
      const arm = (): void => {
        const left = at.getTime() - this.now().getTime();
        if (left <= 0) {
          done();
          return;
        }
        timer = setTimeout(arm, Math.min(Math.ceil(left / this.speed), MAX_TIMER_MS));
      };
      signal?.addEventListener('abort', done, { once: true });
      arm();
    });
  }
}
