// Shared input checks of EventBridge actions: names, the event bus, limits, timestamps.
import { paginate } from '../../framework/pagination.js';
import type { ActionContext } from '../../framework/service.js';
import { constraintViolation, notFound, validationError } from './events-errors.js';
import { busArn, DEFAULT_BUS, initEventsState, type EventsState } from './events-state.js';

const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/** A required resource name (`Name`, `Rule`), checked like AWS: 1–64 of `[.\-_A-Za-z0-9]`. */
export function resourceName(ctx: ActionContext, field = 'Name'): string {
  const name = ctx.input.reqStr(field);
  if (!NAME.test(name)) {
    throw constraintViolation(
      field.charAt(0).toLowerCase() + field.slice(1),
      name,
      'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length between 1 and 64',
    );
  }
  return name;
}

/** Accepts only the default bus (by name or ARN); others do not exist in the sandbox. */
export function checkEventBus(ctx: ActionContext, name = ctx.input.str('EventBusName')): void {
  if (name === undefined || name === DEFAULT_BUS) return;
  if (name === busArn({ accountId: ctx.accountId, region: ctx.region })) return;
  throw notFound(`Event bus ${name} does not exist.`);
}

/** This account and region's EventBridge state. */
export function eventsState(ctx: ActionContext): EventsState {
  return ctx.state(initEventsState);
}

/** Where the call acts. */
export function here(ctx: ActionContext): { accountId: string; region: string } {
  return { accountId: ctx.accountId, region: ctx.region };
}

/** An optional integer within `[min, max]`. */
export function intInRange(
  ctx: ActionContext,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const value = ctx.input.int(field);
  if (value !== undefined && (value < min || value > max)) {
    throw constraintViolation(
      field,
      String(value),
      `Member must have value ${value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`,
    );
  }
  return value;
}

/** One page of a list for the call's `NextToken` and `Limit` (1–100). */
export function eventsPage<T>(
  ctx: ActionContext,
  items: readonly T[],
): {
  page: T[];
  nextToken?: string;
} {
  const limit = intInRange(ctx, 'Limit', 1, 100) ?? 100;
  return paginate(items, ctx.input.str('NextToken'), limit, () =>
    validationError('The NextToken provided is invalid.'),
  );
}

/** Sorts records by name. */
export function byName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
