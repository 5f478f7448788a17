/** The plan of a pipeline: what each stage would do, with values resolved as far as known. */
import type { BuildPolicies, StagePolicies } from '../iam/index.js';

export interface WindowPlan {
  name: string;
  description: string;
  /** Present with `--at`. */
  open?: boolean;
  reason?: string;
  opensAt?: string;
  closesAt?: string;
}

export interface StepPlan {
  name: string;
  id?: string;
  /** Canonical type (`RAMPART:ECS:DEPLOY`) or `CUSTOM:<NAME>`. */
  type: string;
  /** DAG level in this stage (0 runs first); absent when skipped. */
  level?: number;
  /** Names of the steps it waits for in this stage. */
  dependsOn: string[];
  skipped: boolean;
  timeoutMinutes?: number;
  /** Params with expressions resolved; unknown values as markers. */
  params: Record<string, unknown>;
  /** Markers still in `params`: values known only later. */
  pending: string[];
  outputs: string[] | 'any';
  rollback: string;
}

export interface IamStatementPlan {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface ArtifactCopyPlan {
  name: string;
  id: string;
  kind: 'image' | 'bundle';
  perStage: boolean;
  accountId: string;
  region: string;
  /** ECR repository (images) or S3 bucket (bundles). */
  repository?: string;
  bucket?: string;
  /**
   * For `per_stage` artifacts: what this stage builds, its params and envs resolved with this
   * stage's values. @default absent (the copy is mirrored from the CI/CD copy)
   */
  build?: ArtifactBuildPlan;
}

/** An artifact's build inputs with the expressions of one place resolved. */
export interface ArtifactBuildPlan {
  params: Record<string, unknown>;
  /** `envs` of the artifact (the same as `params.env`). */
  envs: Record<string, unknown>;
  /** Markers still in `params` or `envs`: values known only later (secrets). */
  pending: string[];
}

export interface StagePlan {
  name: string;
  kind: 'stage' | 'ephemeral';
  accountId: string;
  region: string;
  window: WindowPlan;
  alarms: string[];
  /** The deployment role bootstrap creates for the stage. */
  role: string;
  vars: Record<string, unknown>;
  /** Step names grouped by DAG level. */
  levels: string[][];
  steps: StepPlan[];
  skipped: string[];
  artifacts: ArtifactCopyPlan[];
  /** IAM actions the stage's steps need, sorted, and the statements that grant them. */
  iam: { actions: string[]; statements: IamStatementPlan[] };
  /**
   * The stage role's trust policy and full policies, exactly as bootstrap creates them (the KMS key
   * ARN as a placeholder); absent when the organization slug, CI/CD account id or region is not set.
   */
  policies?: StagePolicies;
}

export interface ArtifactPlan {
  name: string;
  id: string;
  type: string;
  kind: 'image' | 'bundle';
  perStage: boolean;
  /** The CI/CD account copy (absent for per_stage artifacts). */
  cicd?: { accountId: string; region: string; repository?: string; bucket?: string };
  /** Resolved once for the pipeline; as written for per_stage artifacts (see each stage's copy). */
  params: Record<string, unknown>;
  /** `envs` of the artifact, resolved like `params`. @default absent when it has none */
  envs?: Record<string, unknown>;
  pending: string[];
  /** `linux/amd64` or `linux/arm64`. @default absent: the builder's platform */
  architecture?: string;
  /** Repository paths whose change forces a rebuild. @default absent: always build */
  rebuildWhenChanged?: string[];
}

export interface PipelinePlan {
  slug: string;
  file: string;
  tracks: string;
  updatesRequireApproval: string;
  organization: {
    name: string;
    slug: string;
    cicd_account_id: string;
    cicd_account_region: string;
  };
  /** When the windows were evaluated (`--at`). */
  at?: string;
  artifacts: ArtifactPlan[];
  stages: StagePlan[];
  /**
   * The build role in the CI/CD account, exactly as bootstrap creates it; absent when the pipeline
   * builds nothing there or the organization slug, CI/CD account id or region is not set.
   */
  build?: BuildPolicies;
}
