/**
 * An import's wait for its source: look, and while it is not there wait `pollIntervalMs` on the
 * clock and look again, until `timeout_minutes` have passed on that clock. Tests pass a manual
 * clock, so a 30-minute wait takes no time.
 */
import type { Clock } from '@rampart/engine';
import type { BuildContext } from './build-context.js';

/** Default time between two looks at a missing source. */
export const DEFAULT_POLL_INTERVAL_MS = 15_000;

/** The wall clock, with timers. */
export const systemClock: Clock = {
  now: () => new Date(),
  waitUntil: (at, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, at.getTime() - Date.now()));
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/**
 * Calls `look` until it returns a value, waiting between calls; undefined when `timeoutMinutes`
 * passed first (`look` is called once more at the deadline). Without a timeout `look` is called
 * once.
 */
export async function waitForSource<T>(
  context: BuildContext,
  what: string,
  timeoutMinutes: number | undefined,
  look: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const clock = context.options.clock ?? systemClock;
  const interval = context.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const deadline = clock.now().getTime() + (timeoutMinutes ?? 0) * 60_000;
  let announced = false;
  for (;;) {
    context.throwIfCancelled();
    const found = await look();
    if (found !== undefined) return found;
    const now = clock.now().getTime();
    if (now >= deadline) return undefined;
    if (!announced) {
      context.log.write(
        `${what} does not exist yet; looking again every ${Math.round(interval / 1000)} s for up to ${timeoutMinutes} min`,
      );
      announced = true;
    }
    await clock.waitUntil(new Date(Math.min(deadline, now + interval)), context.request.signal);
  }
}
