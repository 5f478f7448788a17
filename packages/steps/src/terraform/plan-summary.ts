// What a saved plan would change, read from `terraform show -json`: each resource change
// classified (create, update, delete, replace, …), counted, and the plan as a whole called
// destructive when anything is deleted or replaced.

/** What happens to one resource. */
export type ResourceAction = 'create' | 'update' | 'delete' | 'replace' | 'import' | 'forget';

/** One resource the plan changes. */
export interface ResourceChange {
  /** `module.net.aws_subnet.a["x"]`, as Terraform names it. */
  address: string;
  action: ResourceAction;
}

/**
 * The plan as a whole: `destructive` when a resource is deleted or replaced, else `update` when
 * one changes in place (or is imported or forgotten), else `create-only`; `outputs-only` when no
 * resource changes but an output does; `no-changes` when applying it would change nothing.
 */
export type PlanKind = 'no-changes' | 'outputs-only' | 'create-only' | 'update' | 'destructive';

/** A plan's changes, counted. */
export interface PlanSummary {
  kind: PlanKind;
  counts: Record<ResourceAction, number>;
  /** Resources that change, destructive ones first. */
  changes: ResourceChange[];
  /** Root module outputs whose value changes. */
  outputChanges: number;
}

/** The JSON plan could not be read. */
export class PlanJsonError extends Error {}

const ORDER: readonly ResourceAction[] = [
  'delete',
  'replace',
  'update',
  'forget',
  'import',
  'create',
];

/** Reads `terraform show -json <plan>` output. @throws PlanJsonError when it is not a plan. */
export function summarizePlan(json: string): PlanSummary {
  let plan: unknown;
  try {
    plan = JSON.parse(json);
  } catch (error) {
    throw new PlanJsonError(`terraform show -json printed no JSON: ${String(error)}`);
  }
  if (!isObject(plan) || typeof plan['format_version'] !== 'string') {
    throw new PlanJsonError('terraform show -json did not print a plan (no format_version)');
  }
  const counts: Record<ResourceAction, number> = {
    create: 0,
    update: 0,
    delete: 0,
    replace: 0,
    import: 0,
    forget: 0,
  };
  const changes: ResourceChange[] = [];
  for (const entry of list(plan['resource_changes'])) {
    if (!isObject(entry) || !isObject(entry['change'])) continue;
    // Data sources are read, never changed.
    if (entry['mode'] === 'data') continue;
    const change = entry['change'];
    const action = classify(list(change['actions']), isObject(change['importing']));
    if (action === undefined) continue;
    counts[action] += 1;
    const address = typeof entry['address'] === 'string' ? entry['address'] : '?';
    changes.push({ address, action });
  }
  changes.sort((a, b) => ORDER.indexOf(a.action) - ORDER.indexOf(b.action));
  const outputChanges = Object.values(
    isObject(plan['output_changes']) ? plan['output_changes'] : {},
  ).filter((c) => isObject(c) && !isNoOp(list(c['actions']))).length;
  return { kind: kindOf(counts, outputChanges), counts, changes, outputChanges };
}

/** `1 to create, 0 to update, 2 to delete, 1 to replace` (plus imports and forgets when any). */
export function countsLine(summary: PlanSummary): string {
  const { counts } = summary;
  const parts = [
    `${counts.create} to create`,
    `${counts.update} to update`,
    `${counts.delete} to delete`,
    `${counts.replace} to replace`,
  ];
  if (counts.import > 0) parts.push(`${counts.import} to import`);
  if (counts.forget > 0) parts.push(`${counts.forget} to forget`);
  const outputs = summary.outputChanges;
  if (outputs > 0) parts.push(`${outputs} output${outputs === 1 ? '' : 's'} changed`);
  return parts.join(', ');
}

/** One line per changed resource, `-/+ replace terraform_data.svc`, at most `limit` of them. */
export function changeLines(summary: PlanSummary, limit: number): string[] {
  const lines = summary.changes
    .slice(0, limit)
    .map((c) => `${SYMBOL[c.action]} ${c.action} ${c.address}`);
  const more = summary.changes.length - lines.length;
  if (more > 0) lines.push(`… and ${more} more`);
  return lines;
}

const SYMBOL: Record<ResourceAction, string> = {
  create: '+',
  update: '~',
  delete: '-',
  replace: '-/+',
  import: '<=',
  forget: '.',
};

function classify(actions: unknown[], importing: boolean): ResourceAction | undefined {
  const has = (a: string) => actions.includes(a);
  // Terraform writes a replacement as ["delete","create"] or ["create","delete"].
  if (has('delete') && has('create')) return 'replace';
  if (has('delete')) return 'delete';
  if (has('create')) return 'create';
  if (has('update')) return 'update';
  if (has('forget')) return 'forget';
  if (importing) return 'import';
  return undefined;
}

function kindOf(counts: Record<ResourceAction, number>, outputChanges: number): PlanKind {
  if (counts.delete + counts.replace > 0) return 'destructive';
  if (counts.update + counts.import + counts.forget > 0) return 'update';
  if (counts.create > 0) return 'create-only';
  return outputChanges > 0 ? 'outputs-only' : 'no-changes';
}

function isNoOp(actions: unknown[]): boolean {
  return actions.length === 0 || actions.every((a) => a === 'no-op' || a === 'read');
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
