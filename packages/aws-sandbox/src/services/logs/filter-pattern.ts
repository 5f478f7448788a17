// The text form of CloudWatch Logs filter patterns: terms, quoted phrases, `?term` alternatives
// and `-term` exclusions. JSON (`{ $.x = … }`), space-delimited (`[a, b]`) and regex (`%…%`)
// patterns are not emulated and are refused, so a test never passes on a pattern we ignore.
import { invalidParameter } from './logs-errors.js';

/** A parsed text pattern. */
export interface FilterPattern {
  /** Every one must occur (case-sensitive substring). */
  required: string[];
  /** When any are given, at least one must occur. */
  anyOf: string[];
  /** None may occur. */
  excluded: string[];
}

function refuse(pattern: string, why: string): Error {
  return invalidParameter(`Invalid filter pattern ${JSON.stringify(pattern)}: ${why}`);
}

/** Reads a double-quoted phrase starting at `start` (the quote); returns the text and the end. */
function readQuoted(pattern: string, start: number): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  while (i < pattern.length) {
    const char = pattern[i] ?? '';
    if (char === '\\' && i + 1 < pattern.length) {
      text += pattern[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (char === '"') return { text, end: i + 1 };
    text += char;
    i += 1;
  }
  throw refuse(pattern, 'unterminated quoted term');
}

/** Parses a filter pattern; throws `InvalidParameterException` for what it cannot read. */
export function parseFilterPattern(pattern: string): FilterPattern {
  const result: FilterPattern = { required: [], anyOf: [], excluded: [] };
  const trimmed = pattern.trim();
  if (/^[{[]/.test(trimmed)) {
    throw refuse(pattern, 'JSON and space-delimited patterns are not emulated by the sandbox');
  }
  let i = 0;
  while (i < trimmed.length) {
    const char = trimmed[i] ?? '';
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    let bucket = result.required;
    if (char === '?' || char === '-') {
      bucket = char === '?' ? result.anyOf : result.excluded;
      i += 1;
    }
    let term: string;
    if (trimmed[i] === '"') {
      const quoted = readQuoted(trimmed, i);
      term = quoted.text;
      i = quoted.end;
    } else {
      const start = i;
      while (i < trimmed.length && !/\s/.test(trimmed[i] ?? '')) i += 1;
      term = trimmed.slice(start, i);
      if (term.includes('"')) throw refuse(pattern, 'quotes must enclose a whole term');
      if (term.startsWith('%') && term.endsWith('%') && term.length > 1) {
        throw refuse(pattern, 'regular expression terms are not emulated by the sandbox');
      }
    }
    if (term === '') throw refuse(pattern, 'empty term');
    bucket.push(term);
  }
  return result;
}

/** Whether a message matches a parsed pattern. */
export function matchesFilter(pattern: FilterPattern, message: string): boolean {
  if (!pattern.required.every((term) => message.includes(term))) return false;
  if (pattern.excluded.some((term) => message.includes(term))) return false;
  return pattern.anyOf.length === 0 || pattern.anyOf.some((term) => message.includes(term));
}
