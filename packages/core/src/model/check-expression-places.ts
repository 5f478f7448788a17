/** Reports `${{ }}` written where expressions are not evaluated (stage names, account ids, …). */
import type { DiagnosticBag } from '../errors/index.js';
import { hasExpression } from '../expressions/index.js';
import type { DataPath, PositionIndex } from '../loader/position-index.js';

/** Paths under which expressions are evaluated; `*` matches any one key or index. */
const ALLOWED: readonly (readonly string[])[] = [
  ['pipeline', 'steps', '*', 'params'],
  ['pipeline', 'artifacts', '*', 'params'],
  ['pipeline', 'artifacts', '*', 'envs'],
  ['pipeline', 'stages', '*', 'vars'],
  ['pipeline', 'stage_defaults', 'vars'],
  ['pipeline', 'ephemeral_environments', '*', 'vars'],
];

function allowed(path: DataPath): boolean {
  return ALLOWED.some(
    (pattern) =>
      pattern.length <= path.length && pattern.every((p, i) => p === '*' || p === String(path[i])),
  );
}

/** Walks the definition iteratively and reports every expression outside the allowed places. */
export function checkExpressionPlaces(
  data: unknown,
  positions: PositionIndex,
  bag: DiagnosticBag,
): void {
  const stack: { value: unknown; path: DataPath }[] = [{ value: data, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: DataPath };
    if (typeof value === 'string') {
      if (hasExpression(value) && !allowed(path)) {
        const offset = value.indexOf('${{');
        bag.error(
          'EXPR_NOT_ALLOWED',
          `expressions are not evaluated in ${path.map(String).join('.')}`,
          positions.locateInString(path, value, Math.max(0, offset)),
          'Write a literal value here; expressions work in step params, artifact params and envs, and vars.',
        );
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    } else if (value !== null && typeof value === 'object') {
      if (allowed(path)) continue;
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
    }
  }
}
