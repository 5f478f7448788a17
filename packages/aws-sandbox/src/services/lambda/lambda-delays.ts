// Lambda's emulated durations, configurable through `startSandbox({ delays })`.
import type { SandboxRuntime } from '../../framework/runtime.js';

/** `lambda.create`: how long a new function stays `Pending`. */
export const CREATE_DELAY = 'lambda.create';
/** `lambda.update`: how long `LastUpdateStatus` stays `InProgress` after an update. */
export const UPDATE_DELAY = 'lambda.update';

/** Defaults close to what AWS takes for small zip functions. */
const DEFAULTS: Readonly<Record<string, number>> = {
  [CREATE_DELAY]: 1000,
  [UPDATE_DELAY]: 2000,
};

/** The ISO time `delay` after `now`. */
export function afterDelay(runtime: SandboxRuntime, delay: string, now: Date): string {
  return new Date(now.getTime() + runtime.delayMs(delay, DEFAULTS[delay] ?? 0)).toISOString();
}
