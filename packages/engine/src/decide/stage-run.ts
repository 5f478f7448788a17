/** A stage run from its start: check resources (and alarms), mirror artifacts, then the steps. */
import type { Deployment } from '../model/pipeline-state.js';
import type { PreviousBuildRef } from './commands.js';
import { preMirrorFields, previousBuild } from './artifact-builds.js';
import type { DecisionContext } from './decision-context.js';
import { checkCommandId, mirrorCommandId } from './ids.js';
import { stageTarget, trackOf } from './lookup.js';
import { failStage } from './stage-end.js';

/** Enters the stage: the revision now holds it. */
export function startStage(ctx: DecisionContext, d: Deployment, stageIndex: number): void {
  const plan = d.plan.stages[stageIndex];
  const exec = d.stages[stageIndex];
  if (plan === undefined || exec === undefined) return;
  exec.run += 1;
  exec.status = 'checking_resources';
  exec.startedAt = ctx.now;
  for (const key of ['waitingFor', 'windowOpensAt', 'finishedAt', 'error', 'rollbackId'] as const)
    delete exec[key];
  delete exec.artifacts;
  delete exec.mirrorCommandId;
  exec.steps = plan.steps.map((step, index) => ({
    name: step.name,
    index,
    type: step.type,
    status: step.skipped ? 'skipped' : 'pending',
    attempt: exec.run,
    calls: 0,
  }));
  const target = stageTarget(ctx.state, d, plan);
  const track = trackOf(ctx.state, plan.name);
  track.occupant = { deploymentId: d.id };
  track.target = target;
  track.alarms = [...plan.alarms];
  exec.checkCommandId = checkCommandId(d, stageIndex, exec.run);
  ctx.command({
    type: 'check-resources',
    id: exec.checkCommandId,
    payload: {
      target,
      ref: { deploymentId: d.id, stageIndex, run: exec.run },
      revision: d.revision,
      alarms: [...plan.alarms],
    },
  });
  ctx.touch(d);
  ctx.emit({
    type: 'stage.started',
    deploymentId: d.id,
    stage: plan.name,
    data: { revision: d.revision, run: exec.run },
  });
  for (const step of exec.steps) {
    if (step.status === 'skipped') {
      ctx.emit({
        type: 'step.skipped',
        deploymentId: d.id,
        stage: plan.name,
        step: step.name,
        data: { attempt: step.attempt },
      });
    }
  }
}

/** Resources are checked (alarms already applied): fail, or go on to mirroring. */
export function afterResourcesChecked(
  ctx: DecisionContext,
  d: Deployment,
  stageIndex: number,
  problems: readonly string[],
): void {
  const plan = d.plan.stages[stageIndex];
  const exec = d.stages[stageIndex];
  if (plan === undefined || exec === undefined || exec.status !== 'checking_resources') return;
  if (problems.length > 0) {
    failStage(ctx, d, stageIndex, `resource check failed: ${problems.join('; ')}`);
    return;
  }
  if (plan.artifacts.length === 0) {
    startSteps(ctx, d, stageIndex);
    return;
  }
  exec.status = 'mirroring';
  exec.mirrorCommandId = mirrorCommandId(d, stageIndex, exec.run);
  const built = preMirrorFields(d);
  const sources: Record<string, Record<string, string>> = {};
  const previous: Record<string, PreviousBuildRef> = {};
  for (const copy of plan.artifacts) {
    const fields = built[copy.id];
    if (copy.build === undefined && fields !== undefined) sources[copy.id] = { ...fields };
    const last =
      copy.build === undefined
        ? undefined
        : previousBuild(ctx.state, `${plan.name}/${copy.id}`, copy.build);
    if (last !== undefined) previous[copy.id] = last;
  }
  ctx.command({
    type: 'mirror-artifacts',
    id: exec.mirrorCommandId,
    payload: {
      target: stageTarget(ctx.state, d, plan),
      ref: { deploymentId: d.id, stageIndex, run: exec.run },
      revision: d.revision,
      commitSha: d.commitSha,
      artifacts: structuredClone(plan.artifacts),
      ...(Object.keys(sources).length === 0 ? {} : { sources }),
      ...(Object.keys(previous).length === 0 ? {} : { previous }),
    },
  });
  ctx.touch(d);
  ctx.emit({
    type: 'stage.mirroring',
    deploymentId: d.id,
    stage: plan.name,
    data: { run: exec.run },
  });
}

/** Artifacts are in the stage account: run the steps. */
export function afterMirror(
  ctx: DecisionContext,
  d: Deployment,
  stageIndex: number,
  artifacts: Record<string, Record<string, string>>,
): void {
  const exec = d.stages[stageIndex];
  if (exec === undefined || exec.status !== 'mirroring') return;
  exec.artifacts = artifacts;
  startSteps(ctx, d, stageIndex);
}

function startSteps(ctx: DecisionContext, d: Deployment, stageIndex: number): void {
  const plan = d.plan.stages[stageIndex];
  const exec = d.stages[stageIndex];
  if (plan === undefined || exec === undefined) return;
  exec.status = 'running_steps';
  ctx.touch(d);
  ctx.emit({
    type: 'stage.running_steps',
    deploymentId: d.id,
    stage: plan.name,
    data: { run: exec.run },
  });
  // The steps themselves start on the reconcile pass that follows.
}
