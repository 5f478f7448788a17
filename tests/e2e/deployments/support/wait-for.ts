/**
 * Bounded waiting for state that another process (the server, the engine) brings about: ask
 * again every few milliseconds until the answer is there, and fail with the last answer seen
 * when it never comes. It waits for state, never for time to pass.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** Real milliseconds before giving up. @default 30000 */
  timeoutMs?: number;
  /** Real milliseconds between two looks. @default 40 */
  everyMs?: number;
}

/**
 * Calls `look` until it returns something other than `undefined`, and returns that. `describe`
 * shows what was awaited and the last thing `look` saw (through `seen`) when it times out.
 */
export async function waitFor<T>(
  what: string,
  look: (seen: (value: unknown) => void) => Promise<T | undefined> | T | undefined,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const everyMs = options.everyMs ?? 40;
  const deadline = performance.now() + timeoutMs;
  let last: unknown = '(nothing seen)';
  const seen = (value: unknown): void => {
    last = value;
  };
  for (;;) {
    const found = await look(seen);
    if (found !== undefined) return found;
    if (performance.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last, null, 1)}`,
      );
    }
    await delay(everyMs);
  }
}
