/** Results of the commands that prepare a stage run: the resource check and the mirror. */
import type { DecisionContext } from './decision-context.js';
import { applyAlarmReading } from './alarm-watch.js';
import { recordBuild, reportBuilt } from './artifact-builds.js';
import type { AlarmReading } from './inputs.js';
import { findDeployment } from './lookup.js';
import { failStage } from './stage-end.js';
import { afterMirror, afterResourcesChecked } from './stage-run.js';
import type { StageRunRef } from './timers.js';

export function onResourcesChecked(
  ctx: DecisionContext,
  commandId: string,
  ref: StageRunRef,
  problems: readonly string[],
  alarms: readonly AlarmReading[],
): void {
  const d = findDeployment(ctx.state, ref.deploymentId);
  const exec = d?.stages[ref.stageIndex];
  if (d === undefined || exec === undefined || exec.checkCommandId !== commandId) return;
  if (exec.status !== 'checking_resources' || exec.run !== ref.run) return;
  // Alarms first: one in ALARM sends the revision back to waiting behind its blocker.
  for (const reading of alarms) applyAlarmReading(ctx, exec.name, reading);
  afterResourcesChecked(ctx, d, ref.stageIndex, problems);
}

export function onArtifactsMirrored(
  ctx: DecisionContext,
  commandId: string,
  ref: StageRunRef,
  outcome:
    | {
        kind: 'succeeded';
        artifacts: Record<string, Record<string, string>>;
        builds?: Record<string, { reusedFrom?: { revision: number; commitSha: string } }>;
      }
    | { kind: 'failed'; message: string },
): void {
  const d = findDeployment(ctx.state, ref.deploymentId);
  const exec = d?.stages[ref.stageIndex];
  const plan = d?.plan.stages[ref.stageIndex];
  if (d === undefined || exec === undefined || plan === undefined) return;
  if (exec.mirrorCommandId !== commandId) return;
  if (exec.status !== 'mirroring' || exec.run !== ref.run) return;
  if (outcome.kind === 'failed') {
    failStage(ctx, d, ref.stageIndex, `mirroring failed: ${outcome.message}`);
    return;
  }
  // per_stage artifacts built in this run: remembered per stage for rebuild_when_changed.
  for (const [id, build] of Object.entries(outcome.builds ?? {})) {
    const spec = plan.artifacts.find((a) => a.id === id)?.build;
    const fields = outcome.artifacts[id];
    if (spec === undefined || fields === undefined) continue;
    recordBuild(ctx, `${plan.name}/${id}`, d, spec, fields);
    reportBuilt(ctx, d, spec, fields, build.reusedFrom, plan.name);
  }
  afterMirror(ctx, d, ref.stageIndex, outcome.artifacts);
}
