// The server's check of a revision before it is deployed: every `CUSTOM:` step must be a type a
// step registry provides, with params its JSON Schema accepts. Values the plan cannot know yet
// (`[OUTPUT:…]`, `[SECRET:…]` markers) are left to the check made when the step runs.
import { isDeferred, type Diagnostic, type PipelineModel } from '@rampart/core';
import type { DeploymentPlan, StepExecutor } from '@rampart/engine';

/**
 * Diagnostics (errors, at the step's position in the pipeline file) for the `CUSTOM:` steps of
 * `plan` that no executor serves or whose params do not match, in file order. One diagnostic per
 * distinct problem, however many stages share it.
 */
export function plannedCustomStepDiagnostics(
  model: PipelineModel,
  plan: DeploymentPlan,
  executorOf: (type: string) => StepExecutor | undefined,
  knownTypes: () => readonly string[],
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const add = (diagnostic: Diagnostic) => {
    const key = `${diagnostic.line}:${diagnostic.column}:${diagnostic.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    diagnostics.push(diagnostic);
  };
  for (const stage of plan.stages) {
    for (const step of stage.steps) {
      if (step.skipped || !step.type.startsWith('CUSTOM:')) continue;
      const stepPath = model.steps.find((s) => s.key === step.key)?.path ?? ['pipeline', 'steps'];
      const executor = executorOf(step.type);
      if (executor === undefined) {
        const custom = knownTypes().filter((t) => t.startsWith('CUSTOM:'));
        add({
          code: 'STEP_TYPE_UNKNOWN',
          severity: 'error',
          message: `step "${step.name}": no step registry of this control plane provides ${step.type} (custom types here: ${custom.join(', ') || 'none'})`,
          ...model.positions.locate([...stepPath, 'type']),
          hint: 'Add the registry that provides it to step_registries in the server configuration, or correct the type.',
        });
        continue;
      }
      const parsed = executor.paramsSchema.safeParse(step.params);
      if (parsed.success) continue;
      for (const issue of parsed.error.issues) {
        const path = issue.path.filter(
          (p): p is string | number => typeof p === 'string' || typeof p === 'number',
        );
        if (throughDeferred(step.params, path)) continue;
        add({
          code: 'STEP_PARAMS_INVALID',
          severity: 'error',
          message: `step "${step.name}" (${step.type}): ${['params', ...path].join('.')} ${issue.message}`,
          ...model.positions.locate([...stepPath, 'params', ...path]),
          hint: `Fix the param to match the JSON Schema ${step.type}'s registry gives (docs/custom-steps.md).`,
        });
      }
    }
  }
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Whether the value at `path`, or one on the way to it, is not known until the step runs. */
function throughDeferred(root: unknown, path: readonly (string | number)[]): boolean {
  let value = root;
  for (const part of path) {
    if (isDeferred(value)) return true;
    if (typeof value !== 'object' || value === null) return false;
    value = (value as Record<string | number, unknown>)[part];
  }
  return isDeferred(value);
}
