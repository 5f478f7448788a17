// IAM's list conventions: `Marker` / `MaxItems` in, `IsTruncated` / `Marker` out; tag limits.
import { paginate } from '../../framework/pagination.js';
import type { ActionContext } from '../../framework/service.js';
import type { Tag } from '../../state/iam-state.js';
import { limitExceeded, validationError } from './iam-errors.js';

/** One page of an IAM list. */
export function iamPage<T>(
  ctx: ActionContext,
  items: readonly T[],
): { page: T[]; IsTruncated: boolean; Marker?: string } {
  const max = ctx.input.int('MaxItems') ?? 100;
  if (max < 1 || max > 1000) throw validationError('MaxItems must be between 1 and 1000.');
  const { page, nextToken } = paginate(items, ctx.input.str('Marker'), max, () =>
    validationError('Invalid Marker.'),
  );
  return nextToken === undefined
    ? { page, IsTruncated: false }
    : { page, IsTruncated: true, Marker: nextToken };
}

/** Merges tags (same key replaces), enforcing IAM's 50-tag limit and sizes. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(existing.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) {
    if (tag.Key.length < 1 || tag.Key.length > 128 || tag.Value.length > 256) {
      throw validationError(
        `Invalid tag: key must be 1-128 characters and value at most 256 (key "${tag.Key}").`,
      );
    }
    merged.set(tag.Key, tag.Value);
  }
  if (merged.size > 50) throw limitExceeded('The number of tags has reached the maximum limit.');
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}
