// AWS::ECS::TaskDefinition: a revision of a family. Any change but Tags registers a new revision
// (replacement); the old one is deregistered at clean-up. Ref is the revision's ARN.
import { apiInput } from '../../ecs/cloudformation-properties.js';
import { retagEcsResource } from './ecs-cluster.js';
import { optString, outputString, sameValue } from './property-readers.js';
import type { ResourceProvider } from './resource-provider.js';
import { errorCode } from './service-errors.js';

const REPLACED_ON = [
  'ContainerDefinitions',
  'Cpu',
  'EnableFaultInjection',
  'EphemeralStorage',
  'ExecutionRoleArn',
  'Family',
  'InferenceAccelerators',
  'IpcMode',
  'Memory',
  'NetworkMode',
  'PidMode',
  'PlacementConstraints',
  'ProxyConfiguration',
  'RequiresCompatibilities',
  'RuntimePlatform',
  'TaskRoleArn',
  'Volumes',
];

/** The provider. */
export const ecsTaskDefinitionProvider: ResourceProvider = {
  type: 'AWS::ECS::TaskDefinition',
  replaceOn: REPLACED_ON,
  attributes: ['TaskDefinitionArn'],
  taggable: true,
  async create(ctx, props) {
    const family = optString(props, 'Family') ?? ctx.physicalName({ maxLength: 255 });
    const output = await ctx.call('ecs', 'RegisterTaskDefinition', {
      ...apiInput(props, ['Family']),
      family,
    });
    const arn = outputString(output, 'taskDefinition', 'taskDefinitionArn') ?? '';
    return { physicalId: arn, ref: arn, attributes: { TaskDefinitionArn: arn } };
  },
  async update(ctx, { physicalId, previous, props, attributes }) {
    if (!sameValue(previous['Tags'], props['Tags'])) {
      await retagEcsResource(ctx, physicalId, previous, props);
    }
    return { physicalId, ref: physicalId, attributes };
  },
  async delete(ctx, { physicalId }) {
    try {
      await ctx.call('ecs', 'DeregisterTaskDefinition', { taskDefinition: physicalId });
    } catch (error: unknown) {
      if (errorCode(error) !== 'ClientException') throw error;
    }
  },
};
