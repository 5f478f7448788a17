// AWS::ECS::Service: a service, created or updated through CreateService / UpdateService, which
// CloudFormation waits on like AWS does: the resource completes when the deployment it started
// has COMPLETED its rollout, and fails when the deployment circuit breaker failed it (or after 3
// hours without completing). Ref is the service ARN.
import { randomUUID } from 'node:crypto';
import type { InputValue } from '../../../framework/input.js';
import { apiInput, apiValue } from '../../ecs/cloudformation-properties.js';
import { retagEcsResource } from './ecs-cluster.js';
import { optBoolean, optInteger, optString, outputString, sameValue } from './property-readers.js';
import type { ProviderContext, ResourceProvider, Stabilization } from './resource-provider.js';
import { errorCode } from './service-errors.js';

/** Where the provider keeps the id of the deployment it waits for (not a `Fn::GetAtt` name). */
const DEPLOYMENT = 'DeploymentId';
/** How often CloudFormation looks at a deployment in progress. */
const POLL_MS = 15_000;
/** How long CloudFormation waits for a service to stabilize. */
const TIMEOUT_MS = 3 * 60 * 60 * 1000;

/** Properties UpdateService takes (the others need a new service). */
const UPDATABLE: Record<string, string> = {
  TaskDefinition: 'taskDefinition',
  DesiredCount: 'desiredCount',
  DeploymentConfiguration: 'deploymentConfiguration',
  NetworkConfiguration: 'networkConfiguration',
  LoadBalancers: 'loadBalancers',
  PlatformVersion: 'platformVersion',
  HealthCheckGracePeriodSeconds: 'healthCheckGracePeriodSeconds',
  CapacityProviderStrategy: 'capacityProviderStrategy',
  EnableExecuteCommand: 'enableExecuteCommand',
  EnableECSManagedTags: 'enableECSManagedTags',
  PropagateTags: 'propagateTags',
  ServiceRegistries: 'serviceRegistries',
};

function reason(message: string, code: string): string {
  return `Resource handler returned message: "${message}" (RequestToken: ${randomUUID()}, HandlerErrorCode: ${code})`;
}

function deploymentIdOf(output: unknown): string {
  const service = (output as { service?: { deployments?: { id?: unknown }[] } } | undefined)
    ?.service;
  const id = service?.deployments?.[0]?.id;
  return typeof id === 'string' ? id : '';
}

/** What the provider needs of a service as DescribeServices returns it. */
interface DescribedService {
  status?: string;
  serviceArn?: string;
  deployments?: {
    id?: string;
    rolloutState?: string;
    createdAt?: Date;
    updatedAt?: Date;
  }[];
  events?: { message?: string; createdAt?: Date }[];
}

async function describe(
  ctx: ProviderContext,
  cluster: string,
  service: string,
): Promise<DescribedService | undefined> {
  const output = (await ctx.call('ecs', 'DescribeServices', {
    cluster,
    services: [service],
  })) as { services?: DescribedService[] };
  return output.services?.[0];
}

function clusterOf(props: Record<string, unknown>): string {
  return optString(props, 'Cluster') ?? 'default';
}

/** The provider. */
export const ecsServiceProvider: ResourceProvider = {
  type: 'AWS::ECS::Service',
  replaceOn: [
    'Cluster',
    'ServiceName',
    'LaunchType',
    'SchedulingStrategy',
    'Role',
    'DeploymentController',
    'PlacementConstraints',
    'PlacementStrategies',
  ],
  attributes: ['Name', 'ServiceArn'],
  taggable: true,
  async create(ctx, props) {
    const name = optString(props, 'ServiceName') ?? ctx.physicalName({ maxLength: 255 });
    const output = await ctx.call('ecs', 'CreateService', {
      ...apiInput(props, ['ServiceName', 'DesiredCount', 'ForceNewDeployment']),
      serviceName: name,
      desiredCount: optInteger(props, 'DesiredCount') ?? 1,
    });
    const arn = outputString(output, 'service', 'serviceArn') ?? '';
    return {
      physicalId: arn,
      ref: arn,
      attributes: { Name: name, ServiceArn: arn, [DEPLOYMENT]: deploymentIdOf(output) },
    };
  },
  async update(ctx, { physicalId, previous, props, attributes }) {
    const changed = (name: string): boolean => !sameValue(previous[name], props[name]);
    const input: Record<string, InputValue> = {};
    for (const [property, member] of Object.entries(UPDATABLE)) {
      if (!changed(property)) continue;
      const value = props[property];
      if (value !== undefined && value !== null) input[member] = apiValue(value);
      else if (property === 'PropagateTags') input[member] = 'NONE';
      else if (property === 'DesiredCount') input[member] = 1;
    }
    const force = props['ForceNewDeployment'] as Record<string, unknown> | undefined;
    if (changed('ForceNewDeployment') && optBoolean(force ?? {}, 'EnableForceNewDeployment')) {
      input['forceNewDeployment'] = true;
    }
    let deployment = attributes[DEPLOYMENT] ?? '';
    if (Object.keys(input).length > 0) {
      const output = await ctx.call('ecs', 'UpdateService', {
        cluster: clusterOf(props),
        service: physicalId,
        ...input,
      });
      deployment = deploymentIdOf(output);
    }
    if (changed('Tags')) await retagEcsResource(ctx, physicalId, previous, props);
    return { physicalId, ref: physicalId, attributes: { ...attributes, [DEPLOYMENT]: deployment } };
  },
  async stabilize(ctx, { physicalId, props, attributes }, at): Promise<Stabilization> {
    const service = await describe(ctx, clusterOf(props), physicalId);
    if (!service || service.status !== 'ACTIVE') {
      return {
        state: 'failed',
        reason: reason(`Service ${physicalId} is not ACTIVE.`, 'NotFound'),
      };
    }
    const id = attributes[DEPLOYMENT] ?? '';
    const deployment = service.deployments?.find((d) => d.id === id);
    const breaker = reason(
      "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.",
      'GeneralServiceException',
    );
    if (!deployment) {
      // Gone: rolled back by the circuit breaker, or superseded by a later deployment.
      const failure = (service.events ?? []).find((event) =>
        event.message?.includes(`(deployment ${id}) deployment failed`),
      );
      if (!failure) return { state: 'ready' };
      const failedAt = failure.createdAt?.getTime() ?? at.getTime();
      return failedAt > at.getTime()
        ? { state: 'waiting', checkAt: failedAt }
        : { state: 'failed', reason: breaker };
    }
    if (deployment.rolloutState !== 'IN_PROGRESS') {
      // Settled by now, possibly after `at`: report it at the time it settled.
      const settled = deployment.updatedAt?.getTime() ?? at.getTime();
      if (settled > at.getTime()) return { state: 'waiting', checkAt: settled };
      return deployment.rolloutState === 'FAILED'
        ? { state: 'failed', reason: breaker }
        : { state: 'ready' };
    }
    const now = at.getTime();
    const deadline = (deployment.createdAt?.getTime() ?? now) + TIMEOUT_MS;
    if (now >= deadline) {
      return {
        state: 'failed',
        reason: reason(`Service ${physicalId} did not stabilize.`, 'NotStabilized'),
      };
    }
    // Still in progress as of the deployment's last change, so every look before it would have
    // found it in progress too: the next look that can matter is the first after that change.
    const changed = deployment.updatedAt?.getTime() ?? now;
    const next = now + Math.max(1, Math.ceil((changed - now) / POLL_MS)) * POLL_MS;
    return { state: 'waiting', checkAt: Math.min(next, deadline) };
  },
  async delete(ctx, { physicalId, props }) {
    try {
      await ctx.call('ecs', 'DeleteService', {
        cluster: clusterOf(props),
        service: physicalId,
        force: true,
      });
    } catch (error: unknown) {
      const code = errorCode(error);
      const gone = [
        'ServiceNotFoundException',
        'ServiceNotActiveException',
        'ClusterNotFoundException',
      ];
      if (code === undefined || !gone.includes(code)) throw error;
    }
  },
};
