/** The due times of commands this process wrote, so it wakes for its own timers without polling. */
export class DueTimes {
  private readonly times: number[] = [];

  add(ms: number): void {
    let i = this.times.length;
    while (i > 0 && (this.times[i - 1] ?? 0) > ms) i -= 1;
    if (this.times[i - 1] !== ms) this.times.splice(i, 0, ms);
  }

  /** The earliest due time after `nowMs`; earlier ones are forgotten (they are claimable now). */
  nextAfter(nowMs: number): number | undefined {
    while (this.times.length > 0 && (this.times[0] ?? 0) <= nowMs) this.times.shift();
    return this.times[0];
  }
}
