// Reading ECS parameters the way ECS checks them: tags, enumerations, list sizes, pagination.
import type { Input } from '../../framework/input.js';
import { paginate } from '../../framework/pagination.js';
import { invalidParameter, invalidToken } from './ecs-errors.js';
import type { EcsTag } from './ecs-state.js';

/** ECS's `[{ key, value }]` tags, checked against ECS's limits. */
export function readTags(input: Input, name = 'tags'): EcsTag[] {
  const tags = input.list(name).map((tag) => ({
    key: tag.str('key') ?? '',
    value: tag.str('value') ?? '',
  }));
  if (tags.length > 50) throw invalidParameter('The resource can have at most 50 tags.');
  for (const tag of tags) {
    if (tag.key.length < 1 || tag.key.length > 128) {
      throw invalidParameter('Tag keys must be between 1 and 128 characters.');
    }
    if (tag.value.length > 256) {
      throw invalidParameter('Tag values must be at most 256 characters.');
    }
    if (/^aws:/i.test(tag.key)) {
      throw invalidParameter('Tag keys with the aws: prefix are reserved for AWS use.');
    }
  }
  return tags;
}

/** Tags with `updates` applied (same key → new value). */
export function mergeTags(tags: readonly EcsTag[], updates: readonly EcsTag[]): EcsTag[] {
  const merged = new Map(tags.map((tag) => [tag.key, tag.value]));
  for (const tag of updates) merged.set(tag.key, tag.value);
  return [...merged].map(([key, value]) => ({ key, value }));
}

/** An optional enumerated string parameter. */
export function enumParam<T extends string>(
  input: Input,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = input.str(name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidParameter(
      `Invalid value for ${name}: "${value}". Valid values are: ${allowed.join(', ')}.`,
    );
  }
  return value as T;
}

/** A list parameter with at most `max` items. */
export function boundedList(input: Input, name: string, max: number): string[] {
  const values = input.strList(name);
  if (values.length > max) {
    throw invalidParameter(`${name} can have at most ${max} items.`);
  }
  return values;
}

/** One page of a list: `maxResults` in [1, `limit`] (default `fallback`), opaque `nextToken`. */
export function ecsPage<T>(
  items: readonly T[],
  input: Input,
  fallback: number,
  limit = 100,
): { page: T[]; nextToken?: string } {
  const max = input.int('maxResults') ?? fallback;
  if (max < 1 || max > limit) {
    throw invalidParameter(`maxResults must be between 1 and ${limit}.`);
  }
  return paginate(items, input.str('nextToken'), max, invalidToken);
}
