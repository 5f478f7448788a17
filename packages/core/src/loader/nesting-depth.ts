/**
 * A quick scan for pathological nesting before the YAML parser runs: the parser recurses per level,
 * so 20,000 nested `[` would exhaust the stack. The scan is approximate on purpose (it does not
 * parse YAML) but never underestimates flow nesting outside quotes and comments, and counts block
 * nesting by indentation. Real files stay far below the limit.
 */
import { MAX_NESTING_DEPTH } from './limits.js';

export interface DepthViolation {
  /** 0-based offset where the limit is first exceeded. */
  offset: number;
  kind: 'flow' | 'block';
}

export function findExcessiveNesting(
  text: string,
  limit = MAX_NESTING_DEPTH,
): DepthViolation | undefined {
  let flow = 0;
  let quote: '"' | "'" | undefined;
  const indents: number[] = [];
  let lineStart = true;
  let indent = 0;
  let dashes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      indent = 0;
      dashes = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32 || c === 45 /* - */) {
        // Sequence dashes followed by space nest like indentation ("- - - a").
        if (c === 32 || text.charCodeAt(i + 1) === 32) {
          if (c === 45) dashes++;
          indent++;
          continue;
        }
      }
      if (c === 13 || c === 9) continue;
      lineStart = false;
      if (c !== 35 /* # */ && flow === 0 && quote === undefined) {
        while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= indent) indents.pop();
        indents.push(indent);
        if (indents.length + dashes > limit) return { offset: i, kind: 'block' };
      }
    }
    if (quote !== undefined) {
      if (quote === '"' && c === 92 /* \ */) i++;
      else if (c === quote.charCodeAt(0)) quote = undefined;
      continue;
    }
    switch (c) {
      case 34: // "
        if (startsScalar(text, i)) quote = '"';
        break;
      case 39: // '
        // A quote opens a string only where a scalar starts: after `: `, `- `, `[`, `{`, `,` or
        // at the start of a line. Inside a plain scalar (`a plain value ' with`) it is a character.
        if (startsScalar(text, i)) quote = "'";
        break;
      case 35: // # starts a comment at line start or after a space
        if (i === 0 || /\s/.test(text[i - 1] ?? ' ')) {
          const end = text.indexOf('\n', i);
          i = end < 0 ? text.length : end - 1;
        }
        break;
      case 91: // [
      case 123: // {
        if (++flow > limit) return { offset: i, kind: 'flow' };
        break;
      case 93: // ]
      case 125: // }
        if (flow > 0) flow--;
        break;
      default:
        break;
    }
  }
  return undefined;
}

/** Whether a quote at `i` starts a quoted scalar rather than sitting inside a plain one. */
function startsScalar(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  if (j < 0) return true;
  const prev = text[j];
  if (prev === '\n' || prev === '[' || prev === '{' || prev === ',' || prev === '?') return true;
  // `key: 'x'` and `- 'x'` need the space after the indicator.
  return (prev === ':' || prev === '-') && j < i - 1;
}
