// EventBridge event patterns: validation (InvalidEventPatternException, as PutRule answers) and
// matching against an event envelope. Supported: exact values, prefix, suffix, anything-but
// (values, prefix, suffix, equals-ignore-case, wildcard), numeric, exists, equals-ignore-case,
// wildcard, nested objects, `$or`, and event arrays matching when any element matches.
import { invalidPattern } from './events-errors.js';

type Scalar = string | number | boolean | null;
type NumericOp = '=' | '<' | '<=' | '>' | '>=';

/** One condition on a leaf value. */
type Matcher =
  | { kind: 'exact'; value: Scalar }
  | { kind: 'prefix' | 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; regex: RegExp }
  | { kind: 'numeric'; conditions: [NumericOp, number][] }
  | { kind: 'exists'; value: boolean }
  | { kind: 'anything-but'; inner: Matcher[] };

/** A compiled pattern object: every field must match, and one `$or` alternative if any. */
export interface CompiledPattern {
  fields: [key: string, spec: CompiledPattern | Matcher[]][];
  or: CompiledPattern[];
}

const NUMERIC_LIMIT = 5e9;
const NUMERIC_OPS: readonly string[] = ['=', '<', '<=', '>', '>='];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function wildcardRegex(pattern: string, caseInsensitive = false): RegExp {
  if (pattern.includes('**')) {
    throw invalidPattern(`Consecutive wildcard characters are not allowed in ${describe(pattern)}`);
  }
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i] ?? '';
    if (char === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      source += `\\${pattern[i + 1] ?? ''}`;
      i += 1;
    } else if (char === '*') {
      source += '.*';
    } else {
      source += char.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'si' : 's');
}

function compileAffix(kind: 'prefix' | 'suffix', value: unknown): Matcher {
  if (typeof value === 'string') return { kind, value, ignoreCase: false };
  if (isObject(value)) {
    const keys = Object.keys(value);
    const inner = value['equals-ignore-case'];
    if (keys.length === 1 && typeof inner === 'string') {
      return { kind, value: inner.toLowerCase(), ignoreCase: true };
    }
  }
  throw invalidPattern(
    `${kind} match pattern must be a string, or an object with equals-ignore-case`,
  );
}

function strings(value: unknown, what: string): string[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((item): item is string => typeof item === 'string')) {
    throw invalidPattern(`${what} must be a string or a non-empty array of strings`);
  }
  return list;
}

function compileAnythingBut(value: unknown): Matcher {
  if (typeof value === 'string' || typeof value === 'number') {
    return { kind: 'anything-but', inner: [{ kind: 'exact', value }] };
  }
  if (Array.isArray(value)) {
    const allStrings = value.every((item) => typeof item === 'string');
    const allNumbers = value.every((item) => typeof item === 'number');
    if (value.length === 0 || !(allStrings || allNumbers)) {
      throw invalidPattern('Inside anything-but list, only strings or only numbers are allowed');
    }
    return {
      kind: 'anything-but',
      inner: (value as (string | number)[]).map((item) => ({ kind: 'exact', value: item })),
    };
  }
  if (isObject(value) && Object.keys(value).length === 1) {
    const [[key, inner]] = Object.entries(value) as [[string, unknown]];
    switch (key) {
      case 'prefix':
      case 'suffix': {
        const matcher = compileAffix(key, inner);
        if (matcher.kind === key && matcher.value === '') {
          throw invalidPattern(`Null ${key} not allowed inside anything-but`);
        }
        return { kind: 'anything-but', inner: [matcher] };
      }
      case 'equals-ignore-case':
        return {
          kind: 'anything-but',
          inner: strings(inner, 'anything-but equals-ignore-case').map((text) => ({
            kind: 'equals-ignore-case',
            value: text.toLowerCase(),
          })),
        };
      case 'wildcard':
        return {
          kind: 'anything-but',
          inner: strings(inner, 'anything-but wildcard').map((text) => ({
            kind: 'wildcard',
            regex: wildcardRegex(text),
          })),
        };
      default:
        break;
    }
  }
  throw invalidPattern(`Unsupported anything-but pattern ${describe(value)}`);
}

function compileNumeric(value: unknown): Matcher {
  if (!Array.isArray(value) || value.length === 0 || value.length % 2 !== 0 || value.length > 4) {
    throw invalidPattern('Value of numeric must be an array of operator and number pairs');
  }
  const conditions: [NumericOp, number][] = [];
  for (let i = 0; i < value.length; i += 2) {
    const op: unknown = value[i];
    const bound: unknown = value[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPS.includes(op)) {
      throw invalidPattern(`Unrecognized numeric range operator: ${describe(op)}`);
    }
    if (typeof bound !== 'number' || Math.abs(bound) > NUMERIC_LIMIT) {
      throw invalidPattern(`Value of ${op} must be a number between -5.0E9 and 5.0E9`);
    }
    conditions.push([op as NumericOp, bound]);
  }
  if (conditions.length === 2) {
    const [[lowOp, low], [highOp, high]] = conditions as [[NumericOp, number], [NumericOp, number]];
    if (!(lowOp === '>' || lowOp === '>=') || !(highOp === '<' || highOp === '<=') || low >= high) {
      throw invalidPattern('Bad numeric range: expected a lower bound (> or >=) then a higher one');
    }
  }
  if (conditions.length === 2 && conditions.some(([op]) => op === '=')) {
    throw invalidPattern('"=" cannot be combined with another numeric operator');
  }
  return { kind: 'numeric', conditions };
}

function compileOperator(element: Record<string, unknown>): Matcher {
  const entries = Object.entries(element);
  if (entries.length !== 1) {
    throw invalidPattern(`Only one key allowed in match expression ${describe(element)}`);
  }
  const [[key, value]] = entries as [[string, unknown]];
  switch (key) {
    case 'prefix':
    case 'suffix':
      return compileAffix(key, value);
    case 'equals-ignore-case':
      if (typeof value !== 'string')
        throw invalidPattern('equals-ignore-case match pattern must be a string');
      return { kind: 'equals-ignore-case', value: value.toLowerCase() };
    case 'wildcard':
      if (typeof value !== 'string')
        throw invalidPattern('wildcard match pattern must be a string');
      return { kind: 'wildcard', regex: wildcardRegex(value) };
    case 'anything-but':
      return compileAnythingBut(value);
    case 'numeric':
      return compileNumeric(value);
    case 'exists':
      if (typeof value !== 'boolean')
        throw invalidPattern('exists match pattern must be either true or false.');
      return { kind: 'exists', value };
    default:
      throw invalidPattern(`Unrecognized match type ${key}`);
  }
}

function compileLeaf(key: string, list: unknown[]): Matcher[] {
  if (list.length === 0) throw invalidPattern(`Empty arrays are not allowed (at "${key}")`);
  return list.map((element) => {
    if (
      element === null ||
      typeof element === 'string' ||
      typeof element === 'boolean' ||
      typeof element === 'number'
    ) {
      return { kind: 'exact', value: element };
    }
    if (isObject(element)) return compileOperator(element);
    throw invalidPattern(`Match value must be String, number, true, false, or null (at "${key}")`);
  });
}

function compileObject(pattern: Record<string, unknown>): CompiledPattern {
  const compiled: CompiledPattern = { fields: [], or: [] };
  for (const [key, spec] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(spec) || spec.length < 2 || !spec.every(isObject)) {
        throw invalidPattern('$or must be an array of at least two pattern objects');
      }
      compiled.or = spec.map((alternative) => compileObject(alternative));
    } else if (Array.isArray(spec)) {
      compiled.fields.push([key, compileLeaf(key, spec)]);
    } else if (isObject(spec)) {
      if (Object.keys(spec).length === 0)
        throw invalidPattern(`"${key}" must not be an empty object`);
      compiled.fields.push([key, compileObject(spec)]);
    } else {
      throw invalidPattern(`"${key}" must be an object or an array`);
    }
  }
  return compiled;
}

const cache = new Map<string, CompiledPattern>();
const CACHE_LIMIT = 1000;

/** Parses and validates a pattern's JSON text; throws `InvalidEventPatternException`. */
export function compileEventPattern(text: string): CompiledPattern {
  const cached = cache.get(text);
  if (cached) return cached;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error: unknown) {
    throw invalidPattern(`Filter is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw invalidPattern('Filter is not an object');
  if (Object.keys(parsed).length === 0) throw invalidPattern('Empty event pattern');
  const compiled = compileObject(parsed);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, compiled);
  return compiled;
}

/** The scalar leaves of an event value: arrays flatten, objects are not leaves. */
function leaves(value: unknown): Scalar[] {
  if (value === undefined || isObject(value)) return [];
  if (Array.isArray(value)) return value.flatMap((item) => leaves(item));
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return [value];
  }
  return [];
}

function numericHolds([op, bound]: [NumericOp, number], value: number): boolean {
  switch (op) {
    case '=':
      return value === bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
  }
}

function matchesValue(matcher: Matcher, value: Scalar): boolean {
  switch (matcher.kind) {
    case 'exact':
      return matcher.value === value;
    case 'prefix':
    case 'suffix': {
      if (typeof value !== 'string') return false;
      const text = matcher.ignoreCase ? value.toLowerCase() : value;
      return matcher.kind === 'prefix'
        ? text.startsWith(matcher.value)
        : text.endsWith(matcher.value);
    }
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === matcher.value;
    case 'wildcard':
      return typeof value === 'string' && matcher.regex.test(value);
    case 'numeric':
      return (
        typeof value === 'number' &&
        matcher.conditions.every((condition) => numericHolds(condition, value))
      );
    case 'anything-but':
      // anything-but on a string list never matches a number and vice versa, as in AWS.
      return matcher.inner.every((inner) => {
        if (inner.kind === 'exact' && typeof inner.value !== typeof value) return false;
        if (inner.kind !== 'exact' && typeof value !== 'string') return false;
        return !matchesValue(inner, value);
      });
    case 'exists':
      return matcher.value;
  }
}

function matchesLeaf(matchers: Matcher[], value: unknown): boolean {
  const values = leaves(value);
  return matchers.some((matcher) => {
    if (matcher.kind === 'exists') return matcher.value ? values.length > 0 : value === undefined;
    return values.some((item) => matchesValue(matcher, item));
  });
}

function fieldOf(event: unknown, key: string): unknown {
  return isObject(event) && Object.hasOwn(event, key) ? event[key] : undefined;
}

function matchesObject(pattern: CompiledPattern, event: unknown): boolean {
  // An array of objects matches when any element does.
  if (Array.isArray(event)) return event.some((item) => matchesObject(pattern, item));
  for (const [key, spec] of pattern.fields) {
    const value = fieldOf(event, key);
    const ok = Array.isArray(spec)
      ? matchesLeaf(spec, value)
      : matchesObject(spec, value === undefined ? {} : value);
    if (!ok) return false;
  }
  return (
    pattern.or.length === 0 || pattern.or.some((alternative) => matchesObject(alternative, event))
  );
}

/** Whether an event envelope (plain JSON) matches a compiled pattern. */
export function matchesEventPattern(pattern: CompiledPattern, event: object): boolean {
  return matchesObject(pattern, event);
}
