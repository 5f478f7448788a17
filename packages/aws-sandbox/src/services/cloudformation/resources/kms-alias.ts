// AWS::KMS::Alias: an alias pointing at a key; retargeting is an in-place update.
import { reqString } from './property-readers.js';
import type { ResourceProvider } from './resource-provider.js';
import { ignoringNotFound } from './service-errors.js';

/** The provider. */
export const kmsAliasProvider: ResourceProvider = {
  type: 'AWS::KMS::Alias',
  replaceOn: ['AliasName'],
  attributes: [],
  async create(ctx, props) {
    const aliasName = reqString(props, 'AliasName');
    await ctx.call('kms', 'CreateAlias', {
      AliasName: aliasName,
      TargetKeyId: reqString(props, 'TargetKeyId'),
    });
    return { physicalId: aliasName, attributes: {} };
  },
  async update(ctx, { physicalId, props }) {
    await ctx.call('kms', 'UpdateAlias', {
      AliasName: physicalId,
      TargetKeyId: reqString(props, 'TargetKeyId'),
    });
    return { physicalId, attributes: {} };
  },
  async delete(ctx, { physicalId }) {
    await ignoringNotFound(() => ctx.call('kms', 'DeleteAlias', { AliasName: physicalId }));
  },
};
