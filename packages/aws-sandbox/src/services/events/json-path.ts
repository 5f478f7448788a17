// The JSONPath subset EventBridge input paths use: `$`, `.name` (hyphens allowed, as in
// `$.detail-type`), `['name']` and `[index]`.

/** One step of a path. */
type Segment = string | number;

/** Parses a path; `undefined` when it is not in the supported subset. */
export function parseJsonPath(path: string): Segment[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: Segment[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const match = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!match) return undefined;
      segments.push(match[0]);
      i += 1 + match[0].length;
      continue;
    }
    const bracket = /^\[(?:(\d+)|'([^']*)'|"([^"]*)")\]/.exec(path.slice(i));
    if (!bracket) return undefined;
    segments.push(bracket[1] !== undefined ? Number(bracket[1]) : (bracket[2] ?? bracket[3] ?? ''));
    i += bracket[0].length;
  }
  return segments;
}

/** The value at a path (already parsed), or `undefined` when it selects nothing. */
export function selectJsonPath(value: unknown, segments: readonly Segment[]): unknown {
  let node = value;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[segment];
    } else {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
      node = Object.hasOwn(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
    }
    if (node === undefined) return undefined;
  }
  return node;
}
