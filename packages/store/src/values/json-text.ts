/**
 * JSON values travel as text: SQLite keeps the text, PostgreSQL parses it into jsonb (which keeps
 * values, not key order or spacing). Both dialects accept and refuse the same values.
 */
import type { JsonValue } from '@rampart/engine';
import { RampartError } from '@rampart/core';

/**
 * `JSON.stringify` writes U+0000 and unpaired surrogates as `\u` escapes, which PostgreSQL's jsonb
 * refuses. Matching an odd run of backslashes before the `u` skips an escaped backslash followed by
 * the letters `u0000`.
 */
const JSONB_UNSUPPORTED_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

/** Serializes a JSON value for storage; throws `STORE_VALUE_UNSUPPORTED` for what jsonb cannot hold. */
export function toJsonText(value: JsonValue, field: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new RampartError(
      'STORE_VALUE_UNSUPPORTED',
      `${field} is not serializable as JSON: ${String(error)}`,
      {
        source: 'system',
        cause: error,
      },
    );
  }
  if (text === undefined) {
    throw new RampartError(
      'STORE_VALUE_UNSUPPORTED',
      `${field} is not a JSON value (${typeof value})`,
      {
        source: 'system',
      },
    );
  }
  if (JSONB_UNSUPPORTED_ESCAPE.test(text)) {
    throw new RampartError(
      'STORE_VALUE_UNSUPPORTED',
      `${field} holds text with U+0000 or an unpaired UTF-16 surrogate, which the store cannot hold`,
      {
        source: 'system',
        hint: 'Replace those characters before storing the value (e.g. with U+FFFD).',
      },
    );
  }
  return text;
}

/** Parses stored JSON text. */
export function fromJsonText(text: string): JsonValue {
  return JSON.parse(text) as JsonValue;
}
