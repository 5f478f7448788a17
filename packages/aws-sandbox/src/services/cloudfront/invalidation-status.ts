// An invalidation is InProgress until the emulated delay has passed on the sandbox clock.
import type { SandboxRuntime } from '../../framework/runtime.js';
import {
  DEFAULT_INVALIDATION_DELAY_MS,
  INVALIDATION_DELAY,
  type InvalidationRecord,
} from './cloudfront-state.js';

/** `InProgress` or `Completed`, computed from the creation time (no background work). */
export function invalidationStatus(
  runtime: SandboxRuntime,
  invalidation: InvalidationRecord,
): 'InProgress' | 'Completed' {
  const delay = runtime.delayMs(INVALIDATION_DELAY, DEFAULT_INVALIDATION_DELAY_MS);
  const done = new Date(invalidation.createTime).getTime() + delay;
  return runtime.clock.now().getTime() >= done ? 'Completed' : 'InProgress';
}
