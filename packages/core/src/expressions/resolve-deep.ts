/** Evaluates every expression inside plain data, such as the params of a step. */
import type { ExpressionContext } from './expression-context.js';
import type { ExpressionDiagnostic } from './expression-diagnostic.js';
import { evaluateTemplate } from './evaluate-template.js';
import { parseTemplateCached } from './parse-template.js';

/** Where a value sits inside the data given to {@link resolveDeep}: keys and list indexes. */
export type ValuePath = (string | number)[];

export interface DeepResolution {
  /** A copy of the input with every template string replaced by its value. */
  value: unknown;
  /** The markers of all Deferreds used, each once, in order of first use. */
  markers: string[];
}

/**
 * Walks plain objects and lists and evaluates each string that contains `${{` (or the `$${{`
 * escape). Object keys, numbers and other values stay as they are. Each error is reported with
 * the path of its string (offsets are into that string), and that string is kept unevaluated.
 * The input is not modified.
 */
export function resolveDeep(
  value: unknown,
  ctx: ExpressionContext,
  onError: (path: ValuePath, diagnostic: ExpressionDiagnostic) => void,
): DeepResolution {
  const markers = new Set<string>();
  const ancestors = new Set<object>();

  // One path, pushed and popped while walking, copied only when an error is reported: large
  // plans walk thousands of params and copying a path per value showed up in profiles.
  const path: ValuePath = [];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('${{')) return v;
      const result = evaluateTemplate(parseTemplateCached(v), ctx);
      for (const d of result.errors) onError([...path], d);
      if (result.errors.length > 0) return v;
      for (const m of result.markers) markers.add(m);
      return result.value;
    }
    if (v === null || typeof v !== 'object' || ancestors.has(v)) return v;
    if (Array.isArray(v)) {
      ancestors.add(v);
      const out = v.map((item: unknown, i) => {
        path.push(i);
        const resolved = walk(item);
        path.pop();
        return resolved;
      });
      ancestors.delete(v);
      return out;
    }
    if (!isPlainObject(v)) return v;
    ancestors.add(v);
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      path.push(k);
      const resolved = walk(item);
      path.pop();
      // Defined, not assigned, so that a `__proto__` key stays a key.
      if (k === '__proto__') {
        Object.defineProperty(out, k, {
          value: resolved,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else out[k] = resolved;
    }
    ancestors.delete(v);
    return out;
  };

  return { value: walk(value), markers: [...markers] };
}

function isPlainObject(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
