// Evaluates the Conditions section once parameters are known (conditions may use each other).
import { templateError } from '../cfn-errors.js';
import { resolveCondition, type ResolveScope } from './intrinsics.js';
import type { Template } from './template-types.js';

/** The scope conditions are evaluated in: everything but resources and exports. */
export type ConditionScope = Omit<
  ResolveScope,
  'condition' | 'resourceRef' | 'resourceAttribute' | 'importValue'
>;

/** Every condition's value. */
export function evaluateConditions(
  template: Template,
  base: ConditionScope,
): Record<string, boolean> {
  const values: Record<string, boolean> = {};
  const evaluating = new Set<string>();
  const scope: ResolveScope = {
    ...base,
    condition(name: string): boolean {
      const known = values[name];
      if (known !== undefined) return known;
      const expression = template.Conditions[name];
      if (expression === undefined) throw templateError(`unresolved condition dependency ${name}`);
      if (evaluating.has(name)) {
        throw templateError(
          `Circular dependency between conditions: [${[...evaluating, name].join(', ')}]`,
        );
      }
      evaluating.add(name);
      const value = resolveCondition(expression, scope, name);
      evaluating.delete(name);
      values[name] = value;
      return value;
    },
    resourceRef(logicalId) {
      throw templateError(
        `Cannot reference resource ${logicalId} in the Conditions block of the template`,
      );
    },
    resourceAttribute(logicalId) {
      throw templateError(
        `Cannot reference resource ${logicalId} in the Conditions block of the template`,
      );
    },
    importValue() {
      throw templateError('Fn::ImportValue cannot be used in the Conditions block of the template');
    },
  };
  for (const name of Object.keys(template.Conditions)) scope.condition(name);
  return values;
}
