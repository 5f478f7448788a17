/** A clock tests move by hand. */
import type { StoreClock } from '../clock.js';

/** A {@link StoreClock} that stands still until told otherwise. */
export class ManualClock implements StoreClock {
  #ms: number;

  constructor(start = '2030-01-01T00:00:00.000Z') {
    this.#ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#ms);
  }

  /** The current time as ISO text. */
  iso(): string {
    return this.now().toISOString();
  }

  advance(ms: number): void {
    this.#ms += ms;
  }
}
