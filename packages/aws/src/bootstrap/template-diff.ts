/**
 * Compares a deployed template with a generated one: which resources are added, removed or
 * modified, and for every IAM role the actions its policies grant, with those added and removed.
 */
import type { CfnResource, CfnTemplate } from './templates/cfn-template.js';

/** One resource that differs. */
export interface ResourceChange {
  logicalId: string;
  type: string;
  change: 'add' | 'remove' | 'modify';
}

/** The policies of one role: every action it would have, and what changes. */
export interface RolePolicyDiff {
  logicalId: string;
  roleName: string;
  /** Every action of the generated template's policies, sorted. */
  actions: string[];
  added: string[];
  removed: string[];
}

export interface StackDiff {
  resources: ResourceChange[];
  roles: RolePolicyDiff[];
  /** Template-level changes outside resources (outputs, parameters, description). */
  otherChanges: boolean;
}

/** JSON with sorted keys, so two equal templates compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

/** The template a stack would be created with, compared with nothing. */
export function diffTemplates(
  deployed: CfnTemplate | undefined,
  generated: CfnTemplate,
): StackDiff {
  const before = deployed?.Resources ?? {};
  const after = generated.Resources;
  const resources: ResourceChange[] = [];
  for (const id of Object.keys({ ...before, ...after }).sort()) {
    const a = before[id];
    const b = after[id];
    if (a === undefined && b !== undefined)
      resources.push({ logicalId: id, type: b.Type, change: 'add' });
    else if (b === undefined && a !== undefined)
      resources.push({ logicalId: id, type: a.Type, change: 'remove' });
    else if (canonicalJson(a) !== canonicalJson(b))
      resources.push({ logicalId: id, type: b?.Type ?? '', change: 'modify' });
  }
  const roles: RolePolicyDiff[] = [];
  for (const [id, resource] of Object.entries(after)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const now = roleActions(after, resource);
    const was = new Set(deployed === undefined ? [] : roleActions(before, before[id]));
    const nowSet = new Set(now);
    const props = resource.Properties ?? {};
    roles.push({
      logicalId: id,
      roleName: typeof props.RoleName === 'string' ? props.RoleName : id,
      actions: now,
      added: now.filter((a) => !was.has(a)),
      removed: [...was].filter((a) => !nowSet.has(a)).sort(),
    });
  }
  const rest = (t: CfnTemplate | undefined) => canonicalJson({ ...t, Resources: undefined });
  return {
    resources,
    roles,
    otherChanges: deployed !== undefined && rest(deployed) !== rest(generated),
  };
}

/** Whether the diff changes nothing. */
export function isEmptyDiff(diff: StackDiff): boolean {
  return diff.resources.length === 0 && !diff.otherChanges;
}

/** Actions of a role's inline policies and of the template's managed policies it attaches. */
function roleActions(
  resources: Record<string, CfnResource>,
  role: CfnResource | undefined,
): string[] {
  if (role === undefined) return [];
  const props = role.Properties ?? {};
  const documents: unknown[] = [];
  if (Array.isArray(props.Policies)) {
    for (const p of props.Policies as { PolicyDocument?: unknown }[])
      documents.push(p.PolicyDocument);
  }
  if (Array.isArray(props.ManagedPolicyArns)) {
    for (const arn of props.ManagedPolicyArns as unknown[]) {
      const id = (arn as { Ref?: unknown }).Ref;
      if (typeof id === 'string') documents.push(resources[id]?.Properties?.PolicyDocument);
    }
  }
  const actions = new Set<string>();
  for (const doc of documents) {
    const statements = (doc as { Statement?: unknown } | undefined)?.Statement;
    for (const s of Array.isArray(statements) ? statements : [statements]) {
      const action = (s as { Action?: unknown } | undefined)?.Action;
      for (const a of Array.isArray(action) ? action : [action]) {
        if (typeof a === 'string') actions.add(a);
      }
    }
  }
  return [...actions].sort();
}
