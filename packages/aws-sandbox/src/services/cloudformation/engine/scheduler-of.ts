// The scheduler of a sandbox runtime, kept in its caches: reset and restore clear the caches, and
// with them every operation still running against the previous state.
import type { ActionContext } from '../../../framework/service.js';
import { StackScheduler } from './stack-scheduler.js';

const CACHE_KEY = 'cloudformation.scheduler';

/** The runtime's stack scheduler (created on first use). */
export function schedulerOf(ctx: ActionContext): StackScheduler {
  const cached = ctx.runtime.caches.get(CACHE_KEY);
  if (cached instanceof StackScheduler) return cached;
  const scheduler = new StackScheduler(ctx.clock);
  ctx.runtime.caches.set(CACHE_KEY, scheduler);
  return scheduler;
}
