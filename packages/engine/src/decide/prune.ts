/**
 * Keeps the state document small: finished deployments no stage refers to are dropped beyond the
 * newest few (their summary rows and events stay in the store), and so are old rollback records.
 */
import type { PipelineState } from '../model/pipeline-state.js';
import { isTerminalDeploymentStatus } from '../model/statuses.js';
import type { EngineConfig } from './engine-config.js';

export function prune(state: PipelineState, config: EngineConfig): void {
  const referenced = new Set<string>();
  for (const track of Object.values(state.tracks)) {
    track.queued.forEach((id) => referenced.add(id));
    track.goodHistory.forEach((g) => referenced.add(g.deploymentId));
    if (track.lastGood !== undefined) referenced.add(track.lastGood.deploymentId);
    if (track.occupant !== undefined && 'deploymentId' in track.occupant)
      referenced.add(track.occupant.deploymentId);
  }
  for (const rb of state.rollbacks) {
    if (rb.status !== 'running') continue;
    referenced.add(rb.toDeploymentId);
    if (rb.fromDeploymentId !== undefined) referenced.add(rb.fromDeploymentId);
  }
  const finished = state.deployments.filter(
    (d) => isTerminalDeploymentStatus(d.status) && !referenced.has(d.id),
  );
  const drop = new Set(
    finished
      .slice(0, Math.max(0, finished.length - config.retainFinishedDeployments))
      .map((d) => d.id),
  );
  if (drop.size > 0) state.deployments = state.deployments.filter((d) => !drop.has(d.id));
  const done = state.rollbacks.filter((r) => r.status !== 'running');
  const extra = done.length - config.retainRollbacks;
  if (extra > 0) {
    const old = new Set(done.slice(0, extra).map((r) => r.id));
    state.rollbacks = state.rollbacks.filter((r) => !old.has(r.id));
  }
}
