/** What an expression is evaluated against: the caller's objects and functions. */
import type { ContextNode, ContextValue } from './context-node.js';
import type { ExpressionFailure } from './expression-diagnostic.js';

/** A function callable from expressions, such as `secret("X")`. */
export interface ExpressionFunction {
  /** How many arguments it takes; a call with another count is `EXPR_BAD_ARGUMENTS`. */
  arity: number;
  /**
   * Computes the result from evaluated arguments (which may be Deferreds), or returns an
   * {@link ExpressionFailure} (code `EXPR_BAD_ARGUMENTS` for bad arguments).
   */
  call(args: readonly ContextValue[]): ContextValue | ExpressionFailure;
}

/** Everything an expression can read or call, supplied by the caller. */
export interface ExpressionContext {
  /** The top-level objects (`stage`, `vars`, …). An unknown name is `EXPR_UNKNOWN_OBJECT`. */
  root: ContextNode;
  /** The callable functions by name. An unknown name is `EXPR_UNKNOWN_FUNCTION`. */
  functions: ReadonlyMap<string, ExpressionFunction>;
}
