/** What {@link createArtifactBuilder} needs from the control plane that runs it. */
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { S3Client } from '@aws-sdk/client-s3';
import type { BuildRequest, Clock, StageCredentials } from '@rampart/engine';

/** Where an SDK client talks to and as whom. */
export interface BuildClientTarget {
  region: string;
  credentials: StageCredentials;
}

/**
 * The AWS clients a build uses, made by the control plane's client factory (endpoint override,
 * clock): S3 for bundles, ECR for registry logins. `AwsClientFactory` of `@rampart/aws` has this
 * shape; this package constructs no client itself.
 */
export interface BuildClients {
  s3(target: BuildClientTarget): S3Client;
  ecr(target: BuildClientTarget): ECRClient;
}

/** Which deployment's files a build needs: the same request the step executors' workspaces get. */
export interface BuildWorkspaceRequest {
  id: string;
  commitSha: string;
  pipelineSlug?: string;
}

/**
 * How images are built: `buildah` (daemonless), `docker` (`docker buildx` against a Docker
 * engine), or `auto`: docker when `docker info` succeeds, else buildah.
 */
export type ImageBuilderChoice = 'auto' | 'buildah' | 'docker';

/** Options of `createArtifactBuilder`. */
export interface ArtifactBuilderOptions {
  /**
   * The clean checkout of the deployment's commit (the repository root), the same directory the
   * step executors get. Build commands and image builds run in it.
   */
  workspaces: (request: BuildWorkspaceRequest) => Promise<string>;
  /**
   * A git repository (working tree or bare) holding both the previous build's commit and this
   * one, for `rebuild_when_changed`. A checkout made with `git archive` has no history: pass the
   * pipeline's clone here. When it is not a git repository, the artifact is rebuilt and the log
   * says why.
   * @default the workspace
   */
  history?: (request: BuildRequest, workspace: string) => Promise<string>;
  /** Makes the S3 and ECR clients. */
  sdk: BuildClients;
  /**
   * Credentials that may write the destination: the CI/CD build role for artifacts built once,
   * the stage's role for `per_stage` ones (`request.stage` is set), and that may read an import's
   * source.
   */
  credentials: (request: BuildRequest) => Promise<StageCredentials>;
  /**
   * A directory of the builder's own (under the server's data dir): buildah's image storage
   * (`buildah/`) and the private files of running builds (`tmp/`: registry logins, digests).
   */
  workDir: string;
  /** @default 'auto' */
  imageBuilder?: ImageBuilderChoice;
  /** Waits between polls of an import's source (`timeout_minutes`). @default the system clock */
  clock?: Clock;
  /** Time between two looks at an import's source while it does not exist. @default 15000 */
  pollIntervalMs?: number;
  /**
   * Variables every build command gets before the artifact's `env` (and, for bundles, the
   * `RAMPART_*` variables). @default the server's PATH and LANG=C.UTF-8
   */
  baseEnv?: Record<string, string>;
  /**
   * Resolves the secret markers (`[SECRET:X]`, `[STAGE_SECRET:X]`) found in an artifact's params
   * to their values, keyed by marker. The values are put in place of the markers and hidden from
   * the build log. Without it, params holding a marker are refused (ARTIFACT_SECRETS_UNSUPPORTED).
   * @default none: markers are refused
   */
  resolveSecrets?: (
    markers: readonly string[],
    request: BuildRequest,
  ) => Promise<Readonly<Record<string, string>>>;
  /** Time between SIGTERM and SIGKILL when a build is aborted. @default 5000 */
  killGraceMs?: number;
}
