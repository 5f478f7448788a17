/** Turns evaluated context values into the plain data and text that leave the evaluator. */
import { ContextNode, type ContextValue } from './context-node.js';
import { Deferred } from './deferred.js';

/** A converted value, or why it cannot be converted. */
export type Conversion =
  { ok: true; value: unknown } | { ok: false; message: string; hint: string };

/**
 * Copies `value` as plain JSON-like data: Deferreds become their markers (added to `markers`).
 * A {@link ContextNode} is not data, so it fails, as does data that contains itself.
 */
export function toPlainValue(
  value: ContextValue,
  source: string,
  markers: Set<string>,
): Conversion {
  const ancestors = new Set<object>();
  let failure: Conversion | undefined;

  const copy = (v: ContextValue): unknown => {
    if (failure !== undefined) return undefined;
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Deferred) {
      markers.add(v.marker);
      return v.marker;
    }
    if (v instanceof ContextNode) {
      failure = {
        ok: false,
        message: `${source} is not a value: ${v.description} can only be read key by key`,
        hint: `Read one of its keys, e.g. ${source}.<key>.`,
      };
      return undefined;
    }
    if (ancestors.has(v)) {
      failure = {
        ok: false,
        message: `${source} contains itself`,
        hint: 'Read a key inside it instead.',
      };
      return undefined;
    }
    ancestors.add(v);
    let out: unknown;
    if (Array.isArray(v)) {
      out = (v as readonly ContextValue[]).map(copy);
    } else {
      // fromEntries defines own properties, so a `__proto__` key stays a key.
      out = Object.fromEntries(
        Object.entries(v as Record<string, ContextValue>).map(([k, item]) => [k, copy(item)]),
      );
    }
    ancestors.delete(v);
    return out;
  };

  const result = copy(value);
  return failure ?? { ok: true, value: result };
}

/**
 * The text of a value inside a larger string: numbers and booleans as written, `null` as the
 * empty string, a Deferred as its marker (added to `markers`). Objects and lists fail.
 */
export function toTextValue(value: ContextValue, source: string, markers: Set<string>): Conversion {
  if (value === null) return { ok: true, value: '' };
  if (value instanceof Deferred) {
    markers.add(value.marker);
    return { ok: true, value: value.marker };
  }
  if (typeof value === 'string') return { ok: true, value };
  if (typeof value === 'number' || typeof value === 'boolean')
    return { ok: true, value: String(value) };
  return {
    ok: false,
    message: `cannot insert an object into text: ${source} is ${Array.isArray(value) ? 'a list' : 'an object'}`,
    hint: 'Read one of its keys, or make the whole value this one expression (no text around it).',
  };
}
