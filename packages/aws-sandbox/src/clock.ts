// Time source for everything time-dependent in the sandbox (signatures, credential expiry, caches).

/** Where the sandbox reads the current time. Tests pass a {@link ManualClock}. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to, so expiry is tested without sleeping. */
export class ManualClock implements Clock {
  private current: number;

  /** @param start the initial time (a Date, an ISO string or epoch milliseconds). */
  constructor(start: Date | string | number) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.current += ms;
  }

  /** Sets the clock to an absolute time. */
  set(to: Date | string | number): void {
    this.current = new Date(to).getTime();
  }
}
