// Resolution checks for the free-form params of AWS steps (maps, lists, JSON payloads): every
// string inside must be resolved, and maps become the plain strings AWS APIs take.
import type { JsonValue } from '@rampart/engine';
import type { z } from 'zod';
import { resolvedText } from '../params/resolve-params.js';

type Issues = z.core.$RefinementCtx;

/** A JSON value whose strings, however deep, hold no expression or marker. */
export function resolvedJson(value: unknown, path: PropertyKey[], ctx: Issues): JsonValue {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return resolvedText(value, path, ctx);
  if (Array.isArray(value)) return value.map((v, i) => resolvedJson(v, [...path, i], ctx));
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolvedJson(v, [...path, k], ctx);
    return out;
  }
  ctx.addIssue({ code: 'custom', path, message: `must be JSON, got ${typeof value}` });
  return null;
}

/**
 * A map of names to values as strings: strings, numbers and true/false as text; with `lists`,
 * a list of those joined with commas (CloudFormation's list parameters).
 */
export function resolvedStringMap(
  value: Record<string, unknown> | string | undefined,
  path: string,
  ctx: Issues,
  options: { lists?: boolean } = {},
): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value === 'string') {
    resolvedText(value, path, ctx);
    ctx.addIssue({ code: 'custom', path: [path], message: 'expected a map of names to values' });
    return {};
  }
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(value)) {
    const text = scalarText(raw);
    if (text !== undefined) {
      out[name] = resolvedText(text, [path, name], ctx);
    } else if (options.lists === true && Array.isArray(raw)) {
      const items = raw.map(scalarText);
      if (items.every((i): i is string => i !== undefined)) {
        out[name] = items.map((i, k) => resolvedText(i, [path, name, k], ctx)).join(',');
        continue;
      }
      ctx.addIssue({
        code: 'custom',
        path: [path, name],
        message: 'a list may hold only strings, numbers and true/false',
      });
    } else {
      ctx.addIssue({
        code: 'custom',
        path: [path, name],
        message: `must be a string, a number or true/false${options.lists === true ? ' (or a list of them)' : ''}, got ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`,
      });
    }
  }
  return out;
}

/** A list of strings that may have been written as one expression. */
export function resolvedList(
  value: string[] | string | undefined,
  path: string,
  ctx: Issues,
): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    ctx.addIssue({
      code: 'custom',
      path: [path],
      message: `expected a list, got the unresolved ${JSON.stringify(value.slice(0, 80))}`,
    });
    return [];
  }
  return value.map((item, i) => resolvedText(item, [path, i], ctx));
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
