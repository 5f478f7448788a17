// AWS::Lambda::Version: publishes the function's current code and configuration. Every property
// change replaces it (a new version); deleting it deletes that version.
import type { InputValue } from '../../../framework/input.js';
import { optString, outputString, reqString } from './property-readers.js';
import type { ResourceProvider } from './resource-provider.js';
import { ignoringNotFound } from './service-errors.js';

/** The unqualified ARN of a version ARN (`…:function:name:3` → `…:function:name`). */
function functionOf(versionArn: string): string {
  return versionArn.slice(0, versionArn.lastIndexOf(':'));
}

/** The provider. */
export const lambdaVersionProvider: ResourceProvider = {
  type: 'AWS::Lambda::Version',
  replaceOn: ['FunctionName', 'Description', 'CodeSha256', 'RuntimePolicy'],
  attributes: ['FunctionArn', 'Version'],
  async create(ctx, props) {
    const input: Record<string, InputValue> = { FunctionName: reqString(props, 'FunctionName') };
    for (const name of ['Description', 'CodeSha256']) {
      const value = optString(props, name);
      if (value !== undefined) input[name] = value;
    }
    const output = await ctx.call('lambda', 'PublishVersion', input);
    const arn = outputString(output, 'FunctionArn') ?? '';
    return {
      physicalId: arn,
      attributes: { FunctionArn: functionOf(arn), Version: outputString(output, 'Version') ?? '' },
    };
  },
  // Only properties that replace the version exist; an update has nothing left to change.
  update: (_ctx, { physicalId, attributes }) => Promise.resolve({ physicalId, attributes }),
  async delete(ctx, { physicalId, attributes }) {
    await ignoringNotFound(() =>
      ctx.call('lambda', 'DeleteFunction', {
        FunctionName: functionOf(physicalId),
        Qualifier: attributes['Version'] ?? physicalId.slice(physicalId.lastIndexOf(':') + 1),
      }),
    );
  },
};
