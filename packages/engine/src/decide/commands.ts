/**
 * What the engine asks the runtime to do. Each command's id is deterministic and is its
 * idempotency key: the outbox ignores an id it already holds, so a replayed decision never
 * duplicates work.
 */
import { RampartError } from '@rampart/core';
import type { EngineCommand, JsonValue, NewEngineCommand } from '../ports/engine-store.js';
import type { ArtifactBuildSpec, JsonObject, StageArtifactCopy } from '../model/deployment-plan.js';
import type { StageTarget } from '../model/pipeline-state.js';
import type { StageRunRef, StepRef, Timer } from './timers.js';

/** Who approved a step that asked for approval; passed back to it on the next call. */
export type ApprovalGrant = { actor: string; reason: string; at: string };

/** Run one call of a step through its registered executor. */
export type ExecuteStepCommand = {
  type: 'execute-step';
  id: string;
  dueAt?: string;
  payload: {
    target: StageTarget;
    ref: StepRef;
    revision: number;
    commitSha: string;
    step: { name: string; key: string; type: string };
    /** The effect journal's key: the same for every call of this step attempt. */
    journalKey: string;
    /** 1 for the first call; continuations (approval, poll again) add one. */
    call: number;
    /** Markers of upstream outputs and mirrored artifacts filled in. */
    params: JsonObject;
    vars: JsonObject;
    approval?: ApprovalGrant;
    pollingState?: JsonValue;
  };
};

/** Restore one step of a stage to an earlier revision. */
export type RollbackStepCommand = {
  type: 'rollback-step';
  id: string;
  dueAt?: string;
  payload: {
    target: StageTarget;
    rollbackId: string;
    stepIndex: number;
    step: { name: string; type: string };
    toDeploymentId: string;
    toRevision: number;
    journalKey: string;
    /** The restored revision's params for the step; absent when it did not have the step. */
    targetParams?: JsonObject;
    targetOutputs?: JsonObject;
    failedOutputs?: JsonObject;
  };
};

/** The last successful build of an artifact, as a build command carries it (`rebuild_when_changed`). */
export type PreviousBuildRef = {
  deploymentId: string;
  revision: number;
  commitSha: string;
  fields: Record<string, string>;
};

/** Build one built-once artifact of a deployment into the CI/CD account. */
export type BuildArtifactCommand = {
  type: 'build-artifact';
  id: string;
  dueAt?: string;
  payload: {
    pipelineId: string;
    pipelineSlug: string;
    deploymentId: string;
    revision: number;
    commitSha: string;
    /** Index in `plan.artifacts`. */
    index: number;
    artifact: ArtifactBuildSpec;
    /** For `rebuild_when_changed`: the last successful build of the same spec. */
    previous?: PreviousBuildRef;
  };
};

/**
 * Copy the stage's artifacts from the CI/CD account into the stage's account and region, and
 * build its `per_stage` artifacts (the copies with a `build`) straight into it.
 */
export type MirrorArtifactsCommand = {
  type: 'mirror-artifacts';
  id: string;
  dueAt?: string;
  payload: {
    target: StageTarget;
    ref: StageRunRef;
    revision: number;
    commitSha: string;
    artifacts: StageArtifactCopy[];
    /** The CI/CD copies' fields per artifact id (what each mirrored copy comes from). */
    sources?: Record<string, Record<string, string>>;
    /** Per `per_stage` artifact id: its last successful build in this stage. */
    previous?: Record<string, PreviousBuildRef>;
  };
};

/** Check the stage is ready (roles, repositories, buckets) and read its alarms once more. */
export type CheckResourcesCommand = {
  type: 'check-resources';
  id: string;
  dueAt?: string;
  payload: { target: StageTarget; ref: StageRunRef; revision: number; alarms: string[] };
};

/** Wake the engine at `dueAt`. */
export type SetTimerCommand = {
  type: 'set-timer';
  id: string;
  dueAt: string;
  payload: { timer: Timer };
};

/** Read a watched stage's alarms at `dueAt` (the periodic poll). */
export type PollAlarmsCommand = {
  type: 'poll-alarms';
  id: string;
  dueAt: string;
  payload: { target: StageTarget; seq: number; alarms: string[] };
};

/** Stop a step command that is running (cancel, timeout, rollback). */
export type CancelStepCommand = {
  type: 'cancel-step';
  id: string;
  dueAt?: string;
  payload: { targetCommandId: string; reason: string };
};

export type EngineCommandSpec =
  | BuildArtifactCommand
  | ExecuteStepCommand
  | RollbackStepCommand
  | MirrorArtifactsCommand
  | CheckResourcesCommand
  | SetTimerCommand
  | PollAlarmsCommand
  | CancelStepCommand;

export type EngineCommandType = EngineCommandSpec['type'];

export const ENGINE_COMMAND_TYPES: readonly EngineCommandType[] = [
  'build-artifact',
  'execute-step',
  'rollback-step',
  'mirror-artifacts',
  'check-resources',
  'set-timer',
  'poll-alarms',
  'cancel-step',
];

/** The outbox row of a command. */
export function toStoredCommand(command: EngineCommandSpec): NewEngineCommand {
  const stored: NewEngineCommand = {
    id: command.id,
    type: command.type,
    payload: command.payload as unknown as JsonValue,
  };
  if (command.dueAt !== undefined) stored.dueAt = command.dueAt;
  return stored;
}

/**
 * The typed command of an outbox row. Payloads are the engine's own writes, so only the type is
 * checked.
 *
 * @throws RampartError `INTERNAL` for a type this engine does not know (a newer engine wrote it).
 */
export function fromStoredCommand(stored: EngineCommand): EngineCommandSpec {
  if (!(ENGINE_COMMAND_TYPES as readonly string[]).includes(stored.type)) {
    throw new RampartError(
      'INTERNAL',
      `command ${stored.id} has type "${stored.type}", which this engine does not know`,
      { source: 'system', hint: 'Run the same Rampart version on every control-plane node.' },
    );
  }
  return {
    type: stored.type,
    id: stored.id,
    dueAt: stored.dueAt,
    payload: stored.payload,
  } as unknown as EngineCommandSpec;
}
