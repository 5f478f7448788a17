// AWS::Lambda::Function: a function from inline code (`Code.ZipFile`, zipped as `index.js` or
// `index.py` as CloudFormation does), an S3 object or an image. CloudFormation waits until the
// function is Active and each update Successful; when code and configuration both change, the code
// update follows once the configuration update has finished (Lambda refuses overlapping updates).
import type { InputValue } from '../../../framework/input.js';
import { buildZip } from '../../lambda/zip-writer.js';
import {
  optInteger,
  optObject,
  optString,
  outputString,
  reqString,
  sameValue,
  stringList,
  tagsOf,
} from './property-readers.js';
import { PropertiesValidationError } from './properties-validation-error.js';
import type {
  ProviderContext,
  ResourceProperties,
  ResourceProvider,
  Stabilization,
} from './resource-provider.js';
import { ignoringNotFound } from './service-errors.js';

/**
 * An internal attribute (not accepted by `Fn::GetAtt`): the RevisionId the configuration update
 * left, while the code update it must be followed by is still to do.
 */
const PENDING_CODE = 'sandbox:PendingCodeAfterRevision';
/** How often CloudFormation checks a settling function (emulated ms). */
const POLL_MS = 1000;

/** Configuration properties, updated with UpdateFunctionConfiguration. */
const CONFIGURATION = [
  'Role',
  'Runtime',
  'Handler',
  'Description',
  'Timeout',
  'MemorySize',
  'Environment',
  'EphemeralStorage',
] as const;

/** The inline file name CloudFormation uses for a runtime. */
function inlineFileName(runtime: string | undefined): string {
  if (runtime?.startsWith('nodejs') === true) return 'index.js';
  if (runtime?.startsWith('python') === true) return 'index.py';
  throw new PropertiesValidationError(
    '#/Code/ZipFile: ZipFile can only be used when Runtime is set to either of nodejs or python runtimes.',
  );
}

/** The code members of CreateFunction's `Code` / UpdateFunctionCode. */
function codeInput(props: ResourceProperties): Record<string, InputValue> {
  const code = optObject(props, 'Code');
  if (!code) throw new PropertiesValidationError('#: required key [Code] not found');
  const inline = optString(code, 'ZipFile');
  if (inline !== undefined) {
    const zip = buildZip([{ name: inlineFileName(optString(props, 'Runtime')), data: inline }]);
    return { ZipFile: zip.toString('base64') };
  }
  const out: Record<string, InputValue> = {};
  for (const name of ['S3Bucket', 'S3Key', 'S3ObjectVersion', 'ImageUri']) {
    const value = optString(code, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The configuration members present in the properties. */
function configurationInput(props: ResourceProperties): Record<string, InputValue> {
  const out: Record<string, InputValue> = {};
  for (const name of ['Role', 'Runtime', 'Handler', 'Description']) {
    const value = optString(props, name);
    if (value !== undefined) out[name] = value;
  }
  for (const name of ['Timeout', 'MemorySize']) {
    const value = optInteger(props, name);
    if (value !== undefined) out[name] = value;
  }
  const environment = optObject(props, 'Environment');
  if (environment) {
    const variables = optObject(environment, 'Variables') ?? {};
    const text: Record<string, InputValue> = {};
    for (const [key, value] of Object.entries(variables)) text[key] = String(value);
    out['Environment'] = { Variables: text };
  }
  const storage = optObject(props, 'EphemeralStorage');
  const size = storage ? optInteger(storage, 'Size') : undefined;
  if (size !== undefined) out['EphemeralStorage'] = { Size: size };
  return out;
}

function tagMap(props: ResourceProperties): Record<string, InputValue> {
  return Object.fromEntries(tagsOf(props).map((tag) => [tag.Key, tag.Value]));
}

async function retag(
  ctx: ProviderContext,
  arn: string,
  previous: ResourceProperties,
  props: ResourceProperties,
): Promise<void> {
  const after = tagMap(props);
  const removed = Object.keys(tagMap(previous)).filter((key) => !Object.hasOwn(after, key));
  if (removed.length > 0) {
    await ctx.call('lambda', 'UntagResource', { Resource: arn, TagKeys: removed });
  }
  if (Object.keys(after).length > 0) {
    await ctx.call('lambda', 'TagResource', { Resource: arn, Tags: after });
  }
}

/** The provider. */
export const lambdaFunctionProvider: ResourceProvider = {
  type: 'AWS::Lambda::Function',
  replaceOn: ['FunctionName', 'PackageType'],
  attributes: ['Arn'],
  taggable: true,
  async create(ctx, props) {
    reqString(props, 'Role');
    const name = optString(props, 'FunctionName') ?? ctx.physicalName({ maxLength: 64 });
    const input: Record<string, InputValue> = {
      FunctionName: name,
      ...configurationInput(props),
      Code: codeInput(props),
    };
    const packageType = optString(props, 'PackageType');
    if (packageType !== undefined) input['PackageType'] = packageType;
    const architectures = stringList(props, 'Architectures');
    if (architectures.length > 0) input['Architectures'] = architectures;
    const tags = tagMap(props);
    if (Object.keys(tags).length > 0) input['Tags'] = tags;
    const output = await ctx.call('lambda', 'CreateFunction', input);
    return { physicalId: name, attributes: { Arn: outputString(output, 'FunctionArn') ?? '' } };
  },
  async update(ctx, { physicalId, previous, props, attributes }) {
    const changed = (name: string): boolean => !sameValue(previous[name], props[name]);
    const configurationChanged = CONFIGURATION.some(changed);
    const codeChanged =
      changed('Code') ||
      changed('Architectures') ||
      (changed('Runtime') && optString(optObject(props, 'Code') ?? {}, 'ZipFile') !== undefined);
    const out: Record<string, string> = { Arn: attributes['Arn'] ?? '' };
    if (configurationChanged) {
      const updated = await ctx.call('lambda', 'UpdateFunctionConfiguration', {
        FunctionName: physicalId,
        // Removed properties return to Lambda's defaults.
        Description: '',
        Timeout: 3,
        MemorySize: 128,
        Environment: { Variables: {} },
        ...configurationInput(props),
      });
      if (codeChanged) out[PENDING_CODE] = outputString(updated, 'RevisionId') ?? '';
    } else if (codeChanged) {
      await updateCode(ctx, physicalId, props);
    }
    if (changed('Tags')) await retag(ctx, out['Arn'] ?? '', previous, props);
    return { physicalId, attributes: out };
  },
  async stabilize(ctx, resource, at): Promise<Stabilization> {
    const config = await ctx.call('lambda', 'GetFunctionConfiguration', {
      FunctionName: resource.physicalId,
    });
    const state = outputString(config, 'State');
    const update = outputString(config, 'LastUpdateStatus');
    const waiting: Stabilization = { state: 'waiting', checkAt: at.getTime() + POLL_MS };
    if (state === 'Pending' || update === 'InProgress') return waiting;
    if (state === 'Failed' || update === 'Failed') {
      return {
        state: 'failed',
        reason: outputString(config, 'StateReason') ?? 'The function failed to stabilize.',
      };
    }
    const pending = resource.attributes[PENDING_CODE];
    if (pending !== undefined && pending === outputString(config, 'RevisionId')) {
      await updateCode(ctx, resource.physicalId, resource.props);
      return waiting;
    }
    return { state: 'ready' };
  },
  async delete(ctx, { physicalId }) {
    await ignoringNotFound(() =>
      ctx.call('lambda', 'DeleteFunction', { FunctionName: physicalId }),
    );
  },
};

async function updateCode(
  ctx: ProviderContext,
  name: string,
  props: ResourceProperties,
): Promise<void> {
  const architectures = stringList(props, 'Architectures');
  await ctx.call('lambda', 'UpdateFunctionCode', {
    FunctionName: name,
    ...codeInput(props),
    ...(architectures.length > 0 ? { Architectures: architectures } : {}),
  });
}
