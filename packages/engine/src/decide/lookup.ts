/** Finding things in the state document. */
import type { DeploymentStagePlan, DeploymentStepPlan } from '../model/deployment-plan.js';
import type {
  Deployment,
  PipelineState,
  StageExecution,
  StageTarget,
  StageTrack,
  StepExecution,
} from '../model/pipeline-state.js';

export function findDeployment(state: PipelineState, id: string): Deployment | undefined {
  return state.deployments.find((d) => d.id === id);
}

/** The track of `stage`, created empty on first use. */
export function trackOf(state: PipelineState, stage: string): StageTrack {
  let track = state.tracks[stage];
  if (track === undefined) {
    track = {
      stage,
      alarms: [],
      goodHistory: [],
      queued: [],
      blockers: [],
      pollSeq: 0,
      blockerSeq: 0,
    };
    state.tracks[stage] = track;
  }
  return track;
}

export interface StageAt {
  plan: DeploymentStagePlan;
  exec: StageExecution;
}

export function stageAt(d: Deployment, index: number): StageAt | undefined {
  const plan = d.plan.stages[index];
  const exec = d.stages[index];
  return plan === undefined || exec === undefined ? undefined : { plan, exec };
}

export function stageIndexOf(d: Deployment, stage: string): number {
  return d.plan.stages.findIndex((s) => s.name === stage);
}

export interface StepAt {
  plan: DeploymentStepPlan;
  exec: StepExecution;
}

export function stepAt(d: Deployment, stageIndex: number, stepIndex: number): StepAt | undefined {
  const plan = d.plan.stages[stageIndex]?.steps[stepIndex];
  const exec = d.stages[stageIndex]?.steps[stepIndex];
  return plan === undefined || exec === undefined ? undefined : { plan, exec };
}

/** The deployment occupying a track, when a deployment (not a manual rollback) does. */
export function occupantDeployment(
  state: PipelineState,
  track: StageTrack,
): Deployment | undefined {
  const occupant = track.occupant;
  if (occupant === undefined || !('deploymentId' in occupant)) return undefined;
  return findDeployment(state, occupant.deploymentId);
}

export function stageTarget(
  state: PipelineState,
  d: Deployment,
  stage: DeploymentStagePlan,
): StageTarget {
  return {
    pipelineId: state.pipelineId,
    pipelineSlug: d.plan.pipelineSlug,
    stage: stage.name,
    accountId: stage.accountId,
    region: stage.region,
    role: stage.role,
  };
}

export const BAKE_TYPE = 'RAMPART:APPROVAL:BAKE';
export const MANUAL_APPROVAL_TYPE = 'RAMPART:APPROVAL:MANUAL';

/** Step types the engine runs itself (timers and approvals), without an executor. */
export function isEngineStepType(type: string): boolean {
  return type === BAKE_TYPE || type === MANUAL_APPROVAL_TYPE;
}
