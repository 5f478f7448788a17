// Function tags: a `{ key: value }` map, with Lambda's limits.
import type { Input } from '../../framework/input.js';
import { invalidParameter } from './lambda-errors.js';
import { putOwn } from '../../state/own-record.js';

/** The most tags a function may carry. */
export const MAX_TAGS = 50;

/** Reads a `Tags` map member (absent → {}). */
export function readTags(input: Input, member = 'Tags'): Record<string, string> {
  const given = input.obj(member);
  const tags: Record<string, string> = {};
  if (!given) return tags;
  for (const key of Object.keys(given.raw)) {
    const value = given.str(key) ?? '';
    if (key.length < 1 || key.length > 128 || value.length > 256) {
      throw invalidParameter(
        `Tag ${key} is invalid: keys have 1 to 128 characters, values at most 256.`,
      );
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidParameter('Tag keys starting with "aws:" are reserved for AWS use.');
    }
    putOwn(tags, key, value);
  }
  return tags;
}

/** Merges `added` into `tags`, enforcing the per-function limit. */
export function mergeTags(tags: Record<string, string>, added: Record<string, string>): void {
  const keys = new Set([...Object.keys(tags), ...Object.keys(added)]);
  if (keys.size > MAX_TAGS) {
    throw invalidParameter(`A function may have at most ${MAX_TAGS} tags.`);
  }
  for (const [key, value] of Object.entries(added)) putOwn(tags, key, value);
}
