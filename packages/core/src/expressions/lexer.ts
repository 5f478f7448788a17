/** Splits the body of one `${{ … }}` into tokens, hand-written so that nothing is ever executed. */
import { expressionDiagnostic, type ExpressionDiagnostic } from './expression-diagnostic.js';

/** The punctuation tokens of the grammar. */
export type Punctuation = '.' | '[' | ']' | '(' | ')' | ',';

/** One token; offsets are into the template text, `end` is exclusive. */
export type Token =
  | { kind: 'name'; name: string; start: number; end: number }
  | { kind: 'number'; value: number; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'punctuation'; text: Punctuation; start: number; end: number }
  /** Recognised only to say that operators are not supported. */
  | { kind: 'operator'; text: string; start: number; end: number }
  | { kind: 'end'; start: number; end: number }
  /** A lexical error; always the last token. */
  | { kind: 'invalid'; diagnostic: ExpressionDiagnostic; start: number; end: number };

const TWO_CHARACTER_OPERATORS = new Set(['==', '!=', '<=', '>=', '&&', '||', '??']);
const OPERATOR_CHARACTERS = '+-*/%=!<>&|?:^~';
const PUNCTUATION = '.[](),';

/**
 * Tokenizes `text` from `start` to `end` (exclusive). The list ends with an `end` token, or with an
 * `invalid` token at the first lexical error.
 */
export function tokenize(text: string, start: number, end: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const ch = text[i] ?? '';
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < end && isNamePart(text.charCodeAt(j))) j++;
      tokens.push({ kind: 'name', name: text.slice(i, j), start: i, end: j });
      i = j;
    } else if (isDigit(c)) {
      const token = readNumber(text, i, end);
      tokens.push(token);
      if (token.kind === 'invalid') return tokens;
      i = token.end;
    } else if (ch === '"' || ch === "'") {
      const token = readString(text, i, end);
      tokens.push(token);
      if (token.kind === 'invalid') return tokens;
      i = token.end;
    } else if (PUNCTUATION.includes(ch)) {
      tokens.push({ kind: 'punctuation', text: ch as Punctuation, start: i, end: i + 1 });
      i++;
    } else if (OPERATOR_CHARACTERS.includes(ch)) {
      const pair = text.slice(i, Math.min(i + 2, end));
      const op = TWO_CHARACTER_OPERATORS.has(pair) ? pair : ch;
      tokens.push({ kind: 'operator', text: op, start: i, end: i + op.length });
      i += op.length;
    } else {
      tokens.push(invalidCharacter(text, i));
      return tokens;
    }
  }
  tokens.push({ kind: 'end', start: end, end });
  return tokens;
}

function readNumber(text: string, start: number, end: number): Token {
  let j = start;
  while (j < end && isDigit(text.charCodeAt(j))) j++;
  // A fraction needs a digit after the dot: `1.x` is member access on 1, which evaluation rejects.
  if (text[j] === '.' && j + 1 < end && isDigit(text.charCodeAt(j + 1))) {
    j += 2;
    while (j < end && isDigit(text.charCodeAt(j))) j++;
  }
  if (j < end && isNamePart(text.charCodeAt(j)) && text[j] !== '-') {
    let k = j;
    while (k < end && isNamePart(text.charCodeAt(k))) k++;
    return {
      kind: 'invalid',
      diagnostic: expressionDiagnostic(
        'EXPR_SYNTAX',
        `invalid number "${text.slice(start, k)}"`,
        start,
        'Names start with a letter or "_"; numbers are digits with an optional ".digits" part.',
      ),
      start,
      end: k,
    };
  }
  return { kind: 'number', value: Number(text.slice(start, j)), start, end: j };
}

function readString(text: string, start: number, end: number): Token {
  const quote = text[start];
  let value = '';
  let chunk = start + 1;
  let j = start + 1;
  while (j < end) {
    const ch = text[j];
    if (ch === quote) {
      value += text.slice(chunk, j);
      return { kind: 'string', value, start, end: j + 1 };
    }
    if (ch === '\\') {
      const next = text[j + 1];
      if (next !== '\\' && next !== '"' && next !== "'") {
        return {
          kind: 'invalid',
          diagnostic: expressionDiagnostic(
            'EXPR_SYNTAX',
            `unknown escape "\\${next ?? ''}" in a string`,
            j,
            'Only \\\\, \\" and \\\' are escapes; write \\\\ for a backslash.',
          ),
          start: j,
          end: j + 2,
        };
      }
      value += text.slice(chunk, j) + next;
      j += 2;
      chunk = j;
      continue;
    }
    j++;
  }
  return {
    kind: 'invalid',
    diagnostic: expressionDiagnostic(
      'EXPR_SYNTAX',
      'string is not closed',
      start,
      `Close the string with ${quote ?? '"'}.`,
    ),
    start,
    end,
  };
}

function invalidCharacter(text: string, at: number): Token {
  if (text.startsWith('${{', at)) {
    return {
      kind: 'invalid',
      diagnostic: expressionDiagnostic(
        'EXPR_SYNTAX',
        '"${{" inside an expression',
        at,
        'Close the previous expression with "}}" first; expressions do not nest.',
      ),
      start: at,
      end: at + 3,
    };
  }
  const codePoint = text.codePointAt(at) ?? 0;
  const shown = String.fromCodePoint(codePoint);
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  return {
    kind: 'invalid',
    diagnostic: expressionDiagnostic(
      'EXPR_SYNTAX',
      `unexpected character "${shown}" (U+${hex})`,
      at,
      'An expression holds names, "quoted strings", numbers, ".", "[ ]", and calls like secret("X").',
    ),
    start: at,
    end: at + shown.length,
  };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isNameStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c) || c === 0x2d;
}
