// AWS::SecretsManager::Secret: a secret with a given or generated value, optional KMS key and tags.
// Deleting it deletes without recovery, as CloudFormation does.
import type { InputValue } from '../../../framework/input.js';
import { optObject, optString, outputString, sameValue, tagsOf } from './property-readers.js';
import type { ProviderContext, ResourceProperties, ResourceProvider } from './resource-provider.js';
import { PropertiesValidationError } from './properties-validation-error.js';
import { generateSecretString } from './secret-password.js';
import { ignoringNotFound } from './service-errors.js';

function secretValue(props: ResourceProperties): string | undefined {
  const given = optString(props, 'SecretString');
  const generate = optObject(props, 'GenerateSecretString');
  if (given !== undefined && generate !== undefined) {
    throw new PropertiesValidationError(
      '#: only one of [SecretString, GenerateSecretString] may be specified',
    );
  }
  return given ?? (generate !== undefined ? generateSecretString(generate) : undefined);
}

async function retag(
  ctx: ProviderContext,
  arn: string,
  previous: ResourceProperties,
  props: ResourceProperties,
): Promise<void> {
  const after = tagsOf(props);
  const removed = tagsOf(previous)
    .map((tag) => tag.Key)
    .filter((key) => !after.some((tag) => tag.Key === key));
  if (removed.length > 0) {
    await ctx.call('secretsmanager', 'UntagResource', { SecretId: arn, TagKeys: removed });
  }
  if (after.length > 0) {
    await ctx.call('secretsmanager', 'TagResource', {
      SecretId: arn,
      Tags: after.map((tag) => ({ ...tag })),
    });
  }
}

/** The provider. */
export const secretsManagerSecretProvider: ResourceProvider = {
  type: 'AWS::SecretsManager::Secret',
  replaceOn: ['Name'],
  attributes: ['Id'],
  taggable: true,
  async create(ctx, props) {
    const input: Record<string, InputValue> = {
      Name: optString(props, 'Name') ?? ctx.physicalName({ maxLength: 256 }),
    };
    const optional = {
      Description: optString(props, 'Description'),
      KmsKeyId: optString(props, 'KmsKeyId'),
      SecretString: secretValue(props),
    };
    for (const [key, value] of Object.entries(optional))
      if (value !== undefined) input[key] = value;
    const tags = tagsOf(props);
    if (tags.length > 0) input['Tags'] = tags.map((tag) => ({ ...tag }));
    const output = await ctx.call('secretsmanager', 'CreateSecret', input);
    const arn = outputString(output, 'ARN') ?? '';
    return { physicalId: arn, attributes: { Id: arn } };
  },
  async update(ctx, { physicalId: arn, previous, props, attributes }) {
    const changed = (name: string): boolean => !sameValue(previous[name], props[name]);
    const input: Record<string, InputValue> = { SecretId: arn };
    if (changed('Description')) input['Description'] = optString(props, 'Description') ?? '';
    if (changed('KmsKeyId')) {
      const keyId = optString(props, 'KmsKeyId');
      if (keyId !== undefined) input['KmsKeyId'] = keyId;
    }
    if (changed('SecretString') || changed('GenerateSecretString')) {
      const value = secretValue(props);
      if (value !== undefined) input['SecretString'] = value;
    }
    if (Object.keys(input).length > 1) await ctx.call('secretsmanager', 'UpdateSecret', input);
    if (changed('Tags')) await retag(ctx, arn, previous, props);
    return { physicalId: arn, attributes };
  },
  async delete(ctx, { physicalId }) {
    await ignoringNotFound(() =>
      ctx.call('secretsmanager', 'DeleteSecret', {
        SecretId: physicalId,
        ForceDeleteWithoutRecovery: true,
      }),
    );
  },
};
