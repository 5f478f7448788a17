// Composite alarm rules: `ALARM(a) AND NOT (OK("b") OR INSUFFICIENT_DATA(arn:…:alarm:c))`, with
// TRUE and FALSE. NOT binds tightest, then AND, then OR; parentheses group.
import type { AlarmStateValue } from './cloudwatch-state.js';

/** A parsed rule. */
export type RuleNode =
  | { kind: 'constant'; value: boolean }
  | { kind: 'state'; state: AlarmStateValue; alarm: string }
  | { kind: 'not'; operand: RuleNode }
  | { kind: 'and' | 'or'; left: RuleNode; right: RuleNode };

/** A rule that does not parse; the message says where. */
export class AlarmRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlarmRuleError';
  }
}

const FUNCTIONS: Record<string, AlarmStateValue> = {
  ALARM: 'ALARM',
  OK: 'OK',
  INSUFFICIENT_DATA: 'INSUFFICIENT_DATA',
};

/** Parses an AlarmRule. */
export function parseAlarmRule(text: string): RuleNode {
  let position = 0;
  const skipSpaces = (): void => {
    while (position < text.length && /\s/.test(text.charAt(position))) position += 1;
  };
  const word = (): string => {
    skipSpaces();
    const match = /^[A-Za-z_]+/.exec(text.slice(position));
    return match ? match[0] : '';
  };
  const fail = (what: string): never => {
    throw new AlarmRuleError(`${what} at position ${position + 1} of the alarm rule.`);
  };

  function call(state: AlarmStateValue): RuleNode {
    skipSpaces();
    if (text.charAt(position) !== '(') fail('Expected "("');
    position += 1;
    skipSpaces();
    let alarm: string;
    if (text.charAt(position) === '"') {
      const close = text.indexOf('"', position + 1);
      if (close < 0) fail('Unterminated quoted alarm name');
      alarm = text.slice(position + 1, close);
      position = close + 1;
      skipSpaces();
    } else {
      const close = text.indexOf(')', position);
      if (close < 0) fail('Expected ")"');
      alarm = text.slice(position, close).trim();
      position = close;
    }
    if (text.charAt(position) !== ')') fail('Expected ")"');
    position += 1;
    if (alarm === '') fail('Expected an alarm name or ARN');
    return { kind: 'state', state, alarm };
  }

  function primary(): RuleNode {
    skipSpaces();
    if (text.charAt(position) === '(') {
      position += 1;
      const inner = or();
      skipSpaces();
      if (text.charAt(position) !== ')') fail('Expected ")"');
      position += 1;
      return inner;
    }
    const name = word();
    if (name === 'TRUE' || name === 'FALSE') {
      position += name.length;
      return { kind: 'constant', value: name === 'TRUE' };
    }
    const state = FUNCTIONS[name];
    if (state !== undefined) {
      position += name.length;
      return call(state);
    }
    return fail(name === '' ? 'Expected a function' : `Unknown function or keyword "${name}"`);
  }
  function not(): RuleNode {
    if (word() === 'NOT') {
      position += 3;
      return { kind: 'not', operand: not() };
    }
    return primary();
  }
  function and(): RuleNode {
    let node = not();
    while (word() === 'AND') {
      position += 3;
      node = { kind: 'and', left: node, right: not() };
    }
    return node;
  }
  function or(): RuleNode {
    let node = and();
    while (word() === 'OR') {
      position += 2;
      node = { kind: 'or', left: node, right: and() };
    }
    return node;
  }

  const root = or();
  skipSpaces();
  if (position < text.length) fail(`Unexpected "${text.slice(position, position + 10)}"`);
  return root;
}

/** The alarm references of a rule, as written (names or ARNs). */
export function ruleReferences(node: RuleNode): string[] {
  switch (node.kind) {
    case 'constant':
      return [];
    case 'state':
      return [node.alarm];
    case 'not':
      return ruleReferences(node.operand);
    case 'and':
    case 'or':
      return [...new Set([...ruleReferences(node.left), ...ruleReferences(node.right)])];
    default: {
      const never: never = node;
      throw new Error(`unknown rule node ${JSON.stringify(never)}`);
    }
  }
}

/** Evaluates a rule; `stateOf` gives a referenced alarm's state (undefined when it is gone). */
export function evaluateRule(
  node: RuleNode,
  stateOf: (reference: string) => AlarmStateValue | undefined,
): boolean {
  switch (node.kind) {
    case 'constant':
      return node.value;
    case 'state':
      return stateOf(node.alarm) === node.state;
    case 'not':
      return !evaluateRule(node.operand, stateOf);
    case 'and':
      return evaluateRule(node.left, stateOf) && evaluateRule(node.right, stateOf);
    case 'or':
      return evaluateRule(node.left, stateOf) || evaluateRule(node.right, stateOf);
    default: {
      const never: never = node;
      throw new Error(`unknown rule node ${JSON.stringify(never)}`);
    }
  }
}
