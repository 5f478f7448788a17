// AWS::ECR::Repository: a repository with its tag mutability, scanning, encryption, repository
// policy, lifecycle policy and tags. Deleting it fails while it holds images unless EmptyOnDelete.
import type { InputValue } from '../../../framework/input.js';
import {
  optBoolean,
  optObject,
  optString,
  outputString,
  policyText,
  sameValue,
  tagsOf,
} from './property-readers.js';
import type { ProviderContext, ResourceProperties, ResourceProvider } from './resource-provider.js';
import { errorCode } from './service-errors.js';

async function ignoringCodes(codes: string[], work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error: unknown) {
    if (!codes.includes(errorCode(error) ?? '')) throw error;
  }
}

function lifecycleText(props: ResourceProperties): string | undefined {
  return optString(optObject(props, 'LifecyclePolicy') ?? {}, 'LifecyclePolicyText');
}

function scanOnPush(props: ResourceProperties): boolean {
  return optBoolean(optObject(props, 'ImageScanningConfiguration') ?? {}, 'ScanOnPush') ?? false;
}

async function applyPolicies(
  ctx: ProviderContext,
  name: string,
  props: ResourceProperties,
  previous: ResourceProperties | undefined,
): Promise<void> {
  const changed = (key: string): boolean => !sameValue(previous?.[key], props[key]);
  if (changed('RepositoryPolicyText')) {
    const policy = policyText(props, 'RepositoryPolicyText');
    if (policy !== undefined) {
      await ctx.call('ecr', 'SetRepositoryPolicy', { repositoryName: name, policyText: policy });
    } else if (previous !== undefined) {
      await ignoringCodes(['RepositoryPolicyNotFoundException'], () =>
        ctx.call('ecr', 'DeleteRepositoryPolicy', { repositoryName: name }),
      );
    }
  }
  if (changed('LifecyclePolicy')) {
    const lifecycle = lifecycleText(props);
    if (lifecycle !== undefined) {
      await ctx.call('ecr', 'PutLifecyclePolicy', {
        repositoryName: name,
        lifecyclePolicyText: lifecycle,
      });
    } else if (previous !== undefined) {
      await ignoringCodes(['LifecyclePolicyNotFoundException'], () =>
        ctx.call('ecr', 'DeleteLifecyclePolicy', { repositoryName: name }),
      );
    }
  }
}

function attributesOf(output: unknown): Record<string, string> {
  return {
    Arn: outputString(output, 'repository', 'repositoryArn') ?? '',
    RepositoryUri: outputString(output, 'repository', 'repositoryUri') ?? '',
  };
}

/** The provider. */
export const ecrRepositoryProvider: ResourceProvider = {
  type: 'AWS::ECR::Repository',
  replaceOn: ['RepositoryName', 'EncryptionConfiguration'],
  attributes: ['Arn', 'RepositoryUri'],
  taggable: true,
  async create(ctx, props) {
    const name =
      optString(props, 'RepositoryName') ?? ctx.physicalName({ maxLength: 256, lowercase: true });
    const input: Record<string, InputValue> = {
      repositoryName: name,
      imageScanningConfiguration: { scanOnPush: scanOnPush(props) },
    };
    const mutability = optString(props, 'ImageTagMutability');
    if (mutability !== undefined) input['imageTagMutability'] = mutability;
    const encryption = optObject(props, 'EncryptionConfiguration');
    if (encryption !== undefined) {
      const kmsKey = optString(encryption, 'KmsKey');
      input['encryptionConfiguration'] = {
        encryptionType: optString(encryption, 'EncryptionType') ?? 'AES256',
        ...(kmsKey !== undefined ? { kmsKey } : {}),
      };
    }
    const tags = tagsOf(props);
    if (tags.length > 0) input['tags'] = tags.map((tag) => ({ ...tag }));
    const output = await ctx.call('ecr', 'CreateRepository', input);
    try {
      await applyPolicies(ctx, name, props, undefined);
    } catch (error: unknown) {
      await ctx
        .call('ecr', 'DeleteRepository', { repositoryName: name, force: true })
        .catch(() => undefined);
      throw error;
    }
    return { physicalId: name, attributes: attributesOf(output) };
  },
  async update(ctx, { physicalId: name, previous, props, attributes }) {
    const changed = (key: string): boolean => !sameValue(previous[key], props[key]);
    if (changed('ImageTagMutability')) {
      await ctx.call('ecr', 'PutImageTagMutability', {
        repositoryName: name,
        imageTagMutability: optString(props, 'ImageTagMutability') ?? 'MUTABLE',
      });
    }
    if (changed('ImageScanningConfiguration')) {
      await ctx.call('ecr', 'PutImageScanningConfiguration', {
        repositoryName: name,
        imageScanningConfiguration: { scanOnPush: scanOnPush(props) },
      });
    }
    await applyPolicies(ctx, name, props, previous);
    if (changed('Tags')) {
      const after = tagsOf(props);
      const removed = tagsOf(previous)
        .map((tag) => tag.Key)
        .filter((key) => !after.some((tag) => tag.Key === key));
      const resourceArn = attributes['Arn'] ?? '';
      if (removed.length > 0) {
        await ctx.call('ecr', 'UntagResource', { resourceArn, tagKeys: removed });
      }
      if (after.length > 0) {
        await ctx.call('ecr', 'TagResource', {
          resourceArn,
          tags: after.map((tag) => ({ ...tag })),
        });
      }
    }
    return { physicalId: name, attributes };
  },
  async delete(ctx, { physicalId, props }) {
    await ignoringCodes(['RepositoryNotFoundException'], () =>
      ctx.call('ecr', 'DeleteRepository', {
        repositoryName: physicalId,
        force: optBoolean(props, 'EmptyOnDelete') === true,
      }),
    );
  },
};
