// Exports (outputs with Export.Name) across the stacks of one account and region, and who imports them.
import type { CfnRegionState, StackRecord } from '../cfn-state.js';

/** One live export. */
export interface LiveExport {
  name: string;
  value: string;
  stackId: string;
  stackName: string;
}

/** Every export of the region's live stacks, by name. */
export function liveExports(state: CfnRegionState): Map<string, LiveExport> {
  const out = new Map<string, LiveExport>();
  for (const stack of Object.values(state.stacks)) {
    if (stack.status === 'DELETE_COMPLETE') continue;
    for (const output of stack.outputs) {
      if (output.exportName === undefined) continue;
      out.set(output.exportName, {
        name: output.exportName,
        value: output.value,
        stackId: stack.stackId,
        stackName: stack.stackName,
      });
    }
  }
  return out;
}

/** The live stacks (other than `except`) that import an export, by name. */
export function importers(
  state: CfnRegionState,
  exportName: string,
  except?: StackRecord,
): string[] {
  return Object.values(state.stacks)
    .filter(
      (stack) =>
        stack !== except &&
        stack.status !== 'DELETE_COMPLETE' &&
        stack.imports.includes(exportName),
    )
    .map((stack) => stack.stackName);
}
