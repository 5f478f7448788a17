// A stack's creation: resources in dependency order, outputs and exports, and on failure the
// rollback (ROLLBACK_COMPLETE), nothing (CREATE_FAILED) or rollback then deletion, per OnFailure.
import { staticGraph } from '../template/dependencies.js';
import { applyTemplate } from './apply-template.js';
import { deleteResources } from './delete-resources.js';
import { exportConflicts } from './export-rules.js';
import { stackEvent, type OperationEnv } from './operation-env.js';
import { knownOutputs, resolveOutputs } from './resolve-stack-values.js';
import { failedResources, recordItem, retainedOnCreateRollback } from './rollback-items.js';
import { stackScope } from './stack-scope.js';

/** What to do when creation fails. */
export type OnFailure = 'ROLLBACK' | 'DELETE' | 'DO_NOTHING';

/** Runs the creation of `env.stack` (already `CREATE_IN_PROGRESS`) from virtual time `startAt`. */
export async function runCreateStack(
  env: OperationEnv,
  startAt: number,
  onFailure: OnFailure,
): Promise<void> {
  const { stack } = env;
  const scope = stackScope({
    ctx: env.ctx,
    state: env.state,
    stackName: stack.stackName,
    stackId: stack.stackId,
    notificationArns: stack.notificationArns,
    template: stack.template,
    parameters: stack.parameters,
    resources: () => stack.resources,
  });
  const applied = await applyTemplate(env, stack.template, scope, {}, startAt);
  if (!applied) return;
  const { failed, endAt } = applied.result;
  let reason: string;
  if (failed.length === 0) {
    try {
      const outputs = knownOutputs(resolveOutputs(scope.scope, stack.template));
      const conflict = exportConflicts(env.state, stack, [], outputs);
      if (conflict === undefined) {
        stack.outputs = outputs;
        stack.imports = [...scope.imported];
        stackEvent(env, 'CREATE_COMPLETE', new Date(endAt));
        return;
      }
      reason = conflict;
    } catch (error: unknown) {
      reason = error instanceof Error ? error.message : String(error);
    }
  } else {
    reason = failedResources('create', failed);
  }
  if (onFailure === 'DO_NOTHING') {
    stackEvent(env, 'CREATE_FAILED', new Date(endAt), reason);
    return;
  }
  stackEvent(env, 'ROLLBACK_IN_PROGRESS', new Date(endAt), `${reason}Rollback requested by user.`);
  const rolledBack = await deleteResources(
    env,
    Object.values(stack.resources).map((record) =>
      recordItem(record, retainedOnCreateRollback(record)),
    ),
    staticGraph(stack.template),
    endAt,
  );
  if (!rolledBack) return;
  if (rolledBack.failed.length > 0) {
    stackEvent(
      env,
      'ROLLBACK_FAILED',
      new Date(rolledBack.endAt),
      failedResources('delete', rolledBack.failed),
    );
    return;
  }
  stack.outputs = [];
  stack.imports = [];
  stackEvent(env, 'ROLLBACK_COMPLETE', new Date(rolledBack.endAt), reason.trimEnd());
  if (onFailure === 'DELETE') {
    stackEvent(env, 'DELETE_IN_PROGRESS', new Date(rolledBack.endAt));
    stack.deletionTime = new Date(rolledBack.endAt).toISOString();
    stackEvent(env, 'DELETE_COMPLETE', new Date(rolledBack.endAt));
  }
}
