// A service as CreateService / DescribeServices return it, with task counts as of now.
import { clusterArn } from './ecs-names.js';
import type { EcsDeployment, EcsService } from './ecs-state.js';
import { liveTasks } from './rollout.js';
import { taskStatus, type TaskPlace } from './task-lifecycle.js';

function counts(place: TaskPlace, service: EcsService, now: number, deployment?: EcsDeployment) {
  const statuses = liveTasks(place, service, now)
    .filter((task) => deployment === undefined || task.deploymentId === deployment.id)
    .map((task) => taskStatus(task, now));
  return {
    runningCount: statuses.filter((status) => status === 'RUNNING').length,
    pendingCount: statuses.filter((status) => status === 'PROVISIONING' || status === 'PENDING')
      .length,
  };
}

function renderDeployment(
  place: TaskPlace,
  service: EcsService,
  deployment: EcsDeployment,
  now: number,
): Record<string, unknown> {
  return {
    id: deployment.id,
    status: deployment.status,
    taskDefinition: deployment.taskDefinition,
    desiredCount: deployment.desiredCount,
    ...counts(place, service, now, deployment),
    failedTasks: deployment.failedTasks,
    createdAt: new Date(deployment.createdAt),
    updatedAt: new Date(deployment.updatedAt),
    ...(deployment.launchType !== undefined ? { launchType: deployment.launchType } : {}),
    ...(deployment.capacityProviderStrategy !== undefined
      ? { capacityProviderStrategy: deployment.capacityProviderStrategy }
      : {}),
    ...(deployment.platformVersion !== undefined
      ? { platformVersion: deployment.platformVersion, platformFamily: 'Linux' }
      : {}),
    ...(deployment.networkConfiguration !== undefined
      ? { networkConfiguration: deployment.networkConfiguration }
      : {}),
    rolloutState: deployment.rolloutState,
    rolloutStateReason: deployment.rolloutStateReason,
  };
}

/** Renders a service; `status` overrides the stored one (DeleteService answers DRAINING). */
export function renderService(
  place: TaskPlace,
  service: EcsService,
  now: number,
  options: { tags?: boolean; status?: EcsService['status'] } = {},
): Record<string, unknown> {
  const config = service.deploymentConfiguration;
  return {
    serviceArn: service.serviceArn,
    serviceName: service.serviceName,
    clusterArn: clusterArn(place.region, place.accountId, service.clusterName),
    loadBalancers: service.loadBalancers,
    serviceRegistries: service.serviceRegistries,
    status: options.status ?? service.status,
    desiredCount: service.desiredCount,
    ...counts(place, service, now),
    ...(service.launchType !== undefined ? { launchType: service.launchType } : {}),
    ...(service.capacityProviderStrategy !== undefined
      ? { capacityProviderStrategy: service.capacityProviderStrategy }
      : {}),
    ...(service.platformVersion !== undefined
      ? { platformVersion: service.platformVersion, platformFamily: 'Linux' }
      : {}),
    taskDefinition: service.taskDefinition,
    deploymentConfiguration: {
      deploymentCircuitBreaker: config.circuitBreaker,
      maximumPercent: config.maximumPercent,
      minimumHealthyPercent: config.minimumHealthyPercent,
      ...(config.alarms !== undefined ? { alarms: config.alarms } : {}),
    },
    deployments: service.deployments.map((d) => renderDeployment(place, service, d, now)),
    ...(service.roleArn !== undefined ? { roleArn: service.roleArn } : {}),
    events: service.events.map((event) => ({
      id: event.id,
      createdAt: new Date(event.createdAt),
      message: event.message,
    })),
    createdAt: new Date(service.createdAt),
    placementConstraints: service.placementConstraints,
    placementStrategy: service.placementStrategy,
    ...(service.networkConfiguration !== undefined
      ? { networkConfiguration: service.networkConfiguration }
      : {}),
    ...(service.healthCheckGracePeriodSeconds !== undefined
      ? { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds }
      : {}),
    schedulingStrategy: service.schedulingStrategy,
    deploymentController: { type: 'ECS' },
    ...(options.tags === true ? { tags: service.tags } : {}),
    createdBy: service.createdBy,
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: service.propagateTags,
    enableExecuteCommand: service.enableExecuteCommand,
    availabilityZoneRebalancing: 'DISABLED',
  };
}
