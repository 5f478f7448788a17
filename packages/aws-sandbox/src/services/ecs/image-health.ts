// The health model as ECS sees it: a task is unhealthy from the moment one of its images'
// digests was marked unhealthy (`control.markUnhealthy({ imageDigest })`), never before, so
// marking a digest does not rewrite what already happened.
import type { SandboxRuntime } from '../../framework/runtime.js';
import type { EcsTask } from './ecs-state.js';

/** Epoch ms from which the task's images count as unhealthy, or undefined when they do not. */
export function unhealthySince(runtime: SandboxRuntime, task: EcsTask): number | undefined {
  const digests = new Set(task.containers.flatMap((container) => container.imageDigest ?? []));
  let since: number | undefined;
  for (const mark of runtime.state.health.unhealthy) {
    if (mark.subject !== 'image-digest' || !digests.has(mark.value)) continue;
    const at = Date.parse(mark.since);
    if (since === undefined || at < since) since = at;
  }
  return since;
}

/** Whether the task's images are unhealthy at `at`. */
export function isUnhealthyAt(runtime: SandboxRuntime, task: EcsTask, at: number): boolean {
  const since = unhealthySince(runtime, task);
  return since !== undefined && since <= at;
}
