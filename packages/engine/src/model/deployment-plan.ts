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
}
