/** Splits a string into literal text and `${{ … }}` expressions. */
import type { Expr } from './ast.js';
import { expressionDiagnostic, type ExpressionDiagnostic } from './expression-diagnostic.js';
import { MAX_EXPRESSION_LENGTH } from './limits.js';
import { parseExpression } from './parser.js';

/** Literal text between expressions, with `$${{` escapes already turned into `${{`. */
export interface TextPart {
  kind: 'text';
  text: string;
}

/** One `${{ … }}`. */
export interface ExpressionPart {
  kind: 'expr';
  /** The body between `${{` and `}}`, spaces included. */
  source: string;
  /** The parsed body; `undefined` when it has an error (listed in {@link ParsedTemplate.errors}). */
  expr: Expr | undefined;
  /** Offset of the `$` of `${{`. */
  start: number;
  /** Offset just after the `}}` (the text length for an unterminated expression). */
  end: number;
}

/** One piece of a template: literal text or an expression. */
export type TemplatePart = TextPart | ExpressionPart;

/** The result of {@link parseTemplate}. */
export interface ParsedTemplate {
  /** The original string; every offset points into it. */
  text: string;
  /** Text and expressions in order; adjacent text is merged, and no text part is empty. */
  parts: TemplatePart[];
  /** Syntax errors, at most one per expression, in order. */
  errors: ExpressionDiagnostic[];
}

const DOLLAR = 0x24;
const OPEN = '${{';
const BACKSLASH = 0x5c;

/**
 * Whether `text` holds at least one expression. An escaped `$${{` does not count; use it to decide
 * whether a string needs evaluating at all, or whether a field that takes no expressions has one.
 */
export function hasExpression(text: string): boolean {
  let at = text.indexOf(OPEN);
  while (at !== -1) {
    if (at === 0 || text.charCodeAt(at - 1) !== DOLLAR) return true;
    at = text.indexOf(OPEN, at + 3);
  }
  return false;
}

/**
 * Parses a template. Never throws: problems are listed in `errors` with exact offsets.
 *
 * `$${{` stands for a literal `${{`. The closing `}}` of an expression is the first one outside
 * quotes, so `${{ vars["a}}b"] }}` is one expression. Work is linear in the length of `text`: each
 * character is scanned once, and a body longer than {@link MAX_EXPRESSION_LENGTH} is reported
 * without being tokenized.
 */
export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const errors: ExpressionDiagnostic[] = [];
  let pending = '';
  const flush = (): void => {
    if (pending !== '') parts.push({ kind: 'text', text: pending });
    pending = '';
  };

  let i = 0;
  for (;;) {
    const open = text.indexOf(OPEN, i);
    if (open === -1) {
      pending += text.slice(i);
      break;
    }
    if (open > i && text.charCodeAt(open - 1) === DOLLAR) {
      pending += text.slice(i, open - 1) + OPEN;
      i = open + OPEN.length;
      continue;
    }
    pending += text.slice(i, open);
    flush();

    const bodyStart = open + OPEN.length;
    const close = findClose(text, bodyStart);
    if (close.kind !== 'found') {
      errors.push(
        close.kind === 'open-string'
          ? expressionDiagnostic(
              'EXPR_SYNTAX',
              'string is not closed',
              close.quoteAt,
              'Close the quote; a "}}" inside quotes does not end the expression.',
            )
          : expressionDiagnostic(
              'EXPR_UNTERMINATED',
              'expression has no closing "}}"',
              open,
              'Close the expression with "}}", or write "$${{" for a literal "${{".',
            ),
      );
      parts.push({
        kind: 'expr',
        source: text.slice(bodyStart),
        expr: undefined,
        start: open,
        end: text.length,
      });
      return { text, parts, errors };
    }

    const part: ExpressionPart = {
      kind: 'expr',
      source: text.slice(bodyStart, close.at),
      expr: undefined,
      start: open,
      end: close.at + 2,
    };
    parts.push(part);
    i = part.end;
    if (close.at - bodyStart > MAX_EXPRESSION_LENGTH) {
      errors.push(
        expressionDiagnostic(
          'EXPR_TOO_LONG',
          `expression is ${String(close.at - bodyStart)} characters long; the limit is ${String(MAX_EXPRESSION_LENGTH)}`,
          open,
          'Shorten the expression; move long values into vars.',
        ),
      );
    } else if (part.source.trim() === '') {
      errors.push(
        expressionDiagnostic(
          'EXPR_SYNTAX',
          'empty expression',
          open,
          'Write a value between "${{" and "}}".',
        ),
      );
    } else {
      const result = parseExpression(text, bodyStart, close.at);
      if ('expr' in result) part.expr = result.expr;
      else errors.push(result.error);
    }
  }
  flush();
  return { text, parts, errors };
}

type CloseSearch =
  { kind: 'found'; at: number } | { kind: 'open-string'; quoteAt: number } | { kind: 'missing' };

/**
 * Finds the `}}` that ends the expression whose body starts at `from`, skipping quoted strings
 * with the same escape rule as the lexer (a backslash hides the next character). It jumps between
 * occurrences with `indexOf` and remembers each next occurrence, so every character is looked at a
 * bounded number of times and a long body is skipped at native speed.
 */
function findClose(text: string, from: number): CloseSearch {
  let nextClose = -2;
  let nextSingle = -2;
  let nextDouble = -2;
  let j = from;
  for (;;) {
    if (nextClose !== -1 && nextClose < j) nextClose = text.indexOf('}}', j);
    if (nextSingle !== -1 && nextSingle < j) nextSingle = text.indexOf("'", j);
    if (nextDouble !== -1 && nextDouble < j) nextDouble = text.indexOf('"', j);
    const quoteAt = firstOf(nextSingle, nextDouble);
    if (nextClose === -1 && quoteAt === -1) return { kind: 'missing' };
    if (quoteAt === -1 || (nextClose !== -1 && nextClose < quoteAt)) {
      return { kind: 'found', at: nextClose };
    }
    const end = closingQuote(text, quoteAt);
    if (end === -1) {
      // An unclosed quote that swallowed a "}}" is a likelier mistake than a missing "}}".
      return nextClose === -1 ? { kind: 'missing' } : { kind: 'open-string', quoteAt };
    }
    j = end + 1;
  }
}

/** The smaller of two `indexOf` results, ignoring -1 (not found). */
function firstOf(a: number, b: number): number {
  if (a === -1) return b;
  if (b === -1) return a;
  return Math.min(a, b);
}

/** The offset of the quote that closes the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  const quote = text.charAt(open);
  let k = open + 1;
  for (;;) {
    const at = text.indexOf(quote, k);
    if (at === -1) return -1;
    // An odd run of backslashes before the quote escapes it.
    let backslashes = 0;
    while (at - backslashes - 1 > open && text.charCodeAt(at - backslashes - 1) === BACKSLASH) {
      backslashes++;
    }
    if (backslashes % 2 === 0) return at;
    k = at + 1;
  }
}

const cache = new Map<string, ParsedTemplate>();
const CACHE_LIMIT = 10_000;

/**
 * {@link parseTemplate} with memoization: every stage evaluates the same param strings, so each
 * distinct string is parsed once. The result must be treated as read-only.
 */
export function parseTemplateCached(text: string): ParsedTemplate {
  let parsed = cache.get(text);
  if (parsed === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    parsed = parseTemplate(text);
    cache.set(text, parsed);
  }
  return parsed;
}
