// Runs a dependency graph of resource operations in virtual time: independent nodes overlap (each
// takes its delay from the moment its dependencies finish), so a stack takes its depth × delay.
import type { StackScheduler } from './stack-scheduler.js';

/** One node: an id and the ids it waits for. */
export interface GraphNode {
  id: string;
  deps: readonly string[];
}

/** What starting a node did. */
export interface NodeStart {
  ok: boolean;
  /** How long the node takes on the sandbox clock. */
  delayMs: number;
  /**
   * Checked once the delay has passed, before a successful node finishes: `true` / `false`
   * finishes it (ok or failed); a number (epoch ms) checks again at that virtual time.
   * @default none: the node finishes when its delay has passed
   */
  stabilize?: (at: Date) => Promise<boolean | number>;
}

/** The work of a graph run. */
export interface GraphHooks {
  /** Starts a node at virtual time `at` (records its *_IN_PROGRESS event, calls the service). */
  start(id: string, at: Date): Promise<NodeStart>;
  /** Finishes a node at virtual time `at` (records *_COMPLETE or *_FAILED). */
  finish(id: string, at: Date, ok: boolean): void;
}

/** The outcome of a graph run. */
export interface GraphResult {
  /** Ids that failed, in the order they finished. */
  failed: string[];
  /** Virtual time (epoch ms) the last node finished. */
  endAt: number;
}

/**
 * Runs `nodes` from virtual time `startAt`. After a failure no further node starts; nodes already
 * started finish. Returns `undefined` when `alive()` turns false (the sandbox was reset).
 */
export async function runGraph(
  nodes: readonly GraphNode[],
  startAt: number,
  hooks: GraphHooks,
  scheduler: StackScheduler,
  alive: () => boolean,
): Promise<GraphResult | undefined> {
  const finished = new Map<string, number>();
  const started = new Set<string>();
  const failed: string[] = [];
  const inflight: {
    id: string;
    at: number;
    ok: boolean;
    order: number;
    stabilize?: NodeStart['stabilize'];
  }[] = [];
  let order = 0;
  let endAt = startAt;
  let halted = false;
  for (;;) {
    if (!halted) {
      for (const node of nodes) {
        if (started.has(node.id) || !node.deps.every((dep) => finished.has(dep))) continue;
        started.add(node.id);
        const at = Math.max(startAt, ...node.deps.map((dep) => finished.get(dep) ?? startAt));
        await scheduler.at(at);
        if (!alive()) return undefined;
        const outcome = await hooks.start(node.id, new Date(at));
        if (!alive()) return undefined;
        inflight.push({
          id: node.id,
          at: at + outcome.delayMs,
          ok: outcome.ok,
          order: order++,
          ...(outcome.stabilize ? { stabilize: outcome.stabilize } : {}),
        });
      }
    }
    if (inflight.length === 0) break;
    inflight.sort((a, b) => a.at - b.at || a.order - b.order);
    const next = inflight.shift();
    if (!next) break;
    await scheduler.at(next.at);
    if (!alive()) return undefined;
    if (next.ok && next.stabilize) {
      const check = await next.stabilize(new Date(next.at));
      if (!alive()) return undefined;
      if (typeof check === 'number') {
        inflight.push({ ...next, at: Math.max(check, next.at + 1) });
        continue;
      }
      next.ok = check;
    }
    hooks.finish(next.id, new Date(next.at), next.ok);
    endAt = Math.max(endAt, next.at);
    if (next.ok) finished.set(next.id, next.at);
    else {
      failed.push(next.id);
      halted = true;
    }
  }
  return { failed, endAt };
}
