/** Copies a revision's artifacts into a stage's account and region, as a port. */
import type { StageArtifactCopy } from '../model/deployment-plan.js';
import type { StageTarget } from '../model/pipeline-state.js';

export interface MirrorRequest {
  target: StageTarget;
  deploymentId: string;
  revision: number;
  commitSha: string;
  artifacts: readonly StageArtifactCopy[];
  /**
   * The CI/CD copies' fields per artifact id, as the build returned them (`image_digest`,
   * `image_url`, `s3_key`, `sha256`, …): what each copy with a `source` is mirrored from.
   * @default none (no built-once artifacts)
   */
  sources?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Streams a line of the mirroring log (what was copied, what was already there), stored and
   * served like step logs.
   * @default lines are dropped
   */
  log?(text: string): void;
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
