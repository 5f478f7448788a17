/** Time, as a port: the engine never reads the wall clock, so tests run a 24-hour bake in milliseconds. */

/**
 * A clock with scheduling. The server passes one over the system time; tests pass a manual one
 * they advance by hand.
 */
export interface Clock {
  now(): Date;
  /**
   * Resolves once the clock reads `at` or later (at once when it already does), or as soon as
   * `signal` aborts. Never rejects.
   */
  waitUntil(at: Date, signal?: AbortSignal): Promise<void>;
}
