/** The static references of a template, for dependency analysis without evaluating anything. */
import { flattenChain, type Expr, type LiteralValue } from './ast.js';
import type { ParsedTemplate } from './parse-template.js';

/**
 * A chain of keys rooted at a name: `stage.artifacts["Web"].image_url` gives
 * `['stage', 'artifacts', 'Web', 'image_url']`. The path stops before the first key that is
 * computed (`a[b.c]`); `dynamic` then says that more keys follow, and the key expression is
 * reported on its own.
 */
export interface PathReference {
  kind: 'path';
  path: (string | number)[];
  /** The offset of each path segment (for a bracket key, of the key literal). */
  offsets: number[];
  /** The offset of the root name. */
  offset: number;
  dynamic: boolean;
}

/** A function call; `args` holds each literal argument, `undefined` for any other argument. */
export interface CallReference {
  kind: 'call';
  call: string;
  args: (LiteralValue | undefined)[];
  offset: number;
}

/** A static reference found by {@link collectReferences}. */
export type ExpressionReference = PathReference | CallReference;

/** Lists the references of every parsed expression of `parsed`, in order of offset. */
export function collectReferences(parsed: ParsedTemplate): ExpressionReference[] {
  const found: ExpressionReference[] = [];
  for (const part of parsed.parts) {
    if (part.kind === 'expr' && part.expr !== undefined) visit(part.expr, found);
  }
  return found.sort((a, b) => a.offset - b.offset);
}

/** Lists the references of one expression, in order of offset. */
export function collectExpressionReferences(expr: Expr): ExpressionReference[] {
  const found: ExpressionReference[] = [];
  visit(expr, found);
  return found.sort((a, b) => a.offset - b.offset);
}

function visit(expr: Expr, found: ExpressionReference[]): void {
  const { root, accesses } = flattenChain(expr);
  let path: PathReference | undefined;
  if (root.kind === 'identifier') {
    path = {
      kind: 'path',
      path: [root.name],
      offsets: [root.start],
      offset: root.start,
      dynamic: false,
    };
    found.push(path);
  } else if (root.kind === 'call') {
    found.push({
      kind: 'call',
      call: root.callee,
      args: root.args.map((a) => (a.kind === 'literal' ? a.value : undefined)),
      offset: root.start,
    });
    for (const arg of root.args) visit(arg, found);
  }
  for (const { key } of accesses) {
    const literal =
      key.kind === 'literal' && (typeof key.value === 'string' || typeof key.value === 'number');
    if (path !== undefined && !path.dynamic && literal) {
      path.path.push(key.value as string | number);
      path.offsets.push(key.start);
    } else {
      if (path !== undefined) path.dynamic = true;
      if (!literal) visit(key, found);
    }
  }
}
