// AWS::KMS::Key: a symmetric key with its policy, description, rotation, enabled state and tags.
// Deleting it schedules deletion (PendingWindowInDays, 7–30, default 30), as CloudFormation does.
import type { InputValue } from '../../../framework/input.js';
import {
  optBoolean,
  optInteger,
  optString,
  outputString,
  policyText,
  sameValue,
  tagsOf,
} from './property-readers.js';
import type { ProviderContext, ResourceProvider } from './resource-provider.js';
import { errorCode, ignoringNotFound } from './service-errors.js';

function kmsTags(props: Record<string, unknown>): InputValue[] {
  return tagsOf(props).map((tag) => ({ TagKey: tag.Key, TagValue: tag.Value }));
}

async function setRotation(ctx: ProviderContext, keyId: string, enabled: boolean): Promise<void> {
  await ctx.call('kms', enabled ? 'EnableKeyRotation' : 'DisableKeyRotation', { KeyId: keyId });
}

/** The provider. */
export const kmsKeyProvider: ResourceProvider = {
  type: 'AWS::KMS::Key',
  replaceOn: ['KeySpec', 'KeyUsage', 'MultiRegion', 'Origin'],
  attributes: ['Arn', 'KeyId'],
  taggable: true,
  async create(ctx, props) {
    const input: Record<string, InputValue> = {};
    const optional = {
      Description: optString(props, 'Description'),
      KeySpec: optString(props, 'KeySpec'),
      KeyUsage: optString(props, 'KeyUsage'),
      MultiRegion: optBoolean(props, 'MultiRegion'),
      Policy: policyText(props, 'KeyPolicy'),
    };
    for (const [key, value] of Object.entries(optional))
      if (value !== undefined) input[key] = value;
    const tags = kmsTags(props);
    if (tags.length > 0) input['Tags'] = tags;
    const output = await ctx.call('kms', 'CreateKey', input);
    const keyId = outputString(output, 'KeyMetadata', 'KeyId') ?? '';
    const arn = outputString(output, 'KeyMetadata', 'Arn') ?? '';
    try {
      if (optBoolean(props, 'EnableKeyRotation') === true) await setRotation(ctx, keyId, true);
      if (optBoolean(props, 'Enabled') === false)
        await ctx.call('kms', 'DisableKey', { KeyId: keyId });
    } catch (error: unknown) {
      await ctx
        .call('kms', 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 })
        .catch(() => undefined);
      throw error;
    }
    return { physicalId: keyId, attributes: { Arn: arn, KeyId: keyId } };
  },
  async update(ctx, { physicalId: keyId, previous, props, attributes }) {
    const changed = (name: string): boolean => !sameValue(previous[name], props[name]);
    if (changed('Enabled') && optBoolean(props, 'Enabled') !== false) {
      await ctx.call('kms', 'EnableKey', { KeyId: keyId });
    }
    if (changed('KeyPolicy')) {
      const policy = policyText(props, 'KeyPolicy');
      if (policy !== undefined) {
        await ctx.call('kms', 'PutKeyPolicy', {
          KeyId: keyId,
          PolicyName: 'default',
          Policy: policy,
        });
      }
    }
    if (changed('Description')) {
      await ctx.call('kms', 'UpdateKeyDescription', {
        KeyId: keyId,
        Description: optString(props, 'Description') ?? '',
      });
    }
    if (changed('EnableKeyRotation')) {
      await setRotation(ctx, keyId, optBoolean(props, 'EnableKeyRotation') === true);
    }
    if (changed('Tags')) {
      const after = tagsOf(props);
      const removed = tagsOf(previous)
        .map((tag) => tag.Key)
        .filter((key) => !after.some((tag) => tag.Key === key));
      if (removed.length > 0)
        await ctx.call('kms', 'UntagResource', { KeyId: keyId, TagKeys: removed });
      if (after.length > 0)
        await ctx.call('kms', 'TagResource', { KeyId: keyId, Tags: kmsTags(props) });
    }
    if (changed('Enabled') && optBoolean(props, 'Enabled') === false) {
      await ctx.call('kms', 'DisableKey', { KeyId: keyId });
    }
    return { physicalId: keyId, attributes };
  },
  async delete(ctx, { physicalId, props }) {
    await ignoringNotFound(async () => {
      try {
        await ctx.call('kms', 'ScheduleKeyDeletion', {
          KeyId: physicalId,
          PendingWindowInDays: optInteger(props, 'PendingWindowInDays') ?? 30,
        });
      } catch (error: unknown) {
        // Already pending deletion counts as deleted.
        if (errorCode(error) !== 'KMSInvalidStateException') throw error;
      }
    });
  },
};
