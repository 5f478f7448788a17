// A stack's update: apply the new template, then clean up (delete removed resources and the old
// physical resources of replacements); on failure, roll back — revert in-place updates, return to
// the old physical resources, delete what the update created — and restore the previous revision.
import type { StackRevision, StackResource } from '../cfn-state.js';
import { providerFor } from '../resources/provider-registry.js';
import { staticGraph } from '../template/dependencies.js';
import { applyTemplate, exists, type AppliedChange } from './apply-template.js';
import { deleteResources, type DeleteItem } from './delete-resources.js';
import { exportConflicts } from './export-rules.js';
import {
  failureReason,
  isAlive,
  providerContext,
  resourceDelay,
  resourceEvent,
  stackEvent,
  tracking,
  type OperationEnv,
} from './operation-env.js';
import { knownOutputs, resolveOutputs } from './resolve-stack-values.js';
import { failedResources, recordItem, retainedOnDelete } from './rollback-items.js';
import { runGraph } from './run-graph.js';
import { stabilizeNode } from './stabilize-node.js';
import { stackScope } from './stack-scope.js';
import type { StackDefinition } from './stack-definition.js';

/** The revision a stack has now (to roll back to). */
export function currentRevision(env: OperationEnv): StackRevision {
  const { stack } = env;
  return structuredClone({
    templateBody: stack.templateBody,
    template: stack.template,
    parameters: stack.parameters,
    outputs: stack.outputs,
    tags: stack.tags,
    imports: stack.imports,
    resources: stack.resources,
    ...(stack.description !== undefined ? { description: stack.description } : {}),
  });
}

function adopt(env: OperationEnv, next: StackDefinition | StackRevision): void {
  const { stack } = env;
  stack.templateBody = next.templateBody;
  stack.template = next.template;
  stack.parameters = next.parameters;
  stack.tags = next.tags;
  if (next.description === undefined) delete stack.description;
  else stack.description = next.description;
}

function failureSummary(changes: Map<string, AppliedChange>, failed: readonly string[]): string {
  const created = failed.filter((id) => changes.get(id)?.kind === 'create');
  const updated = failed.filter((id) => changes.get(id)?.kind !== 'create');
  return (
    (created.length > 0 ? failedResources('create', created) : '') +
    (updated.length > 0 ? failedResources('update', updated) : '')
  );
}

/** Runs the update of `env.stack` (already `UPDATE_IN_PROGRESS`) to `next`. */
export async function runUpdateStack(
  env: OperationEnv,
  next: StackDefinition,
  startAt: number,
  disableRollback: boolean,
): Promise<void> {
  const { stack } = env;
  const previous = currentRevision(env);
  adopt(env, next);
  const scope = stackScope({
    ctx: env.ctx,
    state: env.state,
    stackName: stack.stackName,
    stackId: stack.stackId,
    notificationArns: stack.notificationArns,
    template: next.template,
    parameters: next.parameters,
    resources: () => stack.resources,
  });
  const applied = await applyTemplate(env, next.template, scope, previous.resources, startAt);
  if (!applied) return;
  const { changes } = applied;
  const { failed, endAt } = applied.result;
  let reason: string | undefined;
  if (failed.length === 0) {
    try {
      const outputs = knownOutputs(resolveOutputs(scope.scope, next.template));
      reason = exportConflicts(env.state, stack, previous.outputs, outputs);
      if (reason === undefined) {
        stack.outputs = outputs;
        stack.imports = [...scope.imported];
        await cleanUp(env, previous, scope.active, changes, endAt);
        return;
      }
    } catch (error: unknown) {
      reason = error instanceof Error ? error.message : String(error);
    }
  } else {
    reason = failureSummary(changes, failed);
  }
  if (disableRollback) {
    stackEvent(env, 'UPDATE_FAILED', new Date(endAt), reason);
    return;
  }
  await rollBack(env, previous, next, changes, endAt, reason);
}

async function cleanUp(
  env: OperationEnv,
  previous: StackRevision,
  active: ReadonlySet<string>,
  changes: Map<string, AppliedChange>,
  startAt: number,
): Promise<void> {
  const { stack } = env;
  stackEvent(env, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', new Date(startAt));
  const items: DeleteItem[] = [];
  for (const [id, record] of Object.entries(stack.resources)) {
    if (active.has(id) && stack.template.Resources[id] !== undefined) continue;
    const item = recordItem(record, retainedOnDelete(record));
    const settle = item.onSettled;
    item.onSettled = (status, reason) => {
      settle?.(status, reason);
      if (status !== 'DELETE_FAILED') delete stack.resources[id];
    };
    if (!exists(record)) {
      delete stack.resources[id];
      continue;
    }
    items.push(item);
  }
  for (const [id, change] of changes) {
    if (change.kind !== 'replace' || !exists(change.before)) continue;
    const old: StackResource = change.before;
    items.push({
      logicalId: id,
      type: old.type,
      ...(old.physicalId !== undefined ? { physicalId: old.physicalId } : {}),
      properties: old.properties,
      attributes: old.attributes,
      retain: stack.resources[id]?.updateReplacePolicy === 'Retain',
    });
  }
  const cleaned = await deleteResources(env, items, staticGraph(previous.template), startAt);
  if (!cleaned) return;
  stackEvent(env, 'UPDATE_COMPLETE', new Date(cleaned.endAt));
}

async function rollBack(
  env: OperationEnv,
  previous: StackRevision,
  next: StackDefinition,
  changes: Map<string, AppliedChange>,
  startAt: number,
  reason: string,
): Promise<void> {
  const { stack } = env;
  stackEvent(env, 'UPDATE_ROLLBACK_IN_PROGRESS', new Date(startAt), reason);
  const reverting = [...changes].filter(([, change]) => change.kind !== 'create');
  const graph = staticGraph(previous.template);
  const ids = new Set(reverting.map(([id]) => id));
  const created: StackResource[] = [];
  const reasons = new Map<string, string>();
  const reverted = await runGraph(
    reverting.map(([id]) => ({
      id,
      deps: [...(graph.get(id) ?? [])].filter((dep) => ids.has(dep)),
    })),
    startAt,
    {
      start: async (id, at) => {
        const change = changes.get(id);
        const before = change?.before;
        const live = stack.resources[id];
        if (!change || !before || !live) return { ok: true, delayMs: 0 };
        if (change.kind === 'replace') {
          if (live.physicalId !== undefined) created.push(live);
          stack.resources[id] = structuredClone(before);
          return { ok: true, delayMs: 0 };
        }
        resourceEvent(env, live, 'UPDATE_IN_PROGRESS', at);
        const provider = providerFor(live.type);
        if (!provider || live.physicalId === undefined) return { ok: true, delayMs: 0 };
        const { context, lastService } = tracking(providerContext(env, id));
        try {
          const restored = await provider.update(context, {
            physicalId: live.physicalId,
            previous: live.properties,
            props: before.properties,
            attributes: live.attributes,
          });
          const reverted = { ...structuredClone(before), attributes: restored.attributes };
          stack.resources[id] = reverted;
          return {
            ok: true,
            delayMs: resourceDelay(env, live.type),
            ...stabilizeNode(env, provider, {
              id,
              context,
              lastService,
              resource: () => ({
                physicalId: reverted.physicalId ?? '',
                props: reverted.properties,
                attributes: reverted.attributes,
              }),
              reasons,
            }),
          };
        } catch (error: unknown) {
          reasons.set(id, failureReason(env, id, lastService(), error));
          return { ok: false, delayMs: resourceDelay(env, live.type) };
        }
      },
      finish: (id, at, ok) => {
        const record = stack.resources[id];
        if (!record) return;
        const status = ok ? 'UPDATE_COMPLETE' : 'UPDATE_FAILED';
        const why = reasons.get(id);
        record.status = status;
        record.lastUpdated = at.toISOString();
        if (why === undefined) delete record.statusReason;
        else record.statusReason = why;
        resourceEvent(env, record, status, at, why);
      },
    },
    env.scheduler,
    () => isAlive(env),
  );
  if (!reverted) return;
  if (reverted.failed.length > 0) {
    stackEvent(
      env,
      'UPDATE_ROLLBACK_FAILED',
      new Date(reverted.endAt),
      failedResources('update', reverted.failed),
    );
    return;
  }
  stackEvent(env, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', new Date(reverted.endAt));
  const items: DeleteItem[] = created.map((record) => recordItem(record, false));
  for (const [id, change] of changes) {
    if (change.kind !== 'create') continue;
    const record = stack.resources[id];
    if (record) items.push(recordItem(record, record.deletionPolicy === 'Retain'));
  }
  const cleaned = await deleteResources(env, items, staticGraph(next.template), reverted.endAt);
  if (!cleaned) return;
  for (const [id, change] of changes) {
    if (change.kind === 'create') delete stack.resources[id];
  }
  adopt(env, previous);
  stack.outputs = previous.outputs;
  stack.imports = previous.imports;
  stackEvent(env, 'UPDATE_ROLLBACK_COMPLETE', new Date(cleaned.endAt), reason.trimEnd());
}
