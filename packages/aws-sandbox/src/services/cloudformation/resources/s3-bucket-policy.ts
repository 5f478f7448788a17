// AWS::S3::BucketPolicy: a bucket's policy document.
import { reqPolicyText, reqString } from './property-readers.js';
import type { ProviderContext, ResourceProperties, ResourceProvider } from './resource-provider.js';
import { ignoringNotFound } from './service-errors.js';

function put(ctx: ProviderContext, props: ResourceProperties): Promise<unknown> {
  const policy = reqPolicyText(props, 'PolicyDocument');
  return ctx.call(
    's3',
    'PutBucketPolicy',
    { Bucket: reqString(props, 'Bucket') },
    { body: policy, headers: { 'content-type': 'application/json' } },
  );
}

/** The provider. */
export const s3BucketPolicyProvider: ResourceProvider = {
  type: 'AWS::S3::BucketPolicy',
  replaceOn: ['Bucket'],
  attributes: [],
  async create(ctx, props) {
    await put(ctx, props);
    return { physicalId: ctx.physicalName({ maxLength: 128 }), attributes: {} };
  },
  async update(ctx, { physicalId, props }) {
    await put(ctx, props);
    return { physicalId, attributes: {} };
  },
  async delete(ctx, { props }) {
    await ignoringNotFound(() =>
      ctx.call('s3', 'DeleteBucketPolicy', { Bucket: reqString(props, 'Bucket') }, { body: '' }),
    );
  },
};
