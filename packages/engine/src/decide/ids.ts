/**
 * Deterministic ids. Every id is built from the state and the input alone, so the same decision
 * made twice (a retry after a store conflict, a replay) names the same commands.
 */
import type { Deployment } from '../model/pipeline-state.js';

export function deploymentId(pipelineId: string, revision: number): string {
  return `${pipelineId}:${revision}`;
}

/** Prefix of everything one run of one stage issues. */
export function stageRunKey(deploymentId: string, stageIndex: number, run: number): string {
  return `${deploymentId}/${stageIndex}/r${run}`;
}

export function checkCommandId(d: Deployment, stageIndex: number, run: number): string {
  return `${stageRunKey(d.id, stageIndex, run)}/check`;
}

export function mirrorCommandId(d: Deployment, stageIndex: number, run: number): string {
  return `${stageRunKey(d.id, stageIndex, run)}/mirror`;
}

/** The build of the artifact at `index` of the plan's built-once artifacts (`attempt` after a retry). */
export function buildCommandId(d: Deployment, index: number, attempt = 1): string {
  return attempt === 1 ? `${d.id}/build/a${index}` : `${d.id}/build/a${index}/r${attempt}`;
}

/** Prefix of everything one step attempt issues (its calls and timers). */
export function stepAttemptKey(
  deploymentId: string,
  stageIndex: number,
  attempt: number,
  stepIndex: number,
): string {
  return `${stageRunKey(deploymentId, stageIndex, attempt)}/s${stepIndex}`;
}

export function stepCallId(attemptKey: string, call: number): string {
  return `${attemptKey}/c${call}`;
}

/**
 * The effect journal key of a step attempt, shared by all its calls: the id of its first call, so
 * a store may tie journals to outbox rows.
 */
export function stepJournalKey(attemptKey: string): string {
  return stepCallId(attemptKey, 1);
}

export function stepTimerId(
  attemptKey: string,
  kind: 'bake' | 'timeout' | 'approval-timeout',
): string {
  return `${attemptKey}/${kind}`;
}

export function windowTimerId(
  d: Deployment,
  stageIndex: number,
  run: number,
  opensAt: string,
): string {
  return `${stageRunKey(d.id, stageIndex, run)}/window/${opensAt}`;
}

export function cancelCommandId(targetCommandId: string): string {
  return `${targetCommandId}/cancel`;
}

export function rollbackId(pipelineId: string, seq: number): string {
  return `${pipelineId}/rollback/${seq}`;
}

export function rollbackStepId(rollbackId: string, index: number): string {
  return `${rollbackId}/s${index}`;
}

export function pollCommandId(pipelineId: string, stage: string, seq: number): string {
  return `${pipelineId}/poll/${stage}/${seq}`;
}

export function blockerId(stage: string, seq: number): string {
  return `${stage}/b${seq}`;
}
