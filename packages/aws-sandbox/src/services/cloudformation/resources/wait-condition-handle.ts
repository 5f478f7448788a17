// AWS::CloudFormation::WaitConditionHandle: no service behind it; templates use it as a
// placeholder resource (an "empty" stack), so the sandbox accepts it.
import type { ResourceProvider } from './resource-provider.js';

/** The provider. */
export const waitConditionHandleProvider: ResourceProvider = {
  type: 'AWS::CloudFormation::WaitConditionHandle',
  replaceOn: [],
  attributes: [],
  create(ctx) {
    const id = ctx.physicalName({ maxLength: 128 });
    return Promise.resolve({
      physicalId: `https://cloudformation-waitcondition-${ctx.region}.s3.amazonaws.com/${encodeURIComponent(ctx.stackId)}/${id}`,
      attributes: {},
    });
  },
  update(_ctx, { physicalId }) {
    return Promise.resolve({ physicalId, attributes: {} });
  },
  delete() {
    return Promise.resolve();
  },
};
