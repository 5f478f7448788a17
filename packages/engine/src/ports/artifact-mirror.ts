/** Copies a revision's artifacts into a stage's account and region, as a port. */
import type { StageArtifactCopy } from '../model/deployment-plan.js';
import type { StageTarget } from '../model/pipeline-state.js';

export interface MirrorRequest {
  target: StageTarget;
  deploymentId: string;
  revision: number;
  commitSha: string;
  artifacts: readonly StageArtifactCopy[];
  /** Aborts when the stage run is cancelled or the runtime stops. */
  signal: AbortSignal;
}

export interface ArtifactMirror {
  /**
   * Copies each artifact (idempotent: a copy already there is kept) and returns, per artifact id,
   * the fields steps read as `${{ stage.artifacts[...].<field> }}` (`image_url`, `s3_key`, …).
   */
  mirror(request: MirrorRequest): Promise<Record<string, Record<string, string>>>;
}

/** Mirrors nothing and reports no fields. */
export const noArtifactMirror: ArtifactMirror = { mirror: () => Promise.resolve({}) };
