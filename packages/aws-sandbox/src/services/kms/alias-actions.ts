// Aliases: friendly names for keys in the same account and region.
import { AwsError } from '../../framework/aws-error.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { keyTarget, parseKeyReference, resolveKey } from './key-reference.js';
import { assertNotPendingDeletion } from './key-records.js';
import { alreadyExists, aliasNotFound, notFound, validation } from './kms-errors.js';
import { kmsPage } from './kms-input.js';
import { aliasArn, kmsState, type KmsAlias, type KmsKey } from './kms-state.js';

const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]+$/;

/** Checks `AliasName` as KMS does: the `alias/` prefix, the characters, `alias/aws/` reserved. */
function checkAliasName(ctx: ActionContext): string {
  const name = ctx.input.reqStr('AliasName');
  if (!name.startsWith('alias/')) {
    throw validation(
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  }
  if (!ALIAS_NAME.test(name) || name.length > 256) {
    throw validation(
      `1 validation error detected: Value '${name}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$`,
    );
  }
  if (name.startsWith('alias/aws/')) {
    // AWS reserves this prefix for its managed keys.
    throw new AwsError('NotAuthorizedException', `${name}: the alias/aws/ prefix is reserved.`);
  }
  return name;
}

/** `TargetKeyId`: a key id or key ARN (not an alias) of a customer key of the caller. */
function targetKey(ctx: ActionContext): KmsKey {
  const value = ctx.input.reqStr('TargetKeyId');
  const ref = parseKeyReference(value, { accountId: ctx.accountId, region: ctx.region });
  if (ref.kind === 'alias') {
    throw validation('Aliases must refer to keys. Not aliases');
  }
  const { key } = resolveKey(ctx, value);
  if (key.accountId !== ctx.accountId || key.region !== ctx.region) {
    throw notFound(`An alias must be in the account and Region of its key: ${key.arn}`);
  }
  return key;
}

function aliasRecord(ctx: ActionContext, name: string): KmsAlias | undefined {
  return kmsState(ctx.runtime, ctx.accountId, ctx.region).aliases[name];
}

function existingAlias(ctx: ActionContext): KmsAlias {
  const name = ctx.input.reqStr('AliasName');
  const alias = aliasRecord(ctx, name);
  if (!alias) throw aliasNotFound(aliasArn(ctx.region, ctx.accountId, name));
  return alias;
}

function aliasedKey(ctx: ActionContext, alias: KmsAlias): KmsKey {
  return resolveKey(ctx, alias.targetKeyId).key;
}

function customerKey(key: KmsKey): KmsKey {
  if (key.keyManager === 'AWS') {
    throw new AwsError('NotAuthorizedException', `${key.arn} is an AWS managed key.`);
  }
  return key;
}

/** Alias actions. */
export const aliasActions: Record<string, ActionDefinition> = {
  CreateAlias: {
    validate: (ctx) => {
      checkAliasName(ctx);
      ctx.input.reqStr('TargetKeyId');
    },
    resources: (ctx) => [
      aliasArn(ctx.region, ctx.accountId, ctx.input.reqStr('AliasName')),
      keyTarget(targetKey(ctx)),
    ],
    handler: (ctx) => {
      const name = checkAliasName(ctx);
      const key = customerKey(targetKey(ctx));
      const arn = aliasArn(ctx.region, ctx.accountId, name);
      if (aliasRecord(ctx, name))
        throw alreadyExists(`An alias with the name ${arn} already exists`);
      assertNotPendingDeletion(key);
      const now = ctx.clock.now().toISOString();
      kmsState(ctx.runtime, ctx.accountId, ctx.region).aliases[name] = {
        name,
        arn,
        targetKeyId: key.keyId,
        creationDate: now,
        lastUpdatedDate: now,
      };
      return {};
    },
  },

  UpdateAlias: {
    validate: (ctx) => {
      checkAliasName(ctx);
      ctx.input.reqStr('TargetKeyId');
    },
    resources: (ctx) => {
      const alias = existingAlias(ctx);
      return [alias.arn, keyTarget(aliasedKey(ctx, alias)), keyTarget(targetKey(ctx))];
    },
    handler: (ctx) => {
      const alias = existingAlias(ctx);
      const key = customerKey(targetKey(ctx));
      assertNotPendingDeletion(key);
      alias.targetKeyId = key.keyId;
      alias.lastUpdatedDate = ctx.clock.now().toISOString();
      return {};
    },
  },

  DeleteAlias: {
    validate: (ctx) => {
      checkAliasName(ctx);
    },
    resources: (ctx) => {
      const alias = existingAlias(ctx);
      return [alias.arn, keyTarget(aliasedKey(ctx, alias))];
    },
    handler: (ctx) => {
      const alias = existingAlias(ctx);
      delete kmsState(ctx.runtime, ctx.accountId, ctx.region).aliases[alias.name];
      return {};
    },
  },

  ListAliases: {
    handler: (ctx) => {
      const keyIdParam = ctx.input.str('KeyId');
      const onlyKey = keyIdParam !== undefined ? resolveKey(ctx, keyIdParam).key : undefined;
      const aliases = Object.values(
        kmsState(ctx.runtime, ctx.accountId, ctx.region).aliases,
      ).filter((alias) => onlyKey === undefined || alias.targetKeyId === onlyKey.keyId);
      aliases.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const { page, ...rest } = kmsPage(aliases, ctx.input);
      return {
        Aliases: page.map((alias) => ({
          AliasName: alias.name,
          AliasArn: alias.arn,
          TargetKeyId: alias.targetKeyId,
          CreationDate: new Date(alias.creationDate),
          LastUpdatedDate: new Date(alias.lastUpdatedDate),
        })),
        ...rest,
      };
    },
  },
};
