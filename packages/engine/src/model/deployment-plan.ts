/**
 * The plan a deployment is created with, frozen: what each stage of this revision runs. It is
 * stored inside the deployment, so a later change to the pipeline file never alters a revision
 * that is already on its way.
 */
import type { RollbackMode, TimeWindow } from '@rampart/core';
import type { JsonValue } from '../ports/engine-store.js';

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

export interface DeploymentStepPlan {
  name: string;
  /** The key of `${{ steps.<key>.x }}` and of `[OUTPUT:<key>/x]` markers: the step id, else its name. */
  key: string;
  /** Canonical type (`RAMPART:ECS:DEPLOY`) or `CUSTOM:<NAME>`. */
  type: string;
  /** Names of the steps of this stage it waits for (skipped steps already bridged over). */
  dependsOn: string[];
  /** DAG level (0 runs first); absent when skipped. Orders rollbacks. */
  level?: number;
  skipped: boolean;
  /** Fails the step when it runs longer. */
  timeoutMinutes?: number;
  /** Params resolved at plan time; `[OUTPUT:…]` and `[ARTIFACT:…]` markers are filled in by the engine. */
  params: JsonObject;
  /** What a rollback of the stage does with this step. */
  rollback: RollbackMode;
}

/** Where a build puts its result: the CI/CD copy, or the stage's copy for `per_stage` artifacts. */
export interface ArtifactDestination {
  accountId: string;
  region: string;
  /** ECR repository (images). */
  repository?: string;
  /** S3 bucket (bundles). */
  bucket?: string;
}

/** One artifact build as the frozen plan carries it. */
export interface ArtifactBuildSpec {
  /** Display name (`stage.artifacts["<name>"]`). */
  name: string;
  id: string;
  /** Canonical type: `RAMPART:DOCKER:BUILD`, `RAMPART:DOCKER:IMPORT`, `RAMPART:BUNDLE:BUILD` or `RAMPART:BUNDLE:IMPORT`. */
  type: string;
  kind: 'image' | 'bundle';
  /** Params resolved at plan time (`envs` merged into `env`); secrets stay markers. */
  params: JsonObject;
  /** `linux/amd64` or `linux/arm64`. @default the builder's host platform */
  architecture?: string;
  /** Repository paths; the last successful build is reused when none changed. @default always build */
  rebuildWhenChanged?: string[];
  destination: ArtifactDestination;
}

/** One copy of an artifact a stage needs in its own account and region. */
export interface StageArtifactCopy {
  name: string;
  id: string;
  kind: 'image' | 'bundle';
  /** ECR repository (images) or S3 bucket (bundles) in the stage account. */
  repository?: string;
  bucket?: string;
  /** The CI/CD account copy it is mirrored from (absent for per-stage artifacts). */
  source?: { accountId: string; region: string; repository?: string; bucket?: string };
  /**
   * For `per_stage` artifacts: built in the stage's mirroring phase, with the stage's values,
   * straight into this copy. @default absent: mirrored from `source`
   */
  build?: ArtifactBuildSpec;
}

export interface DeploymentStagePlan {
  name: string;
  accountId: string;
  region: string;
  /** The stage's deployment role name (credentials are issued for it). */
  role: string;
  window: TimeWindow;
  /** Rollback alarms in the stage's account and region. */
  alarms: string[];
  vars: JsonObject;
  steps: DeploymentStepPlan[];
  artifacts: StageArtifactCopy[];
}

export interface DeploymentPlan {
  pipelineSlug: string;
  stages: DeploymentStagePlan[];
  /**
   * Artifacts built once, into the CI/CD account, before the first stage starts.
   * @default none (plans frozen before artifact builds existed have no such field)
   */
  artifacts?: ArtifactBuildSpec[];
}
