// Turns flat query-protocol parameters (`Tags.member.1.Key=a`) into the tree JSON protocols send.
import type { InputValue } from '../framework/input.js';

type Tree = { [key: string]: Tree | string };

/** Parameters the framework consumes itself and never passes to handlers. */
const RESERVED = new Set(['Action', 'Version']);

/** Builds the input tree from decoded `key=value` pairs. */
export function queryParamsToTree(params: Iterable<[string, string]>): Record<string, InputValue> {
  const root: Tree = {};
  for (const [key, value] of params) {
    if (RESERVED.has(key) || key.startsWith('X-Amz-')) continue;
    const parts = key.split('.');
    let node: Tree = root;
    for (let i = 0; i < parts.length - 1; i += 1) {
      const part = parts[i] as string;
      const next = node[part];
      if (next === undefined || typeof next === 'string') {
        const created: Tree = {};
        node[part] = created;
        node = created;
      } else {
        node = next;
      }
    }
    const last = parts[parts.length - 1] as string;
    if (typeof node[last] !== 'object') node[last] = value;
  }
  return normalize(root) as Record<string, InputValue>;
}

/** `{member: {1: a, 2: b}}` → `[a, b]`; `{entry: {1: {key, value}}}` → `{key: value}`. */
function normalize(node: Tree | string): InputValue {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && (keys[0] === 'member' || keys[0] === 'entry')) {
    const inner = node[keys[0]];
    if (inner !== undefined && typeof inner === 'object') {
      const items = Object.keys(inner)
        .filter((k) => /^\d+$/.test(k))
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => normalize(inner[k] as Tree | string));
      if (keys[0] === 'member') return items;
      const map: Record<string, InputValue> = {};
      for (const item of items) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
          const entryKey = item['key'];
          if (typeof entryKey === 'string') map[entryKey] = item['value'] ?? null;
        }
      }
      return map;
    }
  }
  const out: Record<string, InputValue> = {};
  for (const key of keys) out[key] = normalize(node[key] as Tree | string);
  return out;
}
