// A stack's deletion: refuse while another stack imports one of its exports, then delete every
// resource in reverse dependency order (Retain → DELETE_SKIPPED).
import { staticGraph } from '../template/dependencies.js';
import { deleteResources } from './delete-resources.js';
import { importers } from './exports.js';
import { stackEvent, type OperationEnv } from './operation-env.js';
import { failedResources, recordItem, retainedOnDelete } from './rollback-items.js';

/** Runs the deletion of `env.stack` (already `DELETE_IN_PROGRESS`). */
export async function runDeleteStack(
  env: OperationEnv,
  startAt: number,
  retainResources: readonly string[],
): Promise<void> {
  const { stack } = env;
  for (const output of stack.outputs) {
    if (output.exportName === undefined) continue;
    const users = importers(env.state, output.exportName, stack);
    if (users.length > 0) {
      stackEvent(
        env,
        'DELETE_FAILED',
        new Date(startAt),
        `Export ${output.exportName} cannot be deleted as it is in use by ${users.join(', ')}`,
      );
      return;
    }
  }
  const items = Object.values(stack.resources)
    .filter((record) => record.status !== 'DELETE_COMPLETE' && record.status !== 'DELETE_SKIPPED')
    .map((record) =>
      recordItem(record, retainedOnDelete(record) || retainResources.includes(record.logicalId)),
    );
  const deleted = await deleteResources(env, items, staticGraph(stack.template), startAt);
  if (!deleted) return;
  if (deleted.failed.length > 0) {
    stackEvent(
      env,
      'DELETE_FAILED',
      new Date(deleted.endAt),
      failedResources('delete', deleted.failed),
    );
    return;
  }
  stack.outputs = [];
  stack.imports = [];
  stack.deletionTime = new Date(deleted.endAt).toISOString();
  stackEvent(env, 'DELETE_COMPLETE', new Date(deleted.endAt));
}
