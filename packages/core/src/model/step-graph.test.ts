import { describe, expect, it } from 'vitest';
import { findCycle, levels, topologicalOrder, upstreamSets, withoutNodes } from './step-graph.js';

// Graphs are written as `deps[i]` = the nodes node i waits for.

describe('findCycle', () => {
  it('finds none in a DAG, even with shared ancestors', () => {
    expect(findCycle([[], [0], [0], [1, 2]])).toBeUndefined();
  });

  it('returns the nodes of a cycle', () => {
    // 0 waits for 2, 1 for 0, 2 for 1.
    const cycle = findCycle([[2], [0], [1]]);
    expect(cycle?.slice().sort()).toEqual([0, 1, 2]);
  });

  it('finds a cycle that does not include node 0, and a self-loop', () => {
    expect(
      findCycle([[], [2], [1]])
        ?.slice()
        .sort(),
    ).toEqual([1, 2]);
    expect(findCycle([[], [1]])).toEqual([1]);
  });

  it('handles a 10,000-step chain without recursion', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => (i === 0 ? [] : [i - 1]));
    expect(findCycle(chain)).toBeUndefined();
    chain[0] = [9_999];
    expect(findCycle(chain)).toHaveLength(10_000);
  });
});

describe('topologicalOrder and upstreamSets', () => {
  it('orders each node after what it waits for, stable by index', () => {
    expect(topologicalOrder([[3], [], [1], []])).toEqual([1, 2, 3, 0]);
  });

  it('upstream sets are transitive', () => {
    const sets = upstreamSets([[], [0], [1], [0]]);
    expect(sets.map((s) => [...s].sort())).toEqual([[], [0], [0, 1], [0]]);
  });
});

describe('withoutNodes (skipped steps)', () => {
  it('a node after a removed one waits for what the removed one waited for', () => {
    // 0 → 1 → 2 → 3 with 1 and 2 removed: 3 waits for 0.
    expect(withoutNodes([[], [0], [1], [2]], new Set([1, 2]))).toEqual([[], [], [], [0]]);
  });

  it('bridges through parallel branches and keeps other edges', () => {
    // 0 → {1, 2} → 3; removing 1 makes 3 wait for 0 and 2.
    expect(withoutNodes([[], [0], [0], [1, 2]], new Set([1]))).toEqual([[], [], [0], [0, 2]]);
  });
});

describe('levels', () => {
  it('groups nodes by depth', () => {
    expect(levels([[], [0], [0], [1, 2], []])).toEqual([[0, 4], [1, 2], [3]]);
  });

  it('leaves out excluded nodes', () => {
    const deps = withoutNodes([[], [0], [1]], new Set([1]));
    expect(levels(deps, (n) => n !== 1)).toEqual([[0], [2]]);
  });
});
