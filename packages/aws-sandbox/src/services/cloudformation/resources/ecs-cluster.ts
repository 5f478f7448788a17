// AWS::ECS::Cluster: a cluster with its settings, capacity providers and tags. Ref is the name.
import { AwsError } from '../../../framework/aws-error.js';
import { apiInput } from '../../ecs/cloudformation-properties.js';
import { optString, outputString, sameValue, tagsOf } from './property-readers.js';
import type { ProviderContext, ResourceProperties, ResourceProvider } from './resource-provider.js';
import { errorCode } from './service-errors.js';

const arnOf = (ctx: ProviderContext, name: string): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:cluster/${name}`;

/** Brings an ECS resource's tags from `previous` to `props` (shared by the ECS providers). */
export async function retagEcsResource(
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
    await ctx.call('ecs', 'UntagResource', { resourceArn: arn, tagKeys: removed });
  }
  if (after.length > 0) {
    await ctx.call('ecs', 'TagResource', {
      resourceArn: arn,
      tags: after.map((tag) => ({ key: tag.Key, value: tag.Value })),
    });
  }
}

/** The provider. */
export const ecsClusterProvider: ResourceProvider = {
  type: 'AWS::ECS::Cluster',
  replaceOn: ['ClusterName'],
  attributes: ['Arn'],
  taggable: true,
  async create(ctx, props) {
    const name = optString(props, 'ClusterName') ?? ctx.physicalName({ maxLength: 255 });
    // CreateCluster returns an existing cluster; CloudFormation refuses to adopt it.
    const existing = (await ctx.call('ecs', 'DescribeClusters', { clusters: [name] })) as {
      clusters?: { status?: string }[];
    };
    if (existing.clusters?.[0]?.status === 'ACTIVE') {
      throw new AwsError(
        'AlreadyExistsException',
        `Resource of type 'AWS::ECS::Cluster' with identifier '${name}' already exists.`,
      );
    }
    const output = await ctx.call('ecs', 'CreateCluster', {
      ...apiInput(props, ['ClusterName', 'ServiceConnectDefaults']),
      clusterName: name,
    });
    const arn = outputString(output, 'cluster', 'clusterArn') ?? arnOf(ctx, name);
    return { physicalId: name, attributes: { Arn: arn } };
  },
  async update(ctx, { physicalId, previous, props, attributes }) {
    if (!sameValue(previous['Tags'], props['Tags'])) {
      await retagEcsResource(ctx, attributes['Arn'] ?? arnOf(ctx, physicalId), previous, props);
    }
    return { physicalId, attributes };
  },
  async delete(ctx, { physicalId }) {
    try {
      await ctx.call('ecs', 'DeleteCluster', { cluster: physicalId });
    } catch (error: unknown) {
      if (errorCode(error) !== 'ClusterNotFoundException') throw error;
    }
  },
};
