// Services: create (first deployment), update (new deployments, scaling, circuit breaker),
// describe, list, delete.
import type { ResourceTarget } from '../../auth/authorizer.js';
import type { InputValue } from '../../framework/input.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { authorizeTagOnCreate, requestTagContext, target } from './ecs-access.js';
import { invalidParameter, serviceNotActive } from './ecs-errors.js';
import { boundedList, ecsPage, enumParam, readTags } from './ecs-input.js';
import {
  activeCluster,
  clusterNameOf,
  findService,
  findTaskDefinition,
  serviceNameOf,
  usableTaskDefinition,
} from './ecs-lookup.js';
import { clusterArn, serviceArn } from './ecs-names.js';
import type { EcsCluster, EcsService, EcsState } from './ecs-state.js';
import { ecsState, servicePlace } from './ecs-world.js';
import { ownValue, putOwn } from '../../state/own-record.js';
import { reconcile, retireService, startDeployment } from './rollout.js';
import {
  checkPlacement,
  readDeploymentConfiguration,
  readLoadBalancers,
  readServiceName,
} from './service-input.js';
import { renderService } from './service-render.js';

const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const;
const PROPAGATE = ['TASK_DEFINITION', 'SERVICE', 'NONE'] as const;

function present(value: InputValue | undefined): value is InputValue {
  return value !== undefined && value !== null;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The service target of a call: its ARN, tags and `ecs:cluster`. */
function serviceTarget(ctx: ActionContext, ref: string): ResourceTarget {
  const clusterName = clusterNameOf(ctx, ctx.input.str('cluster'));
  const name = serviceNameOf(ref);
  const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
  const existing = ownValue(ownValue(state.clusters, clusterName)?.services ?? {}, name);
  return target(serviceArn(ctx.region, ctx.accountId, clusterName, name), existing?.tags, {
    'ecs:cluster': clusterArn(ctx.region, ctx.accountId, clusterName),
  });
}

/** `ecs:task-definition` when the request names a task definition that exists. */
function taskDefinitionContext(ctx: ActionContext): Record<string, string> {
  const ref = ctx.input.str('taskDefinition');
  if (ref === undefined) return {};
  const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
  const definition = findTaskDefinition(state, ref);
  return definition ? { 'ecs:task-definition': definition.taskDefinitionArn } : {};
}

function place(ctx: ActionContext, state: EcsState, cluster: EcsCluster) {
  return servicePlace(ctx.runtime, ctx.accountId, ctx.region, state, cluster);
}

function validateCommon(ctx: ActionContext): void {
  enumParam(ctx.input, 'launchType', LAUNCH_TYPES);
  enumParam(ctx.input, 'propagateTags', PROPAGATE);
  const desired = ctx.input.int('desiredCount');
  if (desired !== undefined && desired < 0) {
    throw invalidParameter('desiredCount must be greater than or equal to 0.');
  }
  readDeploymentConfiguration(ctx.input);
}

function activeService(ctx: ActionContext, cluster: EcsCluster): EcsService {
  const service = findService(cluster, ctx.input.reqStr('service'));
  if (service.status !== 'ACTIVE') throw serviceNotActive();
  return service;
}

/** Service actions. */
export const serviceActions: Record<string, ActionDefinition> = {
  CreateService: {
    validate: (ctx) => {
      readServiceName(ctx.input);
      validateCommon(ctx);
      readTags(ctx.input);
      if (ctx.input.int('desiredCount') === undefined) {
        throw invalidParameter('desiredCount is required for the REPLICA scheduling strategy.');
      }
      const strategy = ctx.input.str('schedulingStrategy') ?? 'REPLICA';
      if (strategy !== 'REPLICA') {
        throw invalidParameter('The sandbox emulates the REPLICA scheduling strategy only.');
      }
      const controller = ctx.input.obj('deploymentController')?.str('type') ?? 'ECS';
      if (controller !== 'ECS') {
        throw invalidParameter('The sandbox emulates the ECS deployment controller only.');
      }
      ctx.input.reqStr('taskDefinition');
    },
    resources: (ctx) => [serviceTarget(ctx, readServiceName(ctx.input))],
    context: (ctx) => ({
      ...taskDefinitionContext(ctx),
      ...requestTagContext(readTags(ctx.input)),
    }),
    handler: async (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const cluster = activeCluster(ctx, state);
      const where = place(ctx, state, cluster);
      const now = ctx.clock.now().getTime();
      const name = readServiceName(ctx.input);
      const token = ctx.input.str('clientToken');
      const existing = ownValue(cluster.services, name);
      if (existing?.status === 'ACTIVE') {
        if (token !== undefined && existing.clientToken === token) {
          return { service: renderService(where, existing, now, { tags: true }) };
        }
        throw invalidParameter('Creation of service was not idempotent.');
      }
      if (existing?.status === 'DRAINING') {
        throw invalidParameter('Unable to Start a service that is still Draining.');
      }
      const definition = usableTaskDefinition(state, ctx.input.reqStr('taskDefinition'));
      const launchType = ctx.input.str('launchType');
      const capacity = ctx.input.raw['capacityProviderStrategy'];
      const network = ctx.input.raw['networkConfiguration'];
      checkPlacement(
        definition,
        launchType,
        Array.isArray(capacity) && capacity.length > 0,
        network ?? undefined,
      );
      const loadBalancers = readLoadBalancers(ctx.input, definition);
      const grace = ctx.input.int('healthCheckGracePeriodSeconds');
      if (grace !== undefined && loadBalancers.length === 0) {
        throw invalidParameter(
          'Health check grace period is only valid for services configured to use load balancers',
        );
      }
      const tags = readTags(ctx.input);
      const arn = serviceArn(ctx.region, ctx.accountId, cluster.clusterName, name);
      await authorizeTagOnCreate(ctx, arn, tags);
      const platform = ctx.input.str('platformVersion');
      const role = ctx.input.str('role');
      const service: EcsService = {
        serviceName: name,
        serviceArn: arn,
        clusterName: cluster.clusterName,
        status: 'ACTIVE',
        taskDefinition: definition.taskDefinitionArn,
        desiredCount: ctx.input.int('desiredCount') ?? 0,
        ...(launchType !== undefined ? { launchType } : {}),
        ...(present(capacity) ? { capacityProviderStrategy: capacity } : {}),
        ...(platform !== undefined
          ? { platformVersion: platform }
          : launchType === 'FARGATE'
            ? { platformVersion: 'LATEST' }
            : {}),
        loadBalancers,
        serviceRegistries: ctx.input.list('serviceRegistries').map((item) => item.raw),
        ...(present(network) ? { networkConfiguration: network } : {}),
        placementConstraints: ctx.input.list('placementConstraints').map((item) => item.raw),
        placementStrategy: ctx.input.list('placementStrategy').map((item) => item.raw),
        deploymentConfiguration: readDeploymentConfiguration(ctx.input),
        schedulingStrategy: 'REPLICA',
        ...(grace !== undefined ? { healthCheckGracePeriodSeconds: grace } : {}),
        enableECSManagedTags: ctx.input.bool('enableECSManagedTags') ?? false,
        propagateTags: ctx.input.str('propagateTags') ?? 'NONE',
        enableExecuteCommand: ctx.input.bool('enableExecuteCommand') ?? false,
        ...(role !== undefined ? { roleArn: role } : {}),
        createdAt: new Date(now).toISOString(),
        createdBy: ctx.caller.arn,
        ...(token !== undefined ? { clientToken: token } : {}),
        tags,
        deployments: [],
        events: [],
        liveTaskIds: [],
        steady: false,
      };
      putOwn(cluster.services, name, service);
      startDeployment(
        where,
        service,
        {
          taskDefinition: definition.taskDefinitionArn,
          ...(service.launchType !== undefined ? { launchType: service.launchType } : {}),
          ...(service.capacityProviderStrategy !== undefined
            ? { capacityProviderStrategy: service.capacityProviderStrategy }
            : {}),
          ...(service.platformVersion !== undefined
            ? { platformVersion: service.platformVersion }
            : {}),
          ...(service.networkConfiguration !== undefined
            ? { networkConfiguration: service.networkConfiguration }
            : {}),
        },
        now,
      );
      return { service: renderService(where, service, now, { tags: true }) };
    },
  },

  UpdateService: {
    validate: (ctx) => {
      ctx.input.reqStr('service');
      validateCommon(ctx);
    },
    resources: (ctx) => [serviceTarget(ctx, ctx.input.reqStr('service'))],
    context: taskDefinitionContext,
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const cluster = activeCluster(ctx, state);
      const where = place(ctx, state, cluster);
      const now = ctx.clock.now().getTime();
      const service = activeService(ctx, cluster);
      const ref = ctx.input.str('taskDefinition');
      const definition =
        ref !== undefined
          ? usableTaskDefinition(state, ref)
          : where.definition(service.taskDefinition);
      const network = ctx.input.raw['networkConfiguration'];
      const capacity = ctx.input.raw['capacityProviderStrategy'];
      const nextNetwork = present(network) ? network : service.networkConfiguration;
      if (definition) {
        checkPlacement(
          definition,
          service.launchType,
          Array.isArray(capacity) && capacity.length > 0,
          nextNetwork,
        );
      }
      const loadBalancers =
        ctx.input.has('loadBalancers') && definition
          ? readLoadBalancers(ctx.input, definition)
          : service.loadBalancers;
      const platform = ctx.input.str('platformVersion');
      const redeploy =
        ctx.input.bool('forceNewDeployment') === true ||
        (definition !== undefined && definition.taskDefinitionArn !== service.taskDefinition) ||
        !sameJson(nextNetwork, service.networkConfiguration) ||
        !sameJson(loadBalancers, service.loadBalancers) ||
        (present(capacity) && !sameJson(capacity, service.capacityProviderStrategy)) ||
        (platform !== undefined && platform !== service.platformVersion);
      service.deploymentConfiguration = readDeploymentConfiguration(
        ctx.input,
        service.deploymentConfiguration,
      );
      const grace = ctx.input.int('healthCheckGracePeriodSeconds');
      if (grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
      const flags = ['enableExecuteCommand', 'enableECSManagedTags'] as const;
      for (const flag of flags) {
        const value = ctx.input.bool(flag);
        if (value !== undefined) service[flag] = value;
      }
      const propagate = ctx.input.str('propagateTags');
      if (propagate !== undefined) service.propagateTags = propagate;
      service.loadBalancers = loadBalancers;
      if (present(nextNetwork)) service.networkConfiguration = nextNetwork;
      if (present(capacity)) service.capacityProviderStrategy = capacity;
      if (platform !== undefined) service.platformVersion = platform;
      const desired = ctx.input.int('desiredCount');
      if (desired !== undefined && desired !== service.desiredCount) {
        service.desiredCount = desired;
        const primary = service.deployments[0];
        if (primary) primary.desiredCount = desired;
        service.steady = false;
      }
      if (redeploy && definition) {
        startDeployment(
          where,
          service,
          {
            taskDefinition: definition.taskDefinitionArn,
            ...(service.launchType !== undefined ? { launchType: service.launchType } : {}),
            ...(service.capacityProviderStrategy !== undefined
              ? { capacityProviderStrategy: service.capacityProviderStrategy }
              : {}),
            ...(service.platformVersion !== undefined
              ? { platformVersion: service.platformVersion }
              : {}),
            ...(service.networkConfiguration !== undefined
              ? { networkConfiguration: service.networkConfiguration }
              : {}),
          },
          now,
        );
      } else {
        reconcile(where, service, now);
      }
      return { service: renderService(where, service, now, { tags: true }) };
    },
  },

  DescribeServices: {
    validate: (ctx) => {
      const refs = boundedList(ctx.input, 'services', 10);
      if (refs.length === 0) throw invalidParameter('services can not be empty.');
    },
    resources: (ctx) => ctx.input.strList('services').map((ref) => serviceTarget(ctx, ref)),
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const cluster = activeCluster(ctx, state);
      const where = place(ctx, state, cluster);
      const now = ctx.clock.now().getTime();
      const tags = ctx.input.strList('include').includes('TAGS');
      const services: Record<string, unknown>[] = [];
      const failures: { arn: string; reason: string }[] = [];
      for (const ref of ctx.input.strList('services')) {
        const service = ownValue(cluster.services, serviceNameOf(ref));
        if (service) services.push(renderService(where, service, now, { tags }));
        else {
          failures.push({
            arn: serviceArn(ctx.region, ctx.accountId, cluster.clusterName, serviceNameOf(ref)),
            reason: 'MISSING',
          });
        }
      }
      return { services, failures };
    },
  },

  ListServices: {
    validate: (ctx) => {
      enumParam(ctx.input, 'launchType', LAUNCH_TYPES);
      enumParam(ctx.input, 'schedulingStrategy', ['REPLICA', 'DAEMON']);
    },
    context: (ctx) => ({
      'ecs:cluster': clusterArn(
        ctx.region,
        ctx.accountId,
        clusterNameOf(ctx, ctx.input.str('cluster')),
      ),
    }),
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const cluster = activeCluster(ctx, state);
      const launchType = ctx.input.str('launchType');
      const strategy = ctx.input.str('schedulingStrategy');
      const arns = Object.values(cluster.services)
        .filter((service) => service.status !== 'INACTIVE')
        .filter((service) => launchType === undefined || service.launchType === launchType)
        .filter((service) => strategy === undefined || service.schedulingStrategy === strategy)
        .map((service) => service.serviceArn);
      const { page, nextToken } = ecsPage(arns, ctx.input, 10);
      return { serviceArns: page, ...(nextToken !== undefined ? { nextToken } : {}) };
    },
  },

  DeleteService: {
    validate: (ctx) => {
      ctx.input.reqStr('service');
      ctx.input.bool('force');
    },
    resources: (ctx) => [serviceTarget(ctx, ctx.input.reqStr('service'))],
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const cluster = activeCluster(ctx, state);
      const where = place(ctx, state, cluster);
      const now = ctx.clock.now().getTime();
      const service = activeService(ctx, cluster);
      if (service.desiredCount > 0 && ctx.input.bool('force') !== true) {
        throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
      }
      service.desiredCount = 0;
      for (const deployment of service.deployments) deployment.desiredCount = 0;
      const rendered = renderService(where, service, now, { status: 'DRAINING' });
      // Draining is immediate in the sandbox: the tasks stop now and the service is INACTIVE.
      retireService(where, service, now);
      return { service: rendered };
    },
  },
};
