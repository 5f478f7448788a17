/**
 * Builds (or imports) one artifact of a revision, as a port: `RAMPART:DOCKER:BUILD`,
 * `RAMPART:BUNDLE:BUILD`, `RAMPART:DOCKER:IMPORT`, `RAMPART:BUNDLE:IMPORT`. Artifacts that are built once go into the CI/CD account before
 * the first stage starts; `per_stage` artifacts are built during each stage's mirroring phase,
 * straight into that stage's copy.
 */
import type { ArtifactBuildSpec } from '../model/deployment-plan.js';
import type { StageTarget } from '../model/pipeline-state.js';

// The plan carries these; they are part of the port's vocabulary too.
export type { ArtifactBuildSpec, ArtifactDestination } from '../model/deployment-plan.js';

/** The last successful build of the same artifact (and, for `per_stage`, the same stage). */
export interface PreviousBuild {
  deploymentId: string;
  revision: number;
  commitSha: string;
  fields: Record<string, string>;
}

export interface BuildRequest {
  pipelineId: string;
  pipelineSlug: string;
  deploymentId: string;
  revision: number;
  commitSha: string;
  artifact: ArtifactBuildSpec;
  /** Set for `per_stage` artifacts: the stage it is built for (built with that stage's role). */
  stage?: StageTarget;
  /** For `rebuild_when_changed`. @default none: build */
  previous?: PreviousBuild;
  /** Streams a build log line (stored and served like step logs). */
  log(text: string, stream?: 'stdout' | 'stderr' | 'info'): void;
  /** Aborts when the deployment is cancelled or the runtime stops. */
  signal: AbortSignal;
}

export interface BuildResult {
  /**
   * What `pipeline.pre_mirror_artifacts[...]` (or, for `per_stage`, `stage.artifacts[...]`)
   * reads: `image_url` (pinned by digest), `image_tag`, `image_digest`, or `s3_url`, `s3_bucket`,
   * `s3_key`, `sha256`.
   */
  fields: Record<string, string>;
  /** Set when the previous build was reused because no `rebuild_when_changed` path changed. */
  reusedFrom?: { revision: number; commitSha: string };
}

export interface ArtifactBuilder {
  /**
   * Builds and stores one artifact. Idempotent per (deployment, artifact, stage): a re-run after a
   * crash may rebuild, but stores under the same names. Throws on failure; the error message
   * carries the build's last log lines.
   */
  build(request: BuildRequest): Promise<BuildResult>;
}

/** Refuses every build: for control planes (and tests) without a builder. */
export const noArtifactBuilder: ArtifactBuilder = {
  build: (request) =>
    Promise.reject(
      new Error(
        `artifact "${request.artifact.name}" (${request.artifact.type}) cannot be built: this control plane has no artifact builder`,
      ),
    ),
};
