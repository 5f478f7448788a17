// AWS::IAM::OIDCProvider: an OpenID Connect identity provider; the URL is its identity.
import type { InputValue } from '../../../framework/input.js';
import { outputString, reqString, sameValue, stringList, tagsOf } from './property-readers.js';
import type { ResourceProvider } from './resource-provider.js';
import { ignoringNotFound } from './service-errors.js';

/** The provider. */
export const iamOidcProviderProvider: ResourceProvider = {
  type: 'AWS::IAM::OIDCProvider',
  replaceOn: ['Url'],
  attributes: ['Arn'],
  taggable: true,
  async create(ctx, props) {
    const input: Record<string, InputValue> = {
      Url: reqString(props, 'Url'),
      ClientIDList: stringList(props, 'ClientIdList'),
      ThumbprintList: stringList(props, 'ThumbprintList'),
    };
    const tags = tagsOf(props);
    if (tags.length > 0) input['Tags'] = tags.map((tag) => ({ ...tag }));
    const output = await ctx.call('iam', 'CreateOpenIDConnectProvider', input);
    const arn = outputString(output, 'OpenIDConnectProviderArn') ?? '';
    return { physicalId: arn, attributes: { Arn: arn } };
  },
  async update(ctx, { physicalId: arn, previous, props, attributes }) {
    const before = stringList(previous, 'ClientIdList');
    const after = stringList(props, 'ClientIdList');
    for (const id of before.filter((old) => !after.includes(old))) {
      await ctx.call('iam', 'RemoveClientIDFromOpenIDConnectProvider', {
        OpenIDConnectProviderArn: arn,
        ClientID: id,
      });
    }
    for (const id of after.filter((next) => !before.includes(next))) {
      await ctx.call('iam', 'AddClientIDToOpenIDConnectProvider', {
        OpenIDConnectProviderArn: arn,
        ClientID: id,
      });
    }
    if (!sameValue(previous['ThumbprintList'], props['ThumbprintList'])) {
      await ctx.call('iam', 'UpdateOpenIDConnectProviderThumbprint', {
        OpenIDConnectProviderArn: arn,
        ThumbprintList: stringList(props, 'ThumbprintList'),
      });
    }
    const tags = tagsOf(props);
    if (!sameValue(previous['Tags'], props['Tags']) && tags.length > 0) {
      await ctx.call('iam', 'TagOpenIDConnectProvider', {
        OpenIDConnectProviderArn: arn,
        Tags: tags.map((tag) => ({ ...tag })),
      });
    }
    return { physicalId: arn, attributes };
  },
  async delete(ctx, { physicalId }) {
    await ignoringNotFound(() =>
      ctx.call('iam', 'DeleteOpenIDConnectProvider', { OpenIDConnectProviderArn: physicalId }),
    );
  },
};
