/**
 * Values not known offline: expressions (`${{ … }}`) and the markers that stand for values resolved
 * later (`[SECRET:X]`, `[STAGE_SECRET:X]`, `[OUTPUT:step/field]`, `[ARTIFACT:id/field]`,
 * `[PRE_MIRROR_ARTIFACT:id/field]`, `[TRIGGER:field]`, `[ORGANIZATION:field]`).
 */

/** Matches a string that holds an expression or a marker anywhere. */
/** The marker kinds the planner writes for values known only later. */
export const MARKER_KINDS = [
  'SECRET',
  'STAGE_SECRET',
  'OUTPUT',
  'ARTIFACT',
  'PRE_MIRROR_ARTIFACT',
  'TRIGGER',
  'ORGANIZATION',
] as const;

export const DEFERRED_VALUE_PATTERN =
  /\$\{\{|\[(?:SECRET|STAGE_SECRET|OUTPUT|ARTIFACT|PRE_MIRROR_ARTIFACT|TRIGGER|ORGANIZATION):/;

// Each deferred part, including an unterminated `${{` that runs to the end of the string.
const deferredParts =
  /\$\{\{[\s\S]*?(?:\}\}|$)|\[(?:SECRET|STAGE_SECRET|OUTPUT|ARTIFACT|PRE_MIRROR_ARTIFACT|TRIGGER|ORGANIZATION):[^\]]*(?:\]|$)/g;

/** Whether `value` is a string holding an expression or a marker. */
export function isDeferred(value: unknown): value is string {
  return typeof value === 'string' && DEFERRED_VALUE_PATTERN.test(value);
}

/** The string itself when it is fully known offline; `undefined` for deferred or non-string values. */
export function literalString(value: unknown): string | undefined {
  return typeof value === 'string' && !DEFERRED_VALUE_PATTERN.test(value) ? value : undefined;
}

/**
 * An IAM wildcard for a resource name: the literal string itself, or the string with each deferred
 * part replaced by `*` (`api-${{ stage.name }}` → `api-*`). When the known parts hold characters
 * outside `safe` (a `:` or `/` that could change the ARN's shape), or the value is missing or not a
 * string, the answer is `*`.
 *
 * @param safe characters a name of this kind may hold; tested against the known parts only.
 */
export function namePattern(value: unknown, safe: RegExp): string {
  if (typeof value !== 'string') return '*';
  if (!isDeferred(value)) return value;
  const known = value.split(deferredParts);
  if (!known.every((part) => part === '' || safe.test(part))) return '*';
  return value.replace(deferredParts, '*').replace(/\*{2,}/g, '*');
}
