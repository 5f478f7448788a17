import { describe, expect, it } from 'vitest';
import { PlanJsonError, changeLines, countsLine, summarizePlan } from './plan-summary.js';

const plan = (
  changes: { address: string; actions: string[]; mode?: string; importing?: object }[],
  outputs: Record<string, string[]> = {},
) =>
  JSON.stringify({
    format_version: '1.2',
    resource_changes: changes.map((c) => ({
      address: c.address,
      mode: c.mode ?? 'managed',
      change: {
        actions: c.actions,
        ...(c.importing === undefined ? {} : { importing: c.importing }),
      },
    })),
    output_changes: Object.fromEntries(
      Object.entries(outputs).map(([name, actions]) => [name, { actions }]),
    ),
  });

describe('summarizePlan', () => {
  it('classifies each resource change and counts them, destructive first', () => {
    const summary = summarizePlan(
      plan(
        [
          { address: 'terraform_data.new', actions: ['create'] },
          { address: 'terraform_data.same', actions: ['no-op'] },
          { address: 'terraform_data.moved', actions: ['update'] },
          { address: 'terraform_data.old', actions: ['delete'] },
          { address: 'terraform_data.svc', actions: ['delete', 'create'] },
          { address: 'terraform_data.cbd', actions: ['create', 'delete'] },
          { address: 'data.terraform_remote_state.x', actions: ['read'], mode: 'data' },
          { address: 'terraform_data.kept', actions: ['forget'] },
          { address: 'terraform_data.adopted', actions: ['no-op'], importing: { id: 'x' } },
        ],
        { url: ['update'], same: ['no-op'] },
      ),
    );
    expect(summary).toEqual({
      kind: 'destructive',
      counts: { create: 1, update: 1, delete: 1, replace: 2, import: 1, forget: 1 },
      changes: [
        { address: 'terraform_data.old', action: 'delete' },
        { address: 'terraform_data.svc', action: 'replace' },
        { address: 'terraform_data.cbd', action: 'replace' },
        { address: 'terraform_data.moved', action: 'update' },
        { address: 'terraform_data.kept', action: 'forget' },
        { address: 'terraform_data.adopted', action: 'import' },
        { address: 'terraform_data.new', action: 'create' },
      ],
      outputChanges: 1,
    });
    expect(countsLine(summary)).toBe(
      '1 to create, 1 to update, 1 to delete, 2 to replace, 1 to import, 1 to forget, 1 output changed',
    );
    expect(changeLines(summary, 3)).toEqual([
      '- delete terraform_data.old',
      '-/+ replace terraform_data.svc',
      '-/+ replace terraform_data.cbd',
      '… and 4 more',
    ]);
  });

  it('calls a plan create-only, update, outputs-only or no-changes by its worst change', () => {
    const kind = (...actions: string[][]) =>
      summarizePlan(plan(actions.map((a, i) => ({ address: `r.${i}`, actions: a })))).kind;
    expect(kind(['create'], ['create'])).toBe('create-only');
    expect(kind(['create'], ['update'])).toBe('update');
    expect(kind(['update'], ['delete'])).toBe('destructive');
    expect(kind(['no-op'])).toBe('no-changes');
    expect(summarizePlan(plan([], { url: ['create'] })).kind).toBe('outputs-only');
    expect(summarizePlan(plan([])).kind).toBe('no-changes');
  });

  it('refuses output that is not a JSON plan', () => {
    expect(() => summarizePlan('Error: no plan')).toThrow(PlanJsonError);
    expect(() => summarizePlan('{"values":{}}')).toThrow(/no format_version/);
  });
});
