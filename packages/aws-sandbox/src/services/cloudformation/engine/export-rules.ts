// The rules exports obey: names are unique in a region, and an export another stack imports can
// be neither changed nor removed.
import type { CfnRegionState, StackOutput, StackRecord } from '../cfn-state.js';
import { importers, liveExports } from './exports.js';

/**
 * Why `stack` cannot go from `before` to `after` outputs (the stack's failure reason), or
 * undefined when it can.
 */
export function exportConflicts(
  state: CfnRegionState,
  stack: StackRecord,
  before: readonly StackOutput[],
  after: readonly StackOutput[],
): string | undefined {
  const exported = liveExports(state);
  const seen = new Set<string>();
  for (const output of after) {
    if (output.exportName === undefined) continue;
    if (seen.has(output.exportName)) {
      return `Template format error: duplicate Export names in the Outputs section: ${output.exportName}`;
    }
    seen.add(output.exportName);
    const owner = exported.get(output.exportName);
    if (owner && owner.stackId !== stack.stackId) {
      return `Export with name ${output.exportName} is already exported by stack ${owner.stackName}`;
    }
  }
  for (const old of before) {
    if (old.exportName === undefined) continue;
    const users = importers(state, old.exportName, stack);
    if (users.length === 0) continue;
    const next = after.find((output) => output.exportName === old.exportName);
    if (!next)
      return `Export ${old.exportName} cannot be deleted as it is in use by ${users.join(', ')}`;
    if (next.value !== old.value) {
      return `Export ${old.exportName} cannot be updated as it is in use by ${users.join(', ')}`;
    }
  }
  return undefined;
}
