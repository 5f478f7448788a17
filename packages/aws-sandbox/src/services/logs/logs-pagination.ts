// Logs' list pagination: the framework's offset tokens and Logs' limits and messages.
import { paginate } from '../../framework/pagination.js';
import type { ActionContext } from '../../framework/service.js';
import { constraintViolation, invalidParameter } from './logs-errors.js';

/** The `limit` of a call, checked against `[1, max]`. */
export function pageLimit(ctx: ActionContext, max: number, fallback = max): number {
  const limit = ctx.input.int('limit');
  if (limit === undefined) return fallback;
  if (limit < 1 || limit > max) {
    throw constraintViolation(
      'limit',
      String(limit),
      `Member must have value ${limit < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`,
    );
  }
  return limit;
}

/** One page of `items` for the call's `nextToken` and `limit`. */
export function logsPage<T>(
  ctx: ActionContext,
  items: readonly T[],
  max: number,
): { page: T[]; nextToken?: string } {
  return paginate(items, ctx.input.str('nextToken'), pageLimit(ctx, max), () =>
    invalidParameter('The specified nextToken is invalid.'),
  );
}
