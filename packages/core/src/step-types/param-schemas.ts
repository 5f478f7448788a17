/**
 * Building blocks of step and artifact params schemas. Any param may hold an expression resolved
 * later, so every non-string field also accepts a string holding `${{` (or a marker).
 */
import { z } from 'zod';
import { DEFERRED_VALUE_PATTERN } from './deferred-value.js';

const laterNote = 'or an expression ${{ … }}';

/** A string holding an expression or marker; `expected` names the typed alternative for errors. */
export function expressionString(expected: string): z.ZodString {
  return z.string().regex(DEFERRED_VALUE_PATTERN, { error: `expected ${expected}, ${laterNote}` });
}

/** Accepts a value of `schema`'s type, or a string holding an expression resolved later. */
export function exprOr<T extends z.ZodType>(
  schema: T,
  expected: string,
): z.ZodUnion<[T, z.ZodString]> {
  return z.union([schema, expressionString(expected)], {
    error: `expected ${expected}, ${laterNote}`,
  });
}

/** A non-empty string; expressions are strings too, so no wrapping is needed. */
export function text(): z.ZodString {
  return z.string().min(1, { error: 'must not be empty' });
}

/** A whole number above zero. */
export function positiveInt(): z.ZodUnion<[z.ZodNumber, z.ZodString]> {
  const expected = 'a whole number above 0';
  return exprOr(
    z
      .number({ error: `expected ${expected}` })
      .int({ error: `expected ${expected}` })
      .positive({ error: `expected ${expected}` }),
    expected,
  );
}

/** A number above zero, fractions allowed. */
export function positiveNumber(): z.ZodUnion<[z.ZodNumber, z.ZodString]> {
  const expected = 'a number above 0';
  return exprOr(
    z.number({ error: `expected ${expected}` }).positive({ error: `expected ${expected}` }),
    expected,
  );
}

/** `true` or `false`. */
export function flag(): z.ZodUnion<[z.ZodBoolean, z.ZodString]> {
  return exprOr(z.boolean(), 'true or false');
}

/** One of fixed words, e.g. `FARGATE`. */
export function oneOf<const V extends readonly [string, ...string[]]>(
  values: V,
): z.ZodUnion<[z.ZodEnum<{ [K in V[number]]: K }>, z.ZodString]> {
  return exprOr(z.enum(values), `one of ${values.join(', ')}`);
}

/** A map with free-form values (`variables`, `env`, `tags`, …). */
export function freeMap(): z.ZodUnion<[z.ZodRecord<z.ZodString, z.ZodUnknown>, z.ZodString]> {
  return exprOr(z.record(z.string(), z.unknown()), 'a map of keys to values');
}

/** A list of strings; items may themselves hold expressions. */
export function stringList(
  item: z.ZodString = text(),
): z.ZodUnion<[z.ZodArray<z.ZodString>, z.ZodString]> {
  return exprOr(z.array(item), 'a list of strings');
}

/**
 * A string that must match `pattern` (anchored with `^…$`) unless it holds an expression. Built as
 * one regex so that the JSON Schema for editors carries the same check.
 */
export function patternedText(pattern: RegExp, expected: string): z.ZodString {
  const either = new RegExp(`(?:${pattern.source})|${DEFERRED_VALUE_PATTERN.source}`);
  return z.string().regex(either, { error: `expected ${expected}, ${laterNote}` });
}
