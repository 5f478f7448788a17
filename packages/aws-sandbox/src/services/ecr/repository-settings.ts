// Validation of repository settings: tags, tag mutability (with exclusion filters), encryption.
import type { Input } from '../../framework/input.js';
import { ecrError, invalidParameter } from './ecr-errors.js';
import type { TagMutability, TagMutabilityExclusion } from './ecr-state.js';

const MUTABILITIES: readonly TagMutability[] = [
  'MUTABLE',
  'IMMUTABLE',
  'MUTABLE_WITH_EXCLUSION',
  'IMMUTABLE_WITH_EXCLUSION',
];

const ENCRYPTION_TYPES = ['AES256', 'KMS', 'KMS_DSSE'];

/** At most this many tags on a repository, as in ECR. */
const MAX_TAGS = 50;

/** Validated `[{ Key, Value }]` tags. */
export function readTags(input: Input, name: string): { Key: string; Value: string }[] {
  const tags = input.list(name).map((tag) => ({
    Key: tag.str('Key') ?? '',
    Value: tag.str('Value') ?? '',
  }));
  for (const tag of tags) {
    if (tag.Key.length < 1 || tag.Key.length > 128 || tag.Value.length > 256) {
      throw ecrError(
        'InvalidTagParameterException',
        'Tag keys must be 1 to 128 characters and values at most 256 characters.',
      );
    }
    if (tag.Key.toLowerCase().startsWith('aws:')) {
      throw ecrError('InvalidTagParameterException', "Tag keys may not start with 'aws:'.");
    }
  }
  if (tags.length > MAX_TAGS) {
    throw ecrError('TooManyTagsException', `A repository can have at most ${MAX_TAGS} tags.`);
  }
  return tags;
}

/** Merges tags by key (later values win). */
export function mergeTags(
  current: { Key: string; Value: string }[],
  added: { Key: string; Value: string }[],
): { Key: string; Value: string }[] {
  const byKey = new Map(current.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) byKey.set(tag.Key, tag.Value);
  if (byKey.size > MAX_TAGS) {
    throw ecrError('TooManyTagsException', `A repository can have at most ${MAX_TAGS} tags.`);
  }
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

/** The request condition keys of tags in a request. */
export function requestTagContext(
  tags: { Key: string; Value: string }[],
): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = { 'aws:TagKeys': tags.map((tag) => tag.Key) };
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  return context;
}

/** `imageTagMutability` (default MUTABLE) and its exclusion filters. */
export function readMutability(input: Input): {
  mutability: TagMutability;
  exclusions: TagMutabilityExclusion[];
} {
  const value = input.str('imageTagMutability') ?? 'MUTABLE';
  if (!MUTABILITIES.includes(value as TagMutability)) {
    throw invalidParameter(
      `Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [${MUTABILITIES.join(', ')}]'`,
    );
  }
  const exclusions = input.list('imageTagMutabilityExclusionFilters').map((filter) => ({
    filterType: filter.str('filterType') ?? 'WILDCARD',
    filter: filter.reqStr('filter'),
  }));
  const needsFilters = value.endsWith('_WITH_EXCLUSION');
  if (needsFilters !== exclusions.length > 0) {
    throw invalidParameter(
      needsFilters
        ? `imageTagMutabilityExclusionFilters are required with ${value}`
        : `imageTagMutabilityExclusionFilters are only allowed with MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION`,
    );
  }
  for (const exclusion of exclusions) {
    if (exclusion.filterType !== 'WILDCARD' || !/^[a-zA-Z0-9._*-]{1,128}$/.test(exclusion.filter)) {
      throw invalidParameter(
        `Invalid parameter at 'imageTagMutabilityExclusionFilters': filters are WILDCARD patterns of letters, digits, '.', '_', '-' and '*'`,
      );
    }
  }
  return { mutability: value as TagMutability, exclusions };
}

/** `encryptionConfiguration` (default AES256); recorded, not applied. */
export function readEncryption(input: Input): { encryptionType: string; kmsKey?: string } {
  const config = input.obj('encryptionConfiguration');
  if (!config) return { encryptionType: 'AES256' };
  const encryptionType = config.reqStr('encryptionType');
  if (!ENCRYPTION_TYPES.includes(encryptionType)) {
    throw invalidParameter(
      `Invalid parameter at 'encryptionConfiguration.encryptionType' failed to satisfy constraint: 'Member must satisfy enum value set: [${ENCRYPTION_TYPES.join(', ')}]'`,
    );
  }
  const kmsKey = config.str('kmsKey');
  if (kmsKey !== undefined && encryptionType === 'AES256') {
    throw invalidParameter(
      'Invalid parameter: kmsKey can only be specified with the KMS encryption types',
    );
  }
  return { encryptionType, ...(kmsKey !== undefined ? { kmsKey } : {}) };
}
