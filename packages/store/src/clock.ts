/** Where the store reads the time: default due times, commit times, token use. Tests pass a manual clock. */

/** A time source; `{ now(): Date }`, the same shape as the engine's and identity's clocks. */
export interface StoreClock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: StoreClock = { now: () => new Date() };
