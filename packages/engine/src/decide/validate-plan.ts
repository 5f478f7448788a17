/** Checks a deployment plan before a deployment is created from it: a bad plan is refused, never half-run. */
import { findCycle, windowStatus } from '@rampart/core';
import type { DeploymentPlan } from '../model/deployment-plan.js';

/** The first problem of `plan`, or `undefined` when it can run. */
export function planProblem(plan: DeploymentPlan, now: Date): string | undefined {
  if (plan.stages.length === 0) return 'the plan has no stages';
  const stageNames = new Set<string>();
  for (const stage of plan.stages) {
    if (stageNames.has(stage.name)) return `stage "${stage.name}" appears twice`;
    stageNames.add(stage.name);
    const index = new Map(stage.steps.map((s, i) => [s.name, i]));
    if (index.size !== stage.steps.length)
      return `stage "${stage.name}" has two steps with one name`;
    const deps: number[][] = [];
    for (const step of stage.steps) {
      const mine: number[] = [];
      for (const name of step.dependsOn) {
        const at = index.get(name);
        if (at === undefined)
          return `step "${step.name}" of stage "${stage.name}" goes after unknown step "${name}"`;
        mine.push(at);
      }
      deps.push(step.skipped ? [] : mine);
    }
    const cycle = findCycle(deps);
    if (cycle !== undefined) {
      const names = cycle.map((i) => stage.steps[i]?.name ?? '?').join(' → ');
      return `the steps of stage "${stage.name}" form a cycle: ${names}`;
    }
    try {
      windowStatus(stage.window, now);
    } catch (error) {
      return `stage "${stage.name}" has an invalid window: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return undefined;
}
