/** The checked, normalized pipeline: what the planner and the engine work from. */
import type { DataPath, PositionIndex } from '../loader/position-index.js';
import type { PipelineFolder } from '../discovery/discover-pipelines.js';
import type { AdditionalPolicy } from '../schema/policy-schema.js';
import type { PipelineFile } from '../schema/pipeline-schema.js';
import type { TimeWindow } from '../windows/index.js';

export type ApprovalPolicy = 'ALWAYS' | 'NEVER' | 'DESTRUCTIVE_CHANGES_ONLY';

/** A deployment target: a stage, or an ephemeral environment (stage `ephemeral-<name>`). */
export interface StageModel {
  kind: 'stage' | 'ephemeral';
  name: string;
  /** Position in `stages:` (ephemeral environments follow the stages). */
  index: number;
  accountId: string;
  region: string;
  /** The effective window (stage, else stage_defaults, else NONE). */
  window: TimeWindow;
  /** Rollback alarms (stage, else stage_defaults). */
  alarms: string[];
  /** vars as written (stage_defaults merged key by key, the stage wins), expressions unresolved. */
  vars: Record<string, unknown>;
  /** Where each var came from, for positions. */
  varPaths: Record<string, DataPath>;
  /** Indexes of the steps this stage skips. */
  skipped: Set<number>;
  path: DataPath;
  /** Ephemeral environments only. */
  ephemeral?: {
    envName: string;
    slots: number;
    onRelease: 'deploy_main' | 'none';
  };
}

export type StepKind =
  { kind: 'builtin'; type: string } | { kind: 'custom'; name: string } | { kind: 'invalid' };

export interface StepModel {
  index: number;
  name: string;
  id: string | undefined;
  /** The name used for `steps.<key>` and in markers: the id when given, else the name. */
  key: string;
  /** As written (`DEVRAMPS:ECS:DEPLOY`). */
  rawType: string;
  type: StepKind;
  /** Indexes of the steps it waits for. */
  dependsOn: number[];
  timeoutMinutes: number | undefined;
  params: Record<string, unknown>;
  path: DataPath;
}

export interface ArtifactModel {
  name: string;
  id: string;
  rawType: string;
  /** Canonical type (`RAMPART:DOCKER:BUILD`), or undefined when unknown. */
  type: string | undefined;
  kind: 'image' | 'bundle' | undefined;
  perStage: boolean;
  params: Record<string, unknown>;
  envs: Record<string, unknown>;
  architecture: string | undefined;
  rebuildWhenChanged: string[];
  path: DataPath;
}

export interface PipelineModel {
  slug: string;
  folder: PipelineFolder;
  file: string;
  version: string;
  tracks: string;
  updatesRequireApproval: ApprovalPolicy;
  stages: StageModel[];
  ephemeral: StageModel[];
  steps: StepModel[];
  artifacts: ArtifactModel[];
  notifications: PipelineFile['pipeline']['notifications'];
  policies: AdditionalPolicy[];
  /** The definition the model was built from. */
  definition: PipelineFile;
  positions: PositionIndex;
}
