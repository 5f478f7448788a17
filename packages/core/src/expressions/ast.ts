/** The syntax tree of one expression. Offsets are into the template text, `end` is exclusive. */

/** A literal value written in an expression. */
export type LiteralValue = string | number | boolean | null;

/** `'text'`, `"text"`, `42`, `1.5`, `true`, `false`, `null`. */
export interface LiteralExpr {
  kind: 'literal';
  value: LiteralValue;
  start: number;
  end: number;
}

/** A top-level name such as `stage` or `vars`. */
export interface IdentifierExpr {
  kind: 'identifier';
  name: string;
  start: number;
  end: number;
}

/**
 * `object.name` or `object[key]`. Dot access stores its name as a string literal key, so both forms
 * evaluate the same way; `bracket` only records how it was written.
 */
export interface AccessExpr {
  kind: 'access';
  object: Expr;
  key: Expr;
  bracket: boolean;
  start: number;
  end: number;
}

/** `name(arg, …)`. Only a plain name can be called. */
export interface CallExpr {
  kind: 'call';
  callee: string;
  /** Where the function name ends (the `(` follows, perhaps after spaces). */
  calleeEnd: number;
  args: Expr[];
  start: number;
  end: number;
}

/** Any expression node. */
export type Expr = LiteralExpr | IdentifierExpr | AccessExpr | CallExpr;

/** An access chain split into its root and its accesses, outermost last. */
export interface Chain {
  root: Exclude<Expr, AccessExpr>;
  accesses: AccessExpr[];
}

/**
 * Splits `a.b[c].d` into `a` and its three accesses without recursion, so that chains as long as
 * the length limit allows never deepen the call stack.
 */
export function flattenChain(expr: Expr): Chain {
  const accesses: AccessExpr[] = [];
  let node = expr;
  while (node.kind === 'access') {
    accesses.push(node);
    node = node.object;
  }
  accesses.reverse();
  return { root: node, accesses };
}
