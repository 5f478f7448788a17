// The resource graph: DependsOn plus the implicit edges of Ref, Fn::GetAtt and Fn::Sub; cycles.
import { validationError } from '../cfn-errors.js';
import { asFunction, parseSub, splitAttribute } from './functions.js';
import { getAttTarget, subString } from './template-references.js';
import type { Template, TemplateValue } from './template-types.js';

/** Logical id → the logical ids it depends on. */
export type DependencyGraph = Map<string, Set<string>>;

/**
 * Resource names `value` refers to. With `conditions`, only the taken branch of each `Fn::If`
 * counts (what CloudFormation waits for at run time); without, every branch does.
 */
export function referencedResources(
  value: TemplateValue,
  resources: Readonly<Record<string, unknown>>,
  conditions?: Readonly<Record<string, boolean>>,
  locals: ReadonlySet<string> = new Set(),
  out: Set<string> = new Set(),
): Set<string> {
  if (value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    for (const item of value) referencedResources(item, resources, conditions, locals, out);
    return out;
  }
  const call = asFunction(value);
  if (!call || call.name === 'Condition') {
    for (const child of Object.values(value)) {
      referencedResources(child, resources, conditions, locals, out);
    }
    return out;
  }
  const { name, arg } = call;
  if (name === 'Ref') {
    if (typeof arg === 'string' && Object.hasOwn(resources, arg)) out.add(arg);
    return out;
  }
  if (name === 'Fn::GetAtt') {
    const target = getAttTarget(arg);
    if (Object.hasOwn(resources, target.resource)) out.add(target.resource);
    referencedResources(target.attribute, resources, conditions, locals, out);
    return out;
  }
  if (name === 'Fn::Sub') {
    let inner = locals;
    if (Array.isArray(arg) && arg.length === 2) {
      const vars = arg[1];
      if (vars !== null && vars !== undefined && typeof vars === 'object' && !Array.isArray(vars)) {
        inner = new Set([...locals, ...Object.keys(vars)]);
        for (const local of Object.values(vars)) {
          referencedResources(local, resources, conditions, locals, out);
        }
      }
    }
    const text = subString(arg);
    for (const part of text === undefined ? [] : parseSub(text)) {
      if (part.kind !== 'var' || inner.has(part.name)) continue;
      const target = splitAttribute(part.name)?.[0] ?? part.name;
      if (Object.hasOwn(resources, target)) out.add(target);
    }
    return out;
  }
  if (name === 'Fn::If' && conditions && Array.isArray(arg) && typeof arg[0] === 'string') {
    const branch = conditions[arg[0]] === true ? arg[1] : arg[2];
    if (branch !== undefined) referencedResources(branch, resources, conditions, locals, out);
    return out;
  }
  return referencedResources(arg, resources, conditions, locals, out);
}

/** Every edge of the template (all branches), for cycle detection. */
export function staticGraph(template: Template): DependencyGraph {
  const graph: DependencyGraph = new Map();
  for (const [id, decl] of Object.entries(template.Resources)) {
    const deps = referencedResources(decl.Properties, template.Resources);
    for (const dep of decl.DependsOn) deps.add(dep);
    graph.set(id, deps);
  }
  return graph;
}

/** The edges among the resources that exist under `conditions`. */
export function activeGraph(
  template: Template,
  active: ReadonlySet<string>,
  conditions: Readonly<Record<string, boolean>>,
): DependencyGraph {
  const graph: DependencyGraph = new Map();
  for (const id of active) {
    const decl = template.Resources[id];
    if (!decl) continue;
    const deps = referencedResources(decl.Properties, template.Resources, conditions);
    for (const dep of decl.DependsOn) deps.add(dep);
    graph.set(id, new Set([...deps].filter((dep) => active.has(dep) && dep !== id)));
  }
  return graph;
}

/** Resources in an order where each comes after its dependencies; throws on a cycle. */
export function topologicalOrder(graph: DependencyGraph): string[] {
  const remaining = new Map([...graph].map(([id, deps]) => [id, new Set(deps)]));
  const order: string[] = [];
  let progressed = true;
  while (remaining.size > 0 && progressed) {
    progressed = false;
    for (const [id, deps] of remaining) {
      if ([...deps].every((dep) => !remaining.has(dep))) {
        order.push(id);
        remaining.delete(id);
        progressed = true;
      }
    }
  }
  if (remaining.size > 0) {
    // Drop what merely depends on a cycle, so the message names the cycle's members.
    let pruned = true;
    while (pruned) {
      pruned = false;
      for (const id of remaining.keys()) {
        const needed = [...remaining.values()].some((deps) => deps.has(id));
        if (!needed) {
          remaining.delete(id);
          pruned = true;
        }
      }
    }
    throw validationError(
      `Circular dependency between resources: [${[...remaining.keys()].join(', ')}]`,
    );
  }
  return order;
}
