// ListSecrets (with filters) and ListSecretVersionIds.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import type { Input } from '../../framework/input.js';
import { paginate } from '../../framework/pagination.js';
import { invalidNextToken, validation } from './secret-errors.js';
import { findSecret, secretTarget } from './secret-names.js';
import { secretsState, type SecretRecord } from './secret-state.js';
import { versionIdsToStages } from './secret-versions.js';

const FILTER_KEYS = new Set([
  'description',
  'name',
  'tag-key',
  'tag-value',
  'primary-region',
  'owning-service',
  'all',
]);

function maxResults(input: Input): number {
  const max = input.int('MaxResults') ?? 100;
  if (max < 1 || max > 100) {
    throw validation(
      `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`,
    );
  }
  return max;
}

/** The attribute values one filter key looks at (with whether matching ignores case). */
function attributes(secret: SecretRecord, key: string): { values: string[]; anyCase: boolean } {
  switch (key) {
    case 'name':
      return { values: [secret.name], anyCase: false };
    case 'description':
      return {
        values: secret.description !== undefined ? [secret.description] : [],
        anyCase: true,
      };
    case 'tag-key':
      return { values: secret.tags.map((tag) => tag.Key), anyCase: false };
    case 'tag-value':
      return { values: secret.tags.map((tag) => tag.Value), anyCase: false };
    case 'primary-region':
    case 'owning-service':
      // Replication and service-owned secrets are not emulated.
      return { values: [], anyCase: false };
    default: {
      // `all` searches every attribute, word by word.
      const whole = [
        secret.name,
        ...(secret.description !== undefined ? [secret.description] : []),
        ...secret.tags.flatMap((tag) => [tag.Key, tag.Value]),
      ];
      const words = whole.flatMap((value) => value.split(/[^A-Za-z0-9]+/));
      return { values: [...whole, ...words.filter((word) => word !== '')], anyCase: true };
    }
  }
}

function prefixMatch(values: string[], wanted: string, anyCase: boolean): boolean {
  const target = anyCase ? wanted.toLowerCase() : wanted;
  return values.some((value) => (anyCase ? value.toLowerCase() : value).startsWith(target));
}

/** One filter: any value matches (a `!` value must not match); `all` splits values into words. */
function matchesFilter(secret: SecretRecord, key: string, values: string[]): boolean {
  const { values: attrs, anyCase } = attributes(secret, key);
  const positive = values.filter((value) => !value.startsWith('!'));
  const negative = values.filter((value) => value.startsWith('!')).map((value) => value.slice(1));
  const words = (value: string): string[] => (key === 'all' ? value.split(/\s+/) : [value]);
  if (negative.some((value) => words(value).some((word) => prefixMatch(attrs, word, anyCase)))) {
    return false;
  }
  return (
    positive.length === 0 ||
    positive.some((value) => words(value).every((word) => prefixMatch(attrs, word, anyCase)))
  );
}

function readFilters(ctx: ActionContext): { key: string; values: string[] }[] {
  return ctx.input.list('Filters').map((filter) => {
    const key = filter.reqStr('Key');
    if (!FILTER_KEYS.has(key)) {
      throw validation(
        `1 validation error detected: Value '${key}' at 'filters.member.key' failed to satisfy constraint: Member must satisfy enum value set: [${[...FILTER_KEYS].join(', ')}]`,
      );
    }
    const values = filter.strList('Values');
    if (values.length < 1 || values.length > 10) {
      throw validation('A filter must have 1 to 10 values.');
    }
    return { key, values };
  });
}

/** List actions. */
export const listActions: Record<string, ActionDefinition> = {
  ListSecrets: {
    validate: (ctx) => {
      maxResults(ctx.input);
      readFilters(ctx);
      const order = ctx.input.str('SortOrder');
      if (order !== undefined && order !== 'asc' && order !== 'desc') {
        throw validation(
          `1 validation error detected: Value '${order}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]`,
        );
      }
    },
    handler: (ctx) => {
      const filters = readFilters(ctx);
      const includeDeleted = ctx.input.bool('IncludePlannedDeletion') === true;
      const secrets = Object.values(secretsState(ctx.runtime, ctx.accountId, ctx.region).secrets)
        .filter((secret) => includeDeleted || secret.deletionDate === undefined)
        .filter((secret) => filters.every((f) => matchesFilter(secret, f.key, f.values)));
      if (ctx.input.str('SortOrder') === 'desc') secrets.reverse();
      const { page, nextToken } = paginate(
        secrets,
        ctx.input.str('NextToken'),
        maxResults(ctx.input),
        invalidNextToken,
      );
      return {
        SecretList: page.map((secret) => ({
          ARN: secret.arn,
          Name: secret.name,
          ...(secret.description !== undefined ? { Description: secret.description } : {}),
          ...(secret.kmsKeyId !== undefined ? { KmsKeyId: secret.kmsKeyId } : {}),
          RotationEnabled: false,
          LastChangedDate: new Date(secret.lastChangedDate),
          ...(secret.lastAccessedDate !== undefined
            ? { LastAccessedDate: new Date(secret.lastAccessedDate) }
            : {}),
          ...(secret.deletedDate !== undefined
            ? { DeletedDate: new Date(secret.deletedDate) }
            : {}),
          Tags: secret.tags,
          SecretVersionsToStages: versionIdsToStages(secret),
          CreatedDate: new Date(secret.createdDate),
        })),
        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      };
    },
  },

  ListSecretVersionIds: {
    validate: (ctx) => {
      ctx.input.reqStr('SecretId');
      maxResults(ctx.input);
    },
    resources: (ctx) => [secretTarget(findSecret(ctx, ctx.input.reqStr('SecretId')))],
    handler: (ctx) => {
      const secret = findSecret(ctx, ctx.input.reqStr('SecretId'));
      const includeDeprecated = ctx.input.bool('IncludeDeprecated') === true;
      const versions = secret.versionOrder
        .map((id) => secret.versions[id])
        .filter((version) => version !== undefined)
        .filter((version) => includeDeprecated || version.stages.length > 0);
      const { page, nextToken } = paginate(
        versions,
        ctx.input.str('NextToken'),
        maxResults(ctx.input),
        invalidNextToken,
      );
      return {
        ARN: secret.arn,
        Name: secret.name,
        Versions: page.map((version) => ({
          VersionId: version.versionId,
          VersionStages: [...version.stages],
          ...(version.lastAccessedDate !== undefined
            ? { LastAccessedDate: new Date(version.lastAccessedDate) }
            : {}),
          CreatedDate: new Date(version.createdDate),
          KmsKeyIds: [version.defaultKey ? 'DefaultEncryptionKey' : version.keyArn],
        })),
        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      };
    },
  },
};
