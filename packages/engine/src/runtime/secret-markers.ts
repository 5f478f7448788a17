/**
 * The secret markers (`[SECRET:X]`, `[STAGE_SECRET:X]`) in params: found, and replaced by values
 * in memory just before a step runs. A value that is exactly one marker becomes the secret text.
 */
import type { JsonValue } from '../ports/engine-store.js';
import type { SecretReference } from '../ports/secret-resolver.js';

const MARKER = /\[(SECRET|STAGE_SECRET):([^\]]+)\]/g;

/** Each secret `value` references, once, in order of first appearance. */
export function secretReferences(value: JsonValue): SecretReference[] {
  const found = new Map<string, SecretReference>();
  visit(value, (text) => {
    for (const match of text.matchAll(MARKER)) {
      const [marker, kind, name] = match;
      if (name === undefined || found.has(marker)) continue;
      found.set(marker, {
        scope: kind === 'STAGE_SECRET' ? 'stage' : 'organization',
        name,
        marker,
      });
    }
  });
  return [...found.values()];
}

/** `value` with every marker in `values` replaced by its secret; others stay. */
export function substituteSecrets<T extends JsonValue>(value: T, values: Map<string, string>): T {
  return replace(value, values) as T;
}

function visit(value: JsonValue, onText: (text: string) => void): void {
  if (typeof value === 'string') onText(value);
  else if (Array.isArray(value)) for (const item of value) visit(item, onText);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) visit(item, onText);
}

function replace(value: JsonValue, values: Map<string, string>): JsonValue {
  if (typeof value === 'string')
    return value.replace(MARKER, (marker) => values.get(marker) ?? marker);
  if (Array.isArray(value)) return value.map((item) => replace(item, values));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) out[key] = replace(item, values);
    return out;
  }
  return value;
}
