// AWS::Events::Connection: an EventBridge connection (API key, basic or OAuth client credentials).
// Ref is the name; Arn and SecretArn are attributes.
import type { InputValue } from '../../../framework/input.js';
import { PropertiesValidationError } from './properties-validation-error.js';
import { optObject, optString, outputString, reqString, sameValue } from './property-readers.js';
import type { ProviderContext, ResourceProperties, ResourceProvider } from './resource-provider.js';
import { ignoringNotFound } from './service-errors.js';

/** A structured property (AuthParameters) as service input. */
function structure(props: ResourceProperties, name: string): InputValue | undefined {
  const value = optObject(props, name);
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as InputValue);
}

async function secretArn(ctx: ProviderContext, name: string): Promise<string> {
  const described = await ctx.call('events', 'DescribeConnection', { Name: name });
  return outputString(described, 'SecretArn') ?? '';
}

/** The provider. */
export const eventsConnectionProvider: ResourceProvider = {
  type: 'AWS::Events::Connection',
  replaceOn: ['Name'],
  attributes: ['Arn', 'SecretArn'],
  async create(ctx, props) {
    const name = optString(props, 'Name') ?? ctx.physicalName({ maxLength: 64 });
    const auth = structure(props, 'AuthParameters');
    if (auth === undefined)
      throw new PropertiesValidationError('#: required key [AuthParameters] not found');
    const input: Record<string, InputValue> = {
      Name: name,
      AuthorizationType: reqString(props, 'AuthorizationType'),
      AuthParameters: auth,
    };
    const description = optString(props, 'Description');
    if (description !== undefined) input['Description'] = description;
    const output = await ctx.call('events', 'CreateConnection', input);
    return {
      physicalId: name,
      attributes: {
        Arn: outputString(output, 'ConnectionArn') ?? '',
        SecretArn: await secretArn(ctx, name),
      },
    };
  },
  async update(ctx, { physicalId: name, previous, props, attributes }) {
    const changed = (key: string): boolean => !sameValue(previous[key], props[key]);
    if (changed('AuthorizationType') || changed('AuthParameters') || changed('Description')) {
      const input: Record<string, InputValue> = {
        Name: name,
        AuthorizationType: reqString(props, 'AuthorizationType'),
        Description: optString(props, 'Description') ?? '',
      };
      const auth = structure(props, 'AuthParameters');
      if (auth !== undefined) input['AuthParameters'] = auth;
      await ctx.call('events', 'UpdateConnection', input);
    }
    return { physicalId: name, attributes };
  },
  async delete(ctx, { physicalId }) {
    await ignoringNotFound(() => ctx.call('events', 'DeleteConnection', { Name: physicalId }));
  },
};
