// Parameter readers KMS actions share: tags, binary blobs, Limit/Marker pagination.
import { CommonError } from '../../framework/aws-error.js';
import type { Input } from '../../framework/input.js';
import { paginate } from '../../framework/pagination.js';
import { invalidMarker, tagError, validation } from './kms-errors.js';
import type { KmsTag } from './kms-state.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Throws the protocol's missing-parameter error unless `name` is present (lists, maps). */
export function requireParam(input: Input, name: string): void {
  if (!input.has(name)) {
    throw new CommonError(
      'MissingParameter',
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
}

/** A required blob parameter (base64 on the wire). */
export function readBlob(input: Input, name: string): Buffer {
  const text = input.reqStr(name);
  if (!BASE64.test(text)) {
    throw new CommonError('MalformedInput', `${name} is not valid base64.`);
  }
  return Buffer.from(text, 'base64');
}

/** KMS tags (`[{ TagKey, TagValue }]`), checked as KMS checks them. */
export function readKmsTags(input: Input, name = 'Tags'): KmsTag[] {
  return input.list(name).map((tag) => {
    const TagKey = tag.reqStr('TagKey');
    const TagValue = tag.reqStr('TagValue');
    if (TagKey.length < 1 || TagKey.length > 128 || TagValue.length > 256) {
      throw tagError('Tag keys must be 1-128 characters and tag values at most 256 characters.');
    }
    if (TagKey.toLowerCase().startsWith('aws:')) {
      throw tagError('Tags beginning with aws: are reserved.');
    }
    return { TagKey, TagValue };
  });
}

/** Merges tags: a new value replaces the old one of the same key. */
export function mergeTags(existing: KmsTag[], added: KmsTag[]): KmsTag[] {
  const byKey = new Map(existing.map((tag) => [tag.TagKey, tag.TagValue]));
  for (const tag of added) byKey.set(tag.TagKey, tag.TagValue);
  return [...byKey].map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

/** One page of a KMS list (`Limit` 1–1000, default 100; `Marker` → `NextMarker`, `Truncated`). */
export function kmsPage<T>(
  items: readonly T[],
  input: Input,
  defaultLimit = 100,
): { page: T[]; Truncated: boolean; NextMarker?: string } {
  const limit = input.int('Limit') ?? defaultLimit;
  if (limit < 1 || limit > 1000) {
    throw validation(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  const { page, nextToken } = paginate(items, input.str('Marker'), limit, invalidMarker);
  return nextToken === undefined
    ? { page, Truncated: false }
    : { page, Truncated: true, NextMarker: nextToken };
}
