/** Human names for places in a pipeline file: `stage "prod"`, `step "Deploy"`, `pipeline.tracks`. */
import type { DataPath } from '../loader/position-index.js';

/** Reads the value at `path` in plain data. */
export function valueAt(data: unknown, path: DataPath): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** The dotted path, with list items named after their `name` when they have one. */
export function describePath(data: unknown, path: DataPath): string {
  if (path.length === 0) return 'the top level';
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (typeof seg === 'number') {
      const item = valueAt(data, path.slice(0, i + 1));
      const name =
        item !== null && typeof item === 'object' ? (item as { name?: unknown }).name : undefined;
      out += typeof name === 'string' && name !== '' ? `[${JSON.stringify(name)}]` : `[${seg}]`;
    } else if (seg !== undefined) {
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)
        ? out === ''
          ? seg
          : `.${seg}`
        : `[${JSON.stringify(seg)}]`;
    }
  }
  return out;
}

/** Names the kind of a value for "expected X, got Y" messages. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'object':
      return 'a map';
    default:
      return typeof value;
  }
}
