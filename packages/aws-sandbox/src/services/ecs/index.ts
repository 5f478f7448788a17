// Amazon ECS (JSON 1.1, `AmazonEC2ContainerServiceV20141113`): clusters, task definitions,
// services with rolling deployments and the circuit breaker, standalone tasks, tags; services
// emit request and 5xx metrics under the health model.
import type { BackgroundContext } from '../../framework/background.js';
import type { ServiceDefinition } from '../../framework/service.js';
import { clusterActions } from './cluster-actions.js';
import { ecsProtocol } from './ecs-protocol.js';
import { ECS_SERVICE, type EcsState } from './ecs-state.js';
import { advanceEcs } from './ecs-world.js';
import { serviceActions } from './service-actions.js';
import { serviceMetricList, serviceMetricSamples } from './service-metrics.js';
import { tagActions } from './tag-actions.js';
import { taskActions } from './task-actions.js';
import { taskDefinitionActions } from './task-definition-actions.js';

/** Advances every region's ECS state, so logs and rollouts progress without reads. */
function tick(ctx: BackgroundContext): void {
  const now = ctx.clock.now().getTime();
  for (const accountId of ctx.accountIds()) {
    for (const region of ctx.regionsOf(ECS_SERVICE, accountId)) {
      const state = ctx.peekState<EcsState>(ECS_SERVICE, accountId, region);
      if (state) advanceEcs(ctx.runtime, accountId, region, state, now);
    }
  }
}

/** ECS. */
export const ecsService: ServiceDefinition = {
  name: ECS_SERVICE,
  protocol: ecsProtocol,
  actions: {
    ...clusterActions,
    ...taskDefinitionActions,
    ...serviceActions,
    ...taskActions,
    ...tagActions,
  },
  hooks: {
    onTick: tick,
    metricSamples: serviceMetricSamples,
    listMetrics: serviceMetricList,
  },
};
