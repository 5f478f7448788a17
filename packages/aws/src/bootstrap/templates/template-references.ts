/** Checks that a template only points at things it defines, before CloudFormation is asked. */
import type { CfnTemplate } from './cfn-template.js';

/**
 * Every problem with the template's internal references, empty when there is none:
 * `Ref` to an unknown parameter or resource (pseudo parameters `AWS::…` are always known),
 * `Fn::GetAtt` on an unknown resource, an unknown condition named by a resource, output, `Fn::If`
 * or `{ Condition }`, and a reference to a conditional resource outside a place where its
 * condition is known to hold (CloudFormation rejects those when the condition is false).
 */
export function checkTemplateReferences(template: CfnTemplate): string[] {
  const problems: string[] = [];
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const resources = template.Resources;
  const checkCondition = (name: unknown, where: string): void => {
    if (typeof name !== 'string' || !conditions.has(name)) {
      problems.push(`${where}: unknown condition ${JSON.stringify(name)}`);
    }
  };
  const checkResource = (name: string, holding: ReadonlySet<string>, where: string): void => {
    const resource = resources[name];
    if (resource === undefined) {
      problems.push(`${where}: unknown resource ${JSON.stringify(name)}`);
    } else if (resource.Condition !== undefined && !holding.has(resource.Condition)) {
      problems.push(
        `${where}: ${name} exists only when ${resource.Condition} holds, which is not known here`,
      );
    }
  };
  const walk = (value: unknown, holding: ReadonlySet<string>, where: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, k) => walk(item, holding, `${where}[${k}]`));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const entries: [string, unknown][] = Object.entries(value);
    const [first] = entries;
    if (entries.length === 1 && first !== undefined) {
      const [key, arg] = first;
      if (key === 'Ref') {
        if (typeof arg !== 'string') problems.push(`${where}: Ref needs a name`);
        else if (!arg.startsWith('AWS::') && !parameters.has(arg))
          checkResource(arg, holding, where);
        return;
      }
      if (key === 'Fn::GetAtt') {
        const target: unknown = Array.isArray(arg)
          ? (arg as unknown[])[0]
          : typeof arg === 'string'
            ? arg.split('.')[0]
            : undefined;
        if (typeof target !== 'string') problems.push(`${where}: Fn::GetAtt needs a resource`);
        else checkResource(target, holding, where);
        return;
      }
      if (key === 'Fn::If') {
        const [condition, whenTrue, whenFalse] = Array.isArray(arg) ? (arg as unknown[]) : [];
        checkCondition(condition, where);
        const holds = typeof condition === 'string' ? new Set([...holding, condition]) : holding;
        walk(whenTrue, holds, `${where}.Fn::If[1]`);
        walk(whenFalse, holding, `${where}.Fn::If[2]`);
        return;
      }
      if (key === 'Condition') {
        checkCondition(arg, where);
        return;
      }
    }
    for (const [key, item] of entries) walk(item, holding, `${where}.${key}`);
  };
  for (const [name, condition] of Object.entries(template.Conditions ?? {})) {
    walk(condition, new Set(), `Conditions.${name}`);
  }
  for (const [name, resource] of Object.entries(resources)) {
    const holding = new Set<string>();
    if (resource.Condition !== undefined) {
      checkCondition(resource.Condition, `Resources.${name}.Condition`);
      holding.add(resource.Condition);
    }
    walk(resource.Properties, holding, `Resources.${name}.Properties`);
  }
  for (const [name, output] of Object.entries(template.Outputs)) {
    walk(output.Value, new Set(), `Outputs.${name}.Value`);
  }
  return problems;
}
