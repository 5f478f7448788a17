/**
 * After every input: move everything forward that can move (step DAGs, rollbacks, stage gates)
 * until nothing changes. Handlers only record what happened; consequences happen here, in one
 * fixed order, so a decision is the same however the input reached it.
 */
import { RampartError } from '@rampart/core';
import { advanceBuilds } from './artifact-builds.js';
import type { DecisionContext } from './decision-context.js';
import { advanceRollback } from './rollback.js';
import { advanceTrack } from './stage-gate.js';
import { advanceSteps } from './step-dag.js';

/** A decision that has not settled after this many passes has a bug, not a big pipeline. */
const MAX_PASSES = 10_000;

export function reconcile(ctx: DecisionContext): void {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let changed = false;
    for (const d of ctx.state.deployments) {
      if (d.status === 'building' && advanceBuilds(ctx, d)) changed = true;
      if (d.status === 'running' && advanceSteps(ctx, d, d.currentStage)) changed = true;
    }
    for (const rb of ctx.state.rollbacks) if (advanceRollback(ctx, rb)) changed = true;
    for (const track of Object.values(ctx.state.tracks))
      if (advanceTrack(ctx, track)) changed = true;
    if (!changed) return;
  }
  throw new RampartError(
    'INTERNAL',
    `pipeline ${ctx.state.pipelineId}: a decision did not settle`,
    {
      source: 'system',
    },
  );
}
