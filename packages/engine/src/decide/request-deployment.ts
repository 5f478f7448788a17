/** A new revision: number it, freeze its plan, queue it before the first stage. */
import type { Deployment } from '../model/pipeline-state.js';
import { hasBuildPhase, startBuilds } from './artifact-builds.js';
import type { DecisionContext } from './decision-context.js';
import { deploymentId } from './ids.js';
import type { DeploymentRequest } from './inputs.js';
import { enqueueAtStage } from './stage-queue.js';
import { planProblem } from './validate-plan.js';

export type DeploymentRequestResult =
  | {
      ok: true;
      deploymentId: string;
      revision: number;
      /** False when `requestId` matched an earlier request. */ created: boolean;
    }
  | { ok: false; code: 'INVALID_PLAN'; message: string };

export function requestDeployment(
  ctx: DecisionContext,
  request: DeploymentRequest,
): DeploymentRequestResult {
  if (request.requestId !== undefined) {
    const earlier = ctx.state.deployments.find((d) => d.requestId === request.requestId);
    if (earlier !== undefined)
      return { ok: true, deploymentId: earlier.id, revision: earlier.revision, created: false };
  }
  const problem = planProblem(request.plan, new Date(ctx.nowMs));
  if (problem !== undefined) return { ok: false, code: 'INVALID_PLAN', message: problem };
  const revision = ctx.state.nextRevision;
  ctx.state.nextRevision += 1;
  const d: Deployment = {
    id: deploymentId(ctx.state.pipelineId, revision),
    revision,
    commitSha: request.commitSha,
    trigger: request.trigger,
    actor: request.actor,
    plan: structuredClone(request.plan),
    status: 'running',
    currentStage: 0,
    stages: request.plan.stages.map((s) => ({
      name: s.name,
      status: 'waiting',
      waitingFor: 'previous_stage',
      run: 0,
      steps: [],
    })),
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  if (request.reason !== undefined) d.reason = request.reason;
  if (request.branch !== undefined) d.branch = request.branch;
  if (request.requestId !== undefined) d.requestId = request.requestId;
  ctx.state.deployments.push(d);
  ctx.touch(d);
  ctx.emit({
    type: 'deployment.created',
    deploymentId: d.id,
    actor: d.actor,
    ...(d.reason === undefined ? {} : { reason: d.reason }),
    data: {
      revision,
      commitSha: d.commitSha,
      trigger: d.trigger,
      stages: d.plan.stages.map((s) => s.name),
      ...(d.branch === undefined ? {} : { branch: d.branch }),
    },
  });
  // Built-once artifacts come first; the first stage is queued once they are all built.
  if (hasBuildPhase(d)) startBuilds(ctx, d);
  else enqueueAtStage(ctx, d, 0);
  return { ok: true, deploymentId: d.id, revision, created: true };
}
