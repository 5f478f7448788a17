/** Where identity code reads the time: token timestamps and key retirement. Tests pass a manual clock. */

/** A time source; `{ now(): Date }`, the same shape as the sandbox's and the engine's clocks. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };
