/** The step DAG: dependency resolution, cycle detection, upstream sets and levels. */

/** Finds a cycle in the graph `deps[i] = steps i waits for`, as a list of indexes, or undefined. */
export function findCycle(deps: readonly (readonly number[])[]): number[] | undefined {
  const state = new Uint8Array(deps.length); // 0 new, 1 on stack, 2 done
  for (let start = 0; start < deps.length; start++) {
    if (state[start] !== 0) continue;
    const stack: { node: number; next: number }[] = [{ node: start, next: 0 }];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      const edges = deps[top.node] ?? [];
      if (top.next >= edges.length) {
        state[top.node] = 2;
        stack.pop();
        continue;
      }
      const to = edges[top.next++] ?? 0;
      if (state[to] === 1) {
        const from = stack.findIndex((f) => f.node === to);
        return stack.slice(from).map((f) => f.node);
      }
      if (state[to] === 0) {
        state[to] = 1;
        stack.push({ node: to, next: 0 });
      }
    }
  }
  return undefined;
}

/** For each node, every node it transitively waits for. Requires an acyclic graph. */
export function upstreamSets(deps: readonly (readonly number[])[]): Set<number>[] {
  const order = topologicalOrder(deps);
  const sets: Set<number>[] = deps.map(() => new Set<number>());
  for (const node of order) {
    const set = sets[node] ?? new Set<number>();
    for (const d of deps[node] ?? []) {
      set.add(d);
      for (const u of sets[d] ?? []) set.add(u);
    }
  }
  return sets;
}

/** Nodes in an order where each comes after everything it waits for (Kahn; stable by index). */
export function topologicalOrder(deps: readonly (readonly number[])[]): number[] {
  const remaining = deps.map((d) => new Set(d).size);
  const dependents: number[][] = deps.map(() => []);
  deps.forEach((ds, i) => new Set(ds).forEach((d) => dependents[d]?.push(i)));
  const ready = remaining.flatMap((n, i) => (n === 0 ? [i] : []));
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const node = ready.shift() ?? 0;
    order.push(node);
    for (const next of dependents[node] ?? []) {
      const left = (remaining[next] ?? 0) - 1;
      remaining[next] = left;
      if (left === 0) ready.push(next);
    }
  }
  return order;
}

/**
 * The graph with `removed` nodes taken out: a node that waited for a removed one now waits for
 * what the removed one waited for. Removed nodes get no edges.
 */
export function withoutNodes(
  deps: readonly (readonly number[])[],
  removed: ReadonlySet<number>,
): number[][] {
  const memo = new Map<number, number[]>();
  const effective = (node: number): number[] => {
    const cached = memo.get(node);
    if (cached !== undefined) return cached;
    const out = new Set<number>();
    for (const d of deps[node] ?? []) {
      if (removed.has(d)) for (const e of effective(d)) out.add(e);
      else out.add(d);
    }
    const list = [...out].sort((a, b) => a - b);
    memo.set(node, list);
    return list;
  };
  return deps.map((_, i) => (removed.has(i) ? [] : effective(i)));
}

/** Groups nodes by depth: level 0 waits for nothing, level n waits for something at level n-1. */
export function levels(
  deps: readonly (readonly number[])[],
  include: (node: number) => boolean = () => true,
): number[][] {
  const depth = new Map<number, number>();
  for (const node of topologicalOrder(deps)) {
    if (!include(node)) continue;
    let d = 0;
    for (const p of deps[node] ?? []) d = Math.max(d, (depth.get(p) ?? -1) + 1);
    depth.set(node, d);
  }
  const out: number[][] = [];
  for (const [node, d] of depth) (out[d] ??= []).push(node);
  return out.map((l) => l.sort((a, b) => a - b));
}
