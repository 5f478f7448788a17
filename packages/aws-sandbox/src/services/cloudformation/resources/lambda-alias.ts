// AWS::Lambda::Alias: a name for a version, optionally splitting traffic with a second version
// (`RoutingConfig.AdditionalVersionWeights`, a list in templates, a map in the API).
import type { InputValue } from '../../../framework/input.js';
import { optObject, optString, outputString, reqString } from './property-readers.js';
import { PropertiesValidationError } from './properties-validation-error.js';
import type { ResourceProperties, ResourceProvider } from './resource-provider.js';
import { ignoringNotFound } from './service-errors.js';

/** The API's weight map from the template's `[{ FunctionVersion, FunctionWeight }]`. */
function weights(props: ResourceProperties): Record<string, InputValue> {
  const routing = optObject(props, 'RoutingConfig');
  const list = routing?.['AdditionalVersionWeights'];
  if (list === undefined) return {};
  if (!Array.isArray(list)) {
    throw new PropertiesValidationError(
      '#/RoutingConfig/AdditionalVersionWeights: expected type: JSONArray',
    );
  }
  const out: Record<string, InputValue> = {};
  list.forEach((item: unknown, index) => {
    const entry = (item ?? {}) as ResourceProperties;
    const version = optString(entry, 'FunctionVersion');
    const weight = Number(entry['FunctionWeight']);
    if (version === undefined || !Number.isFinite(weight)) {
      throw new PropertiesValidationError(
        `#/RoutingConfig/AdditionalVersionWeights/${index}: required keys [FunctionVersion, FunctionWeight]`,
      );
    }
    out[version] = weight;
  });
  return out;
}

function aliasInput(props: ResourceProperties): Record<string, InputValue> {
  return {
    FunctionName: reqString(props, 'FunctionName'),
    Name: reqString(props, 'Name'),
    FunctionVersion: reqString(props, 'FunctionVersion'),
    Description: optString(props, 'Description') ?? '',
    RoutingConfig: { AdditionalVersionWeights: weights(props) },
  };
}

/** The provider. */
export const lambdaAliasProvider: ResourceProvider = {
  type: 'AWS::Lambda::Alias',
  replaceOn: ['FunctionName', 'Name'],
  attributes: ['AliasArn'],
  async create(ctx, props) {
    const output = await ctx.call('lambda', 'CreateAlias', aliasInput(props));
    const arn = outputString(output, 'AliasArn') ?? '';
    return { physicalId: arn, attributes: { AliasArn: arn } };
  },
  async update(ctx, { physicalId, props, attributes }) {
    await ctx.call('lambda', 'UpdateAlias', aliasInput(props));
    return { physicalId, attributes };
  },
  async delete(ctx, { physicalId, props }) {
    await ignoringNotFound(() =>
      ctx.call('lambda', 'DeleteAlias', {
        FunctionName: physicalId.slice(0, physicalId.lastIndexOf(':')),
        Name: optString(props, 'Name') ?? physicalId.slice(physicalId.lastIndexOf(':') + 1),
      }),
    );
  },
};
