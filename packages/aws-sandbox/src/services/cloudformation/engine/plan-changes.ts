// What an update would do, without doing it: per resource Add / Modify / Remove, which properties
// change, and whether that replaces the resource — for change sets and "No updates are to be
// performed.". Values that depend on resources being added or replaced are `UNKNOWN` (Dynamic).
import type { ActionContext } from '../../../framework/service.js';
import { validationError } from '../cfn-errors.js';
import type { CfnRegionState, ChangeRecord, StackRecord } from '../cfn-state.js';
import { providerFor } from '../resources/provider-registry.js';
import { sameValue } from '../resources/property-readers.js';
import { activeGraph, referencedResources, topologicalOrder } from '../template/dependencies.js';
import { visitCalls } from '../template/template-references.js';
import { hasUnknown } from '../template/intrinsics.js';
import type { TemplateValue } from '../template/template-types.js';
import { exists } from './apply-template.js';
import { resolveOutputs, resolveProperties } from './resolve-stack-values.js';
import type { StackDefinition } from './stack-definition.js';
import { stackScope } from './stack-scope.js';

/** The planned changes, and whether anything at all would change. */
export interface ChangePlan {
  changes: ChangeRecord[];
  hasChanges: boolean;
  /** Export names the new template imports (known ones). */
  imports: string[];
}

function parametersReferenced(value: TemplateValue | undefined): Set<string> {
  const out = new Set<string>();
  if (value === undefined) return out;
  visitCalls(value, (call) => {
    if (call.name === 'Ref' && typeof call.arg === 'string') out.add(call.arg);
    if (call.name === 'Fn::Sub') {
      const text =
        typeof call.arg === 'string' ? call.arg : Array.isArray(call.arg) ? call.arg[0] : undefined;
      for (const match of typeof text === 'string' ? text.matchAll(/\$\{([^!}][^}]*)\}/g) : []) {
        if (match[1] !== undefined) out.add(match[1].trim());
      }
    }
  });
  return out;
}

/** Logical ids in the order the template declares them (how change sets list changes). */
function inTemplateOrder(template: StackDefinition['template'], ids: readonly string[]): string[] {
  const wanted = new Set(ids);
  return Object.keys(template.Resources).filter((id) => wanted.has(id));
}

/** Plans creating a stack: every resource whose condition holds is added. */
export function planCreate(
  ctx: ActionContext,
  state: CfnRegionState,
  stackName: string,
  stackId: string,
  next: StackDefinition,
): ChangePlan {
  const scope = stackScope({
    ctx,
    state,
    stackName,
    stackId,
    notificationArns: next.notificationArns,
    template: next.template,
    parameters: next.parameters,
    resources: () => ({}),
    unknown: () => true,
  });
  const order = topologicalOrder(activeGraph(next.template, scope.active, scope.conditions));
  for (const id of order) {
    const decl = next.template.Resources[id];
    if (decl) resolveProperties(scope.scope, decl, providerFor(decl.Type), next.tags);
  }
  resolveOutputs(scope.scope, next.template);
  return {
    changes: inTemplateOrder(next.template, order).map((id) => ({
      action: 'Add',
      logicalId: id,
      resourceType: next.template.Resources[id]?.Type ?? '',
      scope: [],
      details: [],
    })),
    hasChanges: true,
    imports: [...scope.imported],
  };
}

/** Plans updating `stack` to `next`. Throws `ValidationError` for impossible updates. */
export function planUpdate(
  ctx: ActionContext,
  state: CfnRegionState,
  stack: StackRecord,
  next: StackDefinition,
): ChangePlan {
  const unknown = new Set<string>();
  const scope = stackScope({
    ctx,
    state,
    stackName: stack.stackName,
    stackId: stack.stackId,
    notificationArns: next.notificationArns,
    template: next.template,
    parameters: next.parameters,
    resources: () => stack.resources,
    unknown: (id) => unknown.has(id),
  });
  const retyped = Object.entries(next.template.Resources)
    .filter(([id, decl]) => exists(stack.resources[id]) && stack.resources[id]?.type !== decl.Type)
    .map(([id]) => id);
  if (retyped.length > 0) {
    throw validationError(
      `Update of resource type is not permitted. The new template modifies resource type of the following resources: [${retyped.join(', ')}]`,
    );
  }
  const changedParameters = new Set(
    next.parameters
      .filter(
        (param) => stack.parameters.find((old) => old.key === param.key)?.value !== param.value,
      )
      .map((param) => param.key),
  );
  const changes: ChangeRecord[] = [];
  const order = topologicalOrder(activeGraph(next.template, scope.active, scope.conditions));
  for (const id of order) {
    const decl = next.template.Resources[id];
    if (!decl) continue;
    const provider = providerFor(decl.Type);
    const before = stack.resources[id];
    const props = resolveProperties(scope.scope, decl, provider, next.tags);
    if (!exists(before)) {
      unknown.add(id);
      changes.push({
        action: 'Add',
        logicalId: id,
        resourceType: decl.Type,
        scope: [],
        details: [],
      });
      continue;
    }
    const oldDecl = stack.template.Resources[id];
    const details: ChangeRecord['details'] = [];
    const keys = new Set([...Object.keys(before.properties), ...Object.keys(props)]);
    for (const key of keys) {
      const after = props[key];
      const dynamic = after !== undefined && hasUnknown(after);
      if (!dynamic && sameValue(before.properties[key], after)) continue;
      const requiresRecreation = provider?.replaceOn.includes(key) === true ? 'Always' : 'Never';
      const raw = decl.Properties[key];
      const detail: ChangeRecord['details'][number] = {
        target:
          key === 'Tags'
            ? { attribute: 'Tags', requiresRecreation: 'Never' }
            : { attribute: 'Properties', name: key, requiresRecreation },
        evaluation: dynamic ? 'Dynamic' : 'Static',
        changeSource: 'DirectModification',
      };
      if (dynamic) {
        const cause = [...referencedResources(raw ?? null, next.template.Resources)].find((ref) =>
          unknown.has(ref),
        );
        detail.changeSource = 'ResourceReference';
        if (cause !== undefined) detail.causingEntity = cause;
      } else if (raw !== undefined && sameValue(raw, oldDecl?.Properties[key])) {
        const param = [...parametersReferenced(raw)].find((name) => changedParameters.has(name));
        if (param !== undefined) {
          detail.changeSource = 'ParameterReference';
          detail.causingEntity = param;
        }
      }
      details.push(detail);
    }
    if (details.length === 0) continue;
    const replaces = details.some(
      (d) => d.target.requiresRecreation === 'Always' && d.evaluation === 'Static',
    );
    const mayReplace = details.some((d) => d.target.requiresRecreation === 'Always');
    const replacement = replaces ? 'True' : mayReplace ? 'Conditional' : 'False';
    if (replacement !== 'False') unknown.add(id);
    changes.push({
      action: 'Modify',
      logicalId: id,
      ...(before.physicalId !== undefined ? { physicalId: before.physicalId } : {}),
      resourceType: decl.Type,
      replacement,
      scope: [...new Set(details.map((d) => d.target.attribute))],
      details,
    });
  }
  for (const [id, record] of Object.entries(stack.resources)) {
    if (!exists(record) || scope.active.has(id)) continue;
    changes.push({
      action: 'Remove',
      logicalId: id,
      ...(record.physicalId !== undefined ? { physicalId: record.physicalId } : {}),
      resourceType: record.type,
      scope: [],
      details: [],
    });
  }
  const position = new Map(Object.keys(next.template.Resources).map((id, index) => [id, index]));
  changes.sort(
    (a, b) =>
      (position.get(a.logicalId) ?? Number.MAX_SAFE_INTEGER) -
      (position.get(b.logicalId) ?? Number.MAX_SAFE_INTEGER),
  );
  const outputs = resolveOutputs(scope.scope, next.template);
  const outputsChanged =
    outputs.length !== stack.outputs.length ||
    outputs.some((output) => {
      const old = stack.outputs.find((candidate) => candidate.key === output.key);
      return (
        !old ||
        hasUnknown(output.value) ||
        old.value !== output.value ||
        old.exportName !== output.exportName ||
        old.description !== output.description
      );
    });
  const hasChanges =
    changes.length > 0 ||
    outputsChanged ||
    changedParameters.size > 0 ||
    next.parameters.length !== stack.parameters.length ||
    !sameValue(next.tags, stack.tags) ||
    next.roleArn !== stack.roleArn;
  return { changes, hasChanges, imports: [...scope.imported] };
}
