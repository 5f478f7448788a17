// CreateService / UpdateService parameters, checked with ECS's InvalidParameterException wording.
import type { Input, InputValue } from '../../framework/input.js';
import { invalidParameter } from './ecs-errors.js';
import type { DeploymentConfiguration, EcsTaskDefinition } from './ecs-state.js';

const SERVICE_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const TARGET_GROUP_ARN =
  /^arn:aws:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;

/** A new service's name, checked. */
export function readServiceName(input: Input): string {
  const name = input.reqStr('serviceName');
  if (!SERVICE_NAME.test(name)) {
    throw invalidParameter(
      'Service name can only contain letters, numbers, hyphens and underscores, up to 255 characters.',
    );
  }
  return name;
}

/** The deployment configuration, on top of `previous` (UpdateService changes what it names). */
export function readDeploymentConfiguration(
  input: Input,
  previous?: DeploymentConfiguration,
): DeploymentConfiguration {
  const given = input.obj('deploymentConfiguration');
  const breaker = given?.obj('deploymentCircuitBreaker');
  const config: DeploymentConfiguration = {
    maximumPercent: given?.int('maximumPercent') ?? previous?.maximumPercent ?? 200,
    minimumHealthyPercent:
      given?.int('minimumHealthyPercent') ?? previous?.minimumHealthyPercent ?? 100,
    circuitBreaker: breaker
      ? { enable: breaker.bool('enable') ?? false, rollback: breaker.bool('rollback') ?? false }
      : (previous?.circuitBreaker ?? { enable: false, rollback: false }),
  };
  const alarms = given?.raw['alarms'] ?? previous?.alarms;
  if (alarms !== undefined && alarms !== null) config.alarms = alarms;
  if (config.maximumPercent < 100 || config.maximumPercent > 200) {
    throw invalidParameter('maximumPercent must be between 100 and 200.');
  }
  if (config.minimumHealthyPercent < 0 || config.minimumHealthyPercent > 100) {
    throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  }
  return config;
}

/** The target group ARN of a `loadBalancers` entry, if it has one. */
export function targetGroupOf(balancer: InputValue): string | undefined {
  if (balancer === null || typeof balancer !== 'object' || Array.isArray(balancer))
    return undefined;
  const arn = balancer['targetGroupArn'];
  return typeof arn === 'string' ? arn : undefined;
}

/** `loadBalancers`, checked against the task definition's containers. */
export function readLoadBalancers(input: Input, definition: EcsTaskDefinition): InputValue[] {
  const containers = Array.isArray(definition.body['containerDefinitions'])
    ? definition.body['containerDefinitions']
    : [];
  const names = new Set(
    containers.flatMap((container) =>
      container !== null &&
      typeof container === 'object' &&
      !Array.isArray(container) &&
      typeof container['name'] === 'string'
        ? [container['name']]
        : [],
    ),
  );
  return input.list('loadBalancers').map((balancer) => {
    const arn = balancer.str('targetGroupArn');
    if (arn !== undefined && !TARGET_GROUP_ARN.test(arn)) {
      throw invalidParameter(`Invalid target group ARN: ${arn}`);
    }
    const container = balancer.str('containerName');
    if (container === undefined || balancer.int('containerPort') === undefined) {
      throw invalidParameter('Load balancers must name a containerName and a containerPort.');
    }
    if (!names.has(container)) {
      throw invalidParameter(`The container ${container} does not exist in the task definition.`);
    }
    return balancer.raw;
  });
}

/** Checks what a task definition requires of a service or RunTask: network, launch type. */
export function checkPlacement(
  definition: EcsTaskDefinition,
  launchType: string | undefined,
  hasCapacityProviders: boolean,
  networkConfiguration: InputValue | undefined,
): void {
  if (launchType !== undefined && hasCapacityProviders) {
    throw invalidParameter(
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
  }
  const compatibilities = definition.body['compatibilities'];
  if (
    launchType === 'FARGATE' &&
    !(Array.isArray(compatibilities) && compatibilities.includes('FARGATE'))
  ) {
    throw invalidParameter('Task definition does not support launch_type FARGATE.');
  }
  if (
    definition.body['networkMode'] === 'awsvpc' &&
    (networkConfiguration === undefined || networkConfiguration === null)
  ) {
    throw invalidParameter(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  }
}
