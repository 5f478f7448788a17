// Metric math, the arithmetic part: `m1 / m2 * 100`, `(m1 + m2) / 2`, `-m1`, `m1 ^ 2` over the
// series of other queries. Points align by timestamp; a point missing from an operand, or a
// division by zero, yields no point. Functions (`FILL`, `SUM`, `IF`, …) are not emulated.

/** A parsed expression. */
export type MathNode =
  | { kind: 'number'; value: number }
  | { kind: 'ref'; id: string }
  | { kind: 'negate'; operand: MathNode }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/' | '^'; left: MathNode; right: MathNode };

/** A time series: period start (epoch ms) → value. */
export type Series = Map<number, number>;

/** An expression the sandbox cannot parse or evaluate; the message says why. */
export class MetricMathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricMathError';
  }
}

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/^(),]))/y;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) {
      throw new MetricMathError(`Unexpected character at position ${index + 1} of "${text}".`);
    }
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]) });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', value: match[2] });
    else tokens.push({ kind: 'op', value: match[3] ?? '' });
    index = pattern.lastIndex;
  }
  return tokens;
}

/** Parses an arithmetic expression over query ids. */
export function parseExpression(text: string): MathNode {
  const tokens = tokenize(text);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const isOp = (value: string): boolean => {
    const token = peek();
    return token?.kind === 'op' && token.value === value;
  };
  const expect = (value: string): void => {
    if (!isOp(value)) throw new MetricMathError(`Expected "${value}" in "${text}".`);
    position += 1;
  };

  function primary(): MathNode {
    const token = peek();
    if (token === undefined) throw new MetricMathError(`Unexpected end of "${text}".`);
    position += 1;
    if (token.kind === 'number') return { kind: 'number', value: token.value };
    if (token.kind === 'name') {
      if (isOp('(')) {
        throw new MetricMathError(
          `The function ${token.value} is not supported by the sandbox: only arithmetic (+ - * / ^) over metric ids is.`,
        );
      }
      return { kind: 'ref', id: token.value };
    }
    if (token.value === '(') {
      const inner = sum();
      expect(')');
      return inner;
    }
    throw new MetricMathError(`Unexpected "${token.value}" in "${text}".`);
  }
  function power(): MathNode {
    const base = primary();
    if (!isOp('^')) return base;
    position += 1;
    return { kind: 'binary', op: '^', left: base, right: unary() };
  }
  function unary(): MathNode {
    if (isOp('-')) {
      position += 1;
      return { kind: 'negate', operand: unary() };
    }
    if (isOp('+')) position += 1;
    return power();
  }
  function product(): MathNode {
    let node = unary();
    while (isOp('*') || isOp('/')) {
      const op = (peek() as { value: '*' | '/' }).value;
      position += 1;
      node = { kind: 'binary', op, left: node, right: unary() };
    }
    return node;
  }
  function sum(): MathNode {
    let node = product();
    while (isOp('+') || isOp('-')) {
      const op = (peek() as { value: '+' | '-' }).value;
      position += 1;
      node = { kind: 'binary', op, left: node, right: product() };
    }
    return node;
  }

  if (tokens.length === 0) throw new MetricMathError('The expression is empty.');
  const root = sum();
  if (position < tokens.length) {
    const token = tokens[position];
    throw new MetricMathError(`Unexpected "${String(token?.value)}" in "${text}".`);
  }
  return root;
}

/** The query ids an expression reads. */
export function referencedIds(node: MathNode): string[] {
  switch (node.kind) {
    case 'number':
      return [];
    case 'ref':
      return [node.id];
    case 'negate':
      return referencedIds(node.operand);
    case 'binary':
      return [...new Set([...referencedIds(node.left), ...referencedIds(node.right)])];
    default: {
      const never: never = node;
      throw new Error(`unknown node ${JSON.stringify(never)}`);
    }
  }
}

function apply(op: '+' | '-' | '*' | '/' | '^', a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    case '^': {
      const result = a ** b;
      return Number.isFinite(result) ? result : undefined;
    }
    default: {
      const never: never = op;
      throw new Error(`unknown operator ${String(never)}`);
    }
  }
}

/** Evaluates an expression; `series(id)` gives each referenced query's result. */
export function evaluateExpression(
  node: MathNode,
  series: (id: string) => Series | undefined,
): Series | number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'ref': {
      const found = series(node.id);
      if (!found) throw new MetricMathError(`Unknown metric id ${node.id} in the expression.`);
      return found;
    }
    case 'negate': {
      const operand = evaluateExpression(node.operand, series);
      if (typeof operand === 'number') return -operand;
      return new Map([...operand].map(([time, value]) => [time, -value]));
    }
    case 'binary': {
      const left = evaluateExpression(node.left, series);
      const right = evaluateExpression(node.right, series);
      if (typeof left === 'number' && typeof right === 'number') {
        return apply(node.op, left, right) ?? NaN;
      }
      const out: Series = new Map();
      const times = typeof left === 'number' ? [...(right as Series).keys()] : [...left.keys()];
      for (const time of times) {
        const a = typeof left === 'number' ? left : left.get(time);
        const b = typeof right === 'number' ? right : right.get(time);
        if (a === undefined || b === undefined) continue;
        const value = apply(node.op, a, b);
        if (value !== undefined) out.set(time, value);
      }
      return out;
    }
    default: {
      const never: never = node;
      throw new Error(`unknown node ${JSON.stringify(never)}`);
    }
  }
}
