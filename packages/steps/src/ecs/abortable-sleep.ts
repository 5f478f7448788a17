// The deployer's wait between rollout polls: a real timer that a cancelled step cuts short.
import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`; rejects with an `AbortError` as soon as `signal` aborts. */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, signal === undefined ? {} : { signal });
}
