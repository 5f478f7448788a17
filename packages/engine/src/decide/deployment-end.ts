/** Ending a deployment: its status, and the stages it will not reach. */
import type { Deployment } from '../model/pipeline-state.js';
import type { DeploymentStatus } from '../model/statuses.js';
import type { DecisionContext } from './decision-context.js';
import type { EngineEventCode } from './events.js';

export type FinalDeploymentStatus = Exclude<DeploymentStatus, 'running' | 'building'>;

export function finishDeployment(
  ctx: DecisionContext,
  d: Deployment,
  status: FinalDeploymentStatus,
  data: Record<string, string | number> = {},
): void {
  d.status = status;
  d.finishedAt = ctx.now;
  d.stages.forEach((stage, index) => {
    if (index > d.currentStage && stage.status === 'waiting') {
      stage.status = 'not_reached';
      delete stage.waitingFor;
    }
  });
  ctx.touch(d);
  ctx.emit({
    type: finishedCode(status),
    deploymentId: d.id,
    data: { revision: d.revision, ...data },
  });
}

function finishedCode(status: FinalDeploymentStatus): EngineEventCode {
  switch (status) {
    case 'succeeded':
      return 'deployment.succeeded';
    case 'failed':
      return 'deployment.failed';
    case 'cancelled':
      return 'deployment.cancelled';
    case 'rolled_back':
      return 'deployment.rolled_back';
    case 'superseded':
      return 'deployment.superseded';
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}
