/** Evaluates one parsed expression against a caller-supplied context. */
import type { ErrorCode } from '../errors/error-codes.js';
import { nearest } from '../text/nearest.js';
import { flattenChain, type AccessExpr, type CallExpr, type Expr } from './ast.js';
import { ContextNode, type ContextValue } from './context-node.js';
import { Deferred } from './deferred.js';
import type { ExpressionContext } from './expression-context.js';
import {
  expressionDiagnostic,
  ExpressionFailure,
  type ExpressionDiagnostic,
} from './expression-diagnostic.js';

/** The value of one expression, or its first error. */
export type EvaluationResult =
  { ok: true; value: ContextValue } | { ok: false; error: ExpressionDiagnostic };

/** How many known keys an unknown-key message lists. */
const LISTED_KEYS = 10;

/**
 * Evaluates `expr`, whose offsets point into `text` (used to quote sub-expressions in messages).
 * Stops at the first error of the expression.
 */
export function evaluateExpression(
  expr: Expr,
  ctx: ExpressionContext,
  text: string,
): EvaluationResult {
  const { root, accesses } = flattenChain(expr);
  let current: EvaluationResult;
  switch (root.kind) {
    case 'literal':
      current = ok(root.value);
      break;
    case 'identifier':
      current = readNode(ctx.root, root.name, root.start, true);
      break;
    case 'call':
      current = call(root, ctx, text);
      break;
  }
  for (const access of accesses) {
    if (!current.ok) return current;
    current = readKey(current.value, access, ctx, text);
  }
  return current;
}

function call(expr: CallExpr, ctx: ExpressionContext, text: string): EvaluationResult {
  const fn = ctx.functions.get(expr.callee);
  if (fn === undefined) {
    const known = [...ctx.functions.keys()];
    return fail(
      'EXPR_UNKNOWN_FUNCTION',
      `unknown function "${expr.callee}"${suggestion(expr.callee, known)}`,
      expr.start,
      known.length === 0 ? 'No functions are available here.' : `Known functions: ${list(known)}.`,
    );
  }
  if (expr.args.length !== fn.arity) {
    const extra = expr.args[fn.arity];
    return fail(
      'EXPR_BAD_ARGUMENTS',
      `${expr.callee}() takes ${plural(fn.arity, 'argument')}, got ${String(expr.args.length)}`,
      extra?.start ?? expr.end - 1,
    );
  }
  const values: ContextValue[] = [];
  for (const arg of expr.args) {
    const result = evaluateExpression(arg, ctx, text);
    if (!result.ok) return result;
    values.push(result.value);
  }
  const value = fn.call(values);
  if (value instanceof ExpressionFailure) {
    const at = value.options.argument === undefined ? undefined : expr.args[value.options.argument];
    return fail(value.code, value.message, at?.start ?? expr.start, value.options.hint);
  }
  return ok(value);
}

function readKey(
  object: ContextValue,
  access: AccessExpr,
  ctx: ExpressionContext,
  text: string,
): EvaluationResult {
  const keyResult =
    access.key.kind === 'literal'
      ? ok(access.key.value)
      : evaluateExpression(access.key, ctx, text);
  if (!keyResult.ok) return keyResult;
  const key = keyResult.value;
  const at = access.key.start;
  // Nothing more is known about a value that is not known yet, whatever the key.
  if (object instanceof Deferred) return ok(object);

  const objectText = text.slice(access.object.start, access.object.end);
  if (object === null || typeof object !== 'object') {
    const keyText =
      typeof key === 'string' || typeof key === 'number'
        ? String(key)
        : text.slice(access.key.start, access.key.end);
    return fail(
      'EXPR_TYPE',
      `cannot read key "${keyText}" of ${objectText}: it is ${kindOf(object)}`,
      at,
      `Use ${objectText} itself, or read a key of an object.`,
    );
  }
  // A key that is not known yet gives a value that is not known yet.
  if (key instanceof Deferred) return ok(key);
  if (typeof key !== 'string' && typeof key !== 'number') {
    return fail(
      'EXPR_TYPE',
      `a key must be a string or a number, but ${text.slice(access.key.start, access.key.end)} is ${kindOf(key)}`,
      at,
    );
  }
  if (object instanceof ContextNode) return readNode(object, String(key), at, false);
  if (Array.isArray(object)) {
    return readIndex(object as readonly ContextValue[], key, at, objectText);
  }
  const name = String(key);
  // Own keys only: `constructor` or `__proto__` must never reach JavaScript internals.
  if (Object.hasOwn(object, name)) {
    return ok((object as Record<string, ContextValue>)[name] ?? null);
  }
  return unknownKey('EXPR_UNKNOWN_KEY', 'key', name, objectText, Object.keys(object), at);
}

function readIndex(
  list: readonly ContextValue[],
  key: string | number,
  at: number,
  objectText: string,
): EvaluationResult {
  if (typeof key !== 'number' || !Number.isInteger(key)) {
    return fail(
      'EXPR_TYPE',
      `${objectText} is a list: index it with a whole number, not ${typeof key === 'string' ? `"${key}"` : String(key)}`,
      at,
      `Write ${objectText}[0] for the first item.`,
    );
  }
  if (key < 0 || key >= list.length) {
    return fail(
      'EXPR_UNKNOWN_KEY',
      `index ${String(key)} is out of range: ${objectText} has ${plural(list.length, 'item')}`,
      at,
      list.length === 0 ? undefined : `Use an index from 0 to ${String(list.length - 1)}.`,
    );
  }
  return ok(list[key] ?? null);
}

function readNode(node: ContextNode, key: string, at: number, isRoot: boolean): EvaluationResult {
  const value = node.lookup(key);
  if (value === undefined) {
    const { unknownKeyCode, keyNoun } = node.options;
    return unknownKey(
      unknownKeyCode ?? (isRoot ? 'EXPR_UNKNOWN_OBJECT' : 'EXPR_UNKNOWN_KEY'),
      keyNoun ?? (isRoot ? 'object' : 'key'),
      key,
      isRoot ? undefined : node.description,
      node.knownKeys(),
      at,
    );
  }
  const rejected = node.options.onAccess?.(key);
  if (rejected !== undefined) {
    return fail(rejected.code, rejected.message, at, rejected.options.hint);
  }
  return ok(value);
}

function unknownKey(
  code: ErrorCode,
  noun: string,
  key: string,
  where: string | undefined,
  known: readonly string[] | undefined,
  at: number,
): EvaluationResult {
  const place = where === undefined ? '' : ` in ${where}`;
  let hint: string | undefined;
  if (known !== undefined) {
    hint =
      known.length === 0
        ? `There are no ${noun}s${place}.`
        : `Known ${noun}s${place}: ${list(known)}.`;
  }
  return fail(code, `unknown ${noun} "${key}"${place}${suggestion(key, known ?? [])}`, at, hint);
}

function suggestion(word: string, known: readonly string[]): string {
  const close = nearest(word, known);
  return close === undefined ? '' : `; did you mean "${close}"?`;
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_KEYS).join(', ');
  return names.length > LISTED_KEYS ? `${shown}, … (${String(names.length)} in all)` : shown;
}

function plural(count: number, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** Names the type of a value for messages: "a string", "null", "an object". */
export function kindOf(value: ContextValue): string {
  if (value === null) return 'null';
  if (value instanceof Deferred) return 'a value not known yet';
  if (value instanceof ContextNode) return 'an object';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return 'an object';
}

function ok(value: ContextValue): EvaluationResult {
  return { ok: true, value };
}

function fail(code: ErrorCode, message: string, offset: number, hint?: string): EvaluationResult {
  return { ok: false, error: expressionDiagnostic(code, message, offset, hint) };
}
