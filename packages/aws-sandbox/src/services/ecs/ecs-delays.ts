// The emulated durations ECS uses, each overridable through the sandbox's `delays` option.
import type { SandboxRuntime } from '../../framework/runtime.js';

/** How long a task takes from RunTask (or its launch by a service) to RUNNING. */
export const TASK_START_DELAY = 'ecs.task-start';
/** How long a task running an unhealthy image runs before health checks fail it. */
export const HEALTH_CHECK_DELAY = 'ecs.health-check-failure';

/** Defaults: 0 would be unrealistic (a rollout must be observable in progress). */
const DEFAULTS: Record<string, number> = {
  [TASK_START_DELAY]: 5_000,
  [HEALTH_CHECK_DELAY]: 30_000,
};

/** A delay in ms: the configured value, or the default when unset (or 0). */
export function ecsDelay(runtime: SandboxRuntime, name: string): number {
  return runtime.delayMs(name) || (DEFAULTS[name] ?? 0);
}
