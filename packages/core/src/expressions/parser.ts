/** A recursive-descent parser for the body of one `${{ … }}`, with a bound on nesting. */
import type { CallExpr, Expr } from './ast.js';
import { expressionDiagnostic, type ExpressionDiagnostic } from './expression-diagnostic.js';
import { tokenize, type Token } from './lexer.js';
import { MAX_EXPRESSION_DEPTH } from './limits.js';

/** The tree of one expression, or its first syntax error. */
export type ParseResult = { expr: Expr } | { error: ExpressionDiagnostic };

const OPERATOR_HINT =
  'An expression reads one value: a name, a key (a.b, a["b"], a[0]) or a function call; compute anything else before the pipeline runs.';

/** Parses `text` from `start` to `end` (exclusive) as one expression. Never throws. */
export function parseExpression(text: string, start: number, end: number): ParseResult {
  const parser = new Parser(tokenize(text, start, end));
  const expr = parser.expression(0);
  if (expr !== undefined) parser.expectEnd();
  if (parser.error !== undefined) return { error: parser.error };
  if (expr === undefined) throw new Error('parser stopped without an error');
  return { expr };
}

/**
 * Each method returns `undefined` after recording the first error in `error`: one diagnostic per
 * expression is enough, and plain returns are much cheaper than exceptions.
 */

class Parser {
  error: ExpressionDiagnostic | undefined;
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  /** expression = primary { "." name | "[" expression "]" } */
  expression(depth: number): Expr | undefined {
    let expr = this.primary(depth);
    if (expr === undefined) return undefined;
    for (;;) {
      const token = this.peek();
      if (isPunctuation(token, '.')) {
        this.index++;
        const name = this.peek();
        if (name.kind !== 'name') {
          return this.fail(
            name,
            `expected a key name after ".", found ${describe(name)}`,
            name.kind === 'number'
              ? 'Use brackets for a list index: a[0].'
              : 'Use brackets for keys that are not names: a["key with spaces"].',
          );
        }
        this.index++;
        const key: Expr = { kind: 'literal', value: name.name, start: name.start, end: name.end };
        expr = {
          kind: 'access',
          object: expr,
          key,
          bracket: false,
          start: expr.start,
          end: name.end,
        };
      } else if (isPunctuation(token, '[')) {
        if (!this.enter(token, depth)) return undefined;
        this.index++;
        const key = this.expression(depth + 1);
        if (key === undefined) return undefined;
        const close = this.expect(']', 'to close "["');
        if (close === undefined) return undefined;
        expr = {
          kind: 'access',
          object: expr,
          key,
          bracket: true,
          start: expr.start,
          end: close.end,
        };
      } else if (isPunctuation(token, '(')) {
        return this.fail(
          token,
          'only a function name can be called',
          'Call functions by name, e.g. secret("X"); methods such as a.b() do not exist.',
        );
      } else {
        return expr;
      }
    }
  }

  /** Requires that the whole body was consumed. */
  expectEnd(): void {
    const token = this.peek();
    if (token.kind === 'end') return;
    this.fail(
      token,
      `unexpected ${describe(token)} after the expression`,
      'One "${{ }}" holds one value; write several "${{ }}" to combine values into text.',
    );
  }

  /** primary = literal | name | name "(" [ expression { "," expression } ] ")" */
  private primary(depth: number): Expr | undefined {
    const token = this.peek();
    switch (token.kind) {
      case 'number':
      case 'string':
        this.index++;
        return { kind: 'literal', value: token.value, start: token.start, end: token.end };
      case 'name': {
        this.index++;
        const next = this.peek();
        if (isPunctuation(next, '(')) return this.call(token, next, depth);
        const keyword = KEYWORDS.get(token.name);
        if (keyword !== undefined) {
          return { kind: 'literal', value: keyword.value, start: token.start, end: token.end };
        }
        return { kind: 'identifier', name: token.name, start: token.start, end: token.end };
      }
      case 'punctuation':
      case 'operator':
      case 'end':
      case 'invalid':
        return this.fail(token, `expected a value, found ${describe(token)}`);
    }
  }

  private call(
    name: Extract<Token, { kind: 'name' }>,
    open: Token,
    depth: number,
  ): CallExpr | undefined {
    if (!this.enter(open, depth)) return undefined;
    this.index++;
    const args: Expr[] = [];
    if (!isPunctuation(this.peek(), ')')) {
      for (;;) {
        const arg = this.expression(depth + 1);
        if (arg === undefined) return undefined;
        args.push(arg);
        const token = this.peek();
        if (!isPunctuation(token, ',')) break;
        this.index++;
      }
    }
    const close = this.expect(')', `to close the call of ${name.name}()`);
    if (close === undefined) return undefined;
    return {
      kind: 'call',
      callee: name.name,
      calleeEnd: name.end,
      args,
      start: name.start,
      end: close.end,
    };
  }

  /** Checks the nesting bound before a `[` or `(`. */
  private enter(token: Token, depth: number): boolean {
    if (depth + 1 <= MAX_EXPRESSION_DEPTH) return true;
    this.fail(
      token,
      `brackets and calls nest deeper than ${String(MAX_EXPRESSION_DEPTH)} levels`,
      'Simplify the expression.',
    );
    return false;
  }

  private expect(text: ')' | ']', why: string): Token | undefined {
    const token = this.peek();
    if (isPunctuation(token, text)) {
      this.index++;
      return token;
    }
    return this.fail(token, `expected "${text}" ${why}, found ${describe(token)}`);
  }

  private peek(): Token {
    // The list always ends with an `end` or `invalid` token, and the parser never passes it.
    return this.tokens[this.index] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  /** Records the first error; operators and lexical errors get their own message. */
  private fail(token: Token, message: string, hint?: string): undefined {
    this.error ??= diagnosticFor(token, message, hint);
    return undefined;
  }
}

function diagnosticFor(token: Token, message: string, hint?: string): ExpressionDiagnostic {
  if (token.kind === 'invalid') return token.diagnostic;
  if (token.kind === 'operator') {
    return expressionDiagnostic(
      'EXPR_SYNTAX',
      `operators are not supported in expressions (found "${token.text}")`,
      token.start,
      OPERATOR_HINT,
    );
  }
  return expressionDiagnostic('EXPR_SYNTAX', message, token.start, hint);
}

const KEYWORDS = new Map<string, { value: boolean | null }>([
  ['true', { value: true }],
  ['false', { value: false }],
  ['null', { value: null }],
]);

function isPunctuation(token: Token, text: string): boolean {
  return token.kind === 'punctuation' && token.text === text;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'name':
      return `name "${token.name}"`;
    case 'number':
      return `number ${String(token.value)}`;
    case 'string':
      return `string ${JSON.stringify(token.value.length > 20 ? token.value.slice(0, 20) + '…' : token.value)}`;
    case 'punctuation':
    case 'operator':
      return `"${token.text}"`;
    case 'end':
      return 'the end of the expression';
    case 'invalid':
      return 'an invalid token';
  }
}
