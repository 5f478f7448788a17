// Key management: create, describe, list, enable/disable, scheduled deletion, policy, tags,
// rotation.
import { randomUUID } from 'node:crypto';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { keyTarget, resolveKey, type ResolvedKey } from './key-reference.js';
import {
  checkPolicyLockout,
  defaultKeyPolicy,
  POLICY_NAME,
  validateKeyPolicy,
} from './key-policy.js';
import { addKey, assertNotPendingDeletion, keyMetadata } from './key-records.js';
import { disabled, invalidState, notFound, unsupported, validation } from './kms-errors.js';
import { kmsPage, mergeTags, readKmsTags, requireParam } from './kms-input.js';
import { keyArn, kmsState, type KmsKey } from './kms-state.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const KEY_SPECS = new Set([
  'SYMMETRIC_DEFAULT',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
]);
const KEY_USAGES = new Set([
  'ENCRYPT_DECRYPT',
  'SIGN_VERIFY',
  'GENERATE_VERIFY_MAC',
  'KEY_AGREEMENT',
]);
const ORIGINS = new Set(['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE']);

function enumValue(ctx: ActionContext, name: string, allowed: Set<string>): string | undefined {
  const value = ctx.input.str(name);
  if (value !== undefined && !allowed.has(value)) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must satisfy enum value set: [${[...allowed].join(', ')}]`,
    );
  }
  return value;
}

/** The key named by `KeyId`. */
function keyOf(ctx: ActionContext): ResolvedKey {
  return resolveKey(ctx, ctx.input.reqStr('KeyId'));
}

/** The key named by `KeyId`, as the action's one IAM resource. */
const keyResource = (ctx: ActionContext) => [keyTarget(keyOf(ctx).key)];

/** `kms:RequestAlias` when the caller named the key by an alias. */
function aliasContext(ctx: ActionContext): Record<string, string> {
  const value = ctx.input.str('KeyId');
  if (value === undefined) return {};
  const alias = /^(?:arn:aws:kms:[^:]*:\d{12}:)?(alias\/.+)$/.exec(value)?.[1];
  return alias !== undefined ? { 'kms:RequestAlias': alias } : {};
}

/** Requires `KeyId` before authorization, as AWS validates first. */
const requireKeyId = (ctx: ActionContext): void => {
  ctx.input.reqStr('KeyId');
};

function requestTagContext(ctx: ActionContext): Record<string, string | string[]> {
  const tags = readKmsTags(ctx.input);
  const context: Record<string, string | string[]> = {};
  for (const tag of tags) context[`aws:RequestTag/${tag.TagKey}`] = tag.TagValue;
  if (tags.length > 0) context['aws:TagKeys'] = tags.map((tag) => tag.TagKey);
  return context;
}

function nextRotationDate(key: KmsKey, now: Date): Date {
  const period = key.rotationPeriodInDays * DAY_MS;
  const created = new Date(key.creationDate).getTime();
  const elapsed = Math.max(0, now.getTime() - created);
  return new Date(created + (Math.floor(elapsed / period) + 1) * period);
}

/** Key actions. */
export const keyActions: Record<string, ActionDefinition> = {
  CreateKey: {
    validate: (ctx) => {
      const spec =
        enumValue(ctx, 'KeySpec', KEY_SPECS) ?? enumValue(ctx, 'CustomerMasterKeySpec', KEY_SPECS);
      const usage = enumValue(ctx, 'KeyUsage', KEY_USAGES);
      const origin = enumValue(ctx, 'Origin', ORIGINS);
      if ((spec ?? 'SYMMETRIC_DEFAULT') !== 'SYMMETRIC_DEFAULT') {
        throw unsupported(`The sandbox emulates SYMMETRIC_DEFAULT keys only, not ${spec}.`);
      }
      if ((usage ?? 'ENCRYPT_DECRYPT') !== 'ENCRYPT_DECRYPT') {
        throw unsupported(`The sandbox emulates ENCRYPT_DECRYPT keys only, not ${usage}.`);
      }
      if ((origin ?? 'AWS_KMS') !== 'AWS_KMS') {
        throw unsupported(`The sandbox emulates AWS_KMS key material only, not ${origin}.`);
      }
      if (ctx.input.bool('MultiRegion') === true) {
        throw unsupported('The sandbox does not emulate multi-Region keys.');
      }
      if ((ctx.input.str('Description') ?? '').length > 8192) {
        throw validation('Description must be at most 8192 characters.');
      }
      const policy = ctx.input.str('Policy');
      if (policy !== undefined) validateKeyPolicy(ctx.world, policy);
      readKmsTags(ctx.input);
    },
    context: (ctx) => ({
      'kms:KeySpec': 'SYMMETRIC_DEFAULT',
      'kms:KeyUsage': 'ENCRYPT_DECRYPT',
      'kms:KeyOrigin': 'AWS_KMS',
      ...requestTagContext(ctx),
    }),
    handler: async (ctx) => {
      const keyId = randomUUID();
      const given = ctx.input.str('Policy');
      // The lockout check guards policies the caller writes, not the default one.
      if (given !== undefined) {
        await checkPolicyLockout(
          ctx,
          { arn: keyArn(ctx.region, ctx.accountId, keyId), accountId: ctx.accountId },
          given,
        );
      }
      const policy = given ?? defaultKeyPolicy(ctx.accountId);
      const key = addKey(ctx.runtime, {
        keyId,
        accountId: ctx.accountId,
        region: ctx.region,
        description: ctx.input.str('Description') ?? '',
        policy,
        tags: readKmsTags(ctx.input),
        keyManager: 'CUSTOMER',
      });
      return { KeyMetadata: keyMetadata(key) };
    },
  },

  DescribeKey: {
    validate: requireKeyId,
    resources: keyResource,
    context: aliasContext,
    handler: (ctx) => ({ KeyMetadata: keyMetadata(keyOf(ctx).key) }),
  },

  ListKeys: {
    handler: (ctx) => {
      const keys = Object.values(kmsState(ctx.runtime, ctx.accountId, ctx.region).keys);
      const { page, ...rest } = kmsPage(keys, ctx.input);
      return { Keys: page.map((key) => ({ KeyId: key.keyId, KeyArn: key.arn })), ...rest };
    },
  },

  EnableKey: {
    validate: requireKeyId,
    resources: keyResource,
    handler: (ctx) => {
      const { key } = keyOf(ctx);
      assertNotPendingDeletion(key);
      key.keyState = 'Enabled';
      return {};
    },
  },

  DisableKey: {
    validate: requireKeyId,
    resources: keyResource,
    handler: (ctx) => {
      const { key } = keyOf(ctx);
      assertNotPendingDeletion(key);
      key.keyState = 'Disabled';
      return {};
    },
  },

  ScheduleKeyDeletion: {
    validate: (ctx) => {
      requireKeyId(ctx);
      const days = ctx.input.int('PendingWindowInDays') ?? 30;
      if (days < 7 || days > 30) {
        throw validation(
          `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`,
        );
      }
    },
    resources: keyResource,
    handler: (ctx) => {
      const { key } = keyOf(ctx);
      assertNotPendingDeletion(key);
      const days = ctx.input.int('PendingWindowInDays') ?? 30;
      const deletionDate = new Date(ctx.clock.now().getTime() + days * DAY_MS);
      key.keyState = 'PendingDeletion';
      key.deletionDate = deletionDate.toISOString();
      key.pendingWindowInDays = days;
      return {
        KeyId: key.arn,
        DeletionDate: deletionDate,
        KeyState: key.keyState,
        PendingWindowInDays: days,
      };
    },
  },

  CancelKeyDeletion: {
    validate: requireKeyId,
    resources: keyResource,
    handler: (ctx) => {
      const { key } = keyOf(ctx);
      if (key.keyState !== 'PendingDeletion') {
        throw invalidState(`${key.arn} is not pending deletion.`);
      }
      // AWS leaves a key whose deletion was cancelled disabled.
      key.keyState = 'Disabled';
      delete key.deletionDate;
      delete key.pendingWindowInDays;
      return { KeyId: key.arn };
    },
  },

  UpdateKeyDescription: {
    validate: (ctx) => {
      requireKeyId(ctx);
      if (ctx.input.reqStr('Description').length > 8192) {
        throw validation('Description must be at most 8192 characters.');
      }
    },
    resources: keyResource,
    handler: (ctx) => {
      const { key } = keyOf(ctx);
      assertNotPendingDeletion(key);
      key.description = ctx.input.reqStr('Description');
      return {};
    },
  },

  ListKeyPolicies: {
    validate: requireKeyId,
    resources: keyResource,
    handler: (ctx) => {
      keyOf(ctx);
      return { PolicyNames: [POLICY_NAME], Truncated: false };
    },
  },

  GetKeyPolicy: {
    validate: requireKeyId,
    resources: keyResource,
    handler: (ctx) => {
      const name = ctx.input.str('PolicyName') ?? POLICY_NAME;
      if (name !== POLICY_NAME) throw notFound(`No such policy exists: ${name}`);
      return { Policy: keyOf(ctx).key.policy, PolicyName: POLICY_NAME };
    },
  },

  PutKeyPolicy: {
    validate: (ctx) => {
      requireKeyId(ctx);
      validateKeyPolicy(ctx.world, ctx.input.reqStr('Policy'));
    },
    resources: keyResource,
    handler: async (ctx) => {
      const name = ctx.input.str('PolicyName') ?? POLICY_NAME;
      if (name !== POLICY_NAME) throw notFound(`No such policy exists: ${name}`);
      const { key } = keyOf(ctx);
      assertNotPendingDeletion(key);
      const policy = ctx.input.reqStr('Policy');
      await checkPolicyLockout(ctx, key, policy);
      key.policy = policy;
      return {};
    },
  },

  TagResource: {
    validate: (ctx) => {
      requireKeyId(ctx);
      requireParam(ctx.input, 'Tags');
      readKmsTags(ctx.input);
    },
    resources: keyResource,
    context: requestTagContext,
    handler: (ctx) => {
      const { key } = keyOf(ctx);
      assertNotPendingDeletion(key);
      key.tags = mergeTags(key.tags, readKmsTags(ctx.input));
      return {};
    },
  },

  UntagResource: {
    validate: (ctx) => {
      requireKeyId(ctx);
      requireParam(ctx.input, 'TagKeys');
      ctx.input.strList('TagKeys');
    },
    resources: keyResource,
    context: (ctx) => ({ 'aws:TagKeys': ctx.input.strList('TagKeys') }),
    handler: (ctx) => {
      const { key } = keyOf(ctx);
      assertNotPendingDeletion(key);
      const removed = new Set(ctx.input.strList('TagKeys'));
      key.tags = key.tags.filter((tag) => !removed.has(tag.TagKey));
      return {};
    },
  },

  ListResourceTags: {
    validate: requireKeyId,
    resources: keyResource,
    handler: (ctx) => {
      const { page, ...rest } = kmsPage(keyOf(ctx).key.tags, ctx.input, 50);
      return { Tags: page, ...rest };
    },
  },

  EnableKeyRotation: {
    validate: (ctx) => {
      requireKeyId(ctx);
      const days = ctx.input.int('RotationPeriodInDays');
      if (days !== undefined && (days < 90 || days > 2560)) {
        throw validation(
          `1 validation error detected: Value '${days}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between 90 and 2560`,
        );
      }
    },
    resources: keyResource,
    handler: (ctx) => {
      const { key } = keyOf(ctx);
      assertNotPendingDeletion(key);
      if (key.keyState === 'Disabled') throw disabled(key.arn);
      key.rotationEnabled = true;
      key.rotationPeriodInDays = ctx.input.int('RotationPeriodInDays') ?? key.rotationPeriodInDays;
      return {};
    },
  },

  DisableKeyRotation: {
    validate: requireKeyId,
    resources: keyResource,
    handler: (ctx) => {
      const { key } = keyOf(ctx);
      assertNotPendingDeletion(key);
      if (key.keyState === 'Disabled') throw disabled(key.arn);
      key.rotationEnabled = false;
      return {};
    },
  },

  GetKeyRotationStatus: {
    validate: requireKeyId,
    resources: keyResource,
    handler: (ctx) => {
      const { key } = keyOf(ctx);
      return {
        KeyId: key.arn,
        KeyRotationEnabled: key.rotationEnabled,
        ...(key.rotationEnabled
          ? {
              RotationPeriodInDays: key.rotationPeriodInDays,
              NextRotationDate: nextRotationDate(key, ctx.clock.now()),
            }
          : {}),
      };
    },
  },
};
