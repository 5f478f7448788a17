/** Where AWS adapters read the time: credential expiry. Tests pass a manual clock. */

/** A time source; the same `{ now(): Date }` shape as the identity and sandbox clocks. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };
