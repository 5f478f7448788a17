// Deletes a set of resources in reverse dependency order (stack deletion, rollback of a failed
// create, clean-up after an update), honouring DeletionPolicy / UpdateReplacePolicy `Retain`.
import type { ResourceStatus } from '../cfn-state.js';
import { providerFor } from '../resources/provider-registry.js';
import type { DependencyGraph } from '../template/dependencies.js';
import {
  failureReason,
  isAlive,
  providerContext,
  resourceDelay,
  resourceEvent,
  tracking,
  type OperationEnv,
} from './operation-env.js';
import { runGraph, type GraphResult } from './run-graph.js';

/** A resource to delete. */
export interface DeleteItem {
  logicalId: string;
  type: string;
  /** Absent when the resource never came to exist (nothing to call). */
  physicalId?: string;
  properties: Record<string, unknown>;
  attributes: Record<string, string>;
  /** Keep the resource: record `DELETE_SKIPPED` and leave it. */
  retain: boolean;
  /** Receives the resource's final status. @default nothing */
  onSettled?: (status: ResourceStatus, reason?: string) => void;
}

/** For each item, the items that depend on it in `graph` (they are deleted first). */
function dependents(items: readonly DeleteItem[], graph: DependencyGraph): Map<string, string[]> {
  const ids = new Set(items.map((item) => item.logicalId));
  const out = new Map<string, string[]>();
  for (const id of ids) {
    out.set(
      id,
      [...ids].filter((other) => other !== id && (graph.get(other)?.has(id) ?? false)),
    );
  }
  return out;
}

/** Deletes `items`; `graph` gives the dependencies they were created with. */
export async function deleteResources(
  env: OperationEnv,
  items: readonly DeleteItem[],
  graph: DependencyGraph,
  startAt: number,
): Promise<GraphResult | undefined> {
  const byId = new Map(items.map((item) => [item.logicalId, item]));
  const order = dependents(items, graph);
  const reasons = new Map<string, string>();
  const skipped = new Set<string>();
  return runGraph(
    items.map((item) => ({ id: item.logicalId, deps: order.get(item.logicalId) ?? [] })),
    startAt,
    {
      start: async (id, at) => {
        const item = byId.get(id);
        if (!item) return { ok: true, delayMs: 0 };
        if (item.retain) {
          skipped.add(id);
          resourceEvent(env, item, 'DELETE_SKIPPED', at);
          item.onSettled?.('DELETE_SKIPPED');
          return { ok: true, delayMs: 0 };
        }
        const provider = providerFor(item.type);
        if (item.physicalId === undefined || !provider) return { ok: true, delayMs: 0 };
        resourceEvent(env, item, 'DELETE_IN_PROGRESS', at);
        const { context, lastService } = tracking(providerContext(env, id));
        try {
          await provider.delete(context, {
            physicalId: item.physicalId,
            props: item.properties,
            attributes: item.attributes,
          });
          return { ok: true, delayMs: resourceDelay(env, item.type) };
        } catch (error: unknown) {
          reasons.set(id, failureReason(env, id, lastService(), error));
          return { ok: false, delayMs: resourceDelay(env, item.type) };
        }
      },
      finish: (id, at, ok) => {
        const item = byId.get(id);
        if (!item || skipped.has(id)) return;
        const reason = reasons.get(id);
        resourceEvent(env, item, ok ? 'DELETE_COMPLETE' : 'DELETE_FAILED', at, reason);
        item.onSettled?.(ok ? 'DELETE_COMPLETE' : 'DELETE_FAILED', reason);
      },
    },
    env.scheduler,
    () => isAlive(env),
  );
}
