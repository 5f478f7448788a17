// AWS::Events::ApiDestination: an HTTP endpoint invoked through a connection. Ref is the name;
// Arn is an attribute.
import type { InputValue } from '../../../framework/input.js';
import { optInteger, optString, outputString, reqString } from './property-readers.js';
import type { ResourceProperties, ResourceProvider } from './resource-provider.js';
import { ignoringNotFound } from './service-errors.js';

function fields(props: ResourceProperties): Record<string, InputValue> {
  const input: Record<string, InputValue> = {
    ConnectionArn: reqString(props, 'ConnectionArn'),
    InvocationEndpoint: reqString(props, 'InvocationEndpoint'),
    HttpMethod: reqString(props, 'HttpMethod'),
  };
  const rate = optInteger(props, 'InvocationRateLimitPerSecond');
  if (rate !== undefined) input['InvocationRateLimitPerSecond'] = rate;
  const description = optString(props, 'Description');
  if (description !== undefined) input['Description'] = description;
  return input;
}

/** The provider. */
export const eventsApiDestinationProvider: ResourceProvider = {
  type: 'AWS::Events::ApiDestination',
  replaceOn: ['Name'],
  attributes: ['Arn'],
  async create(ctx, props) {
    const name = optString(props, 'Name') ?? ctx.physicalName({ maxLength: 64 });
    const output = await ctx.call('events', 'CreateApiDestination', {
      Name: name,
      ...fields(props),
    });
    return {
      physicalId: name,
      attributes: { Arn: outputString(output, 'ApiDestinationArn') ?? '' },
    };
  },
  async update(ctx, { physicalId: name, props, attributes }) {
    await ctx.call('events', 'UpdateApiDestination', { Name: name, ...fields(props) });
    return { physicalId: name, attributes };
  },
  async delete(ctx, { physicalId }) {
    await ignoringNotFound(() => ctx.call('events', 'DeleteApiDestination', { Name: physicalId }));
  },
};
