/** Everything that can happen to a pipeline: the inputs `decide` turns into state, commands and events. */
import type { JsonValue } from '../ports/engine-store.js';
import type { DeploymentPlan, JsonObject } from '../model/deployment-plan.js';
import type { AlarmState } from '../model/statuses.js';
import type { Operation } from './operations.js';
import type { StageRunRef, StepRef, Timer } from './timers.js';

/** A request to deploy one commit through the pipeline. */
export interface DeploymentRequest {
  commitSha: string;
  /** What started it: `push`, `release`, `api`, … */
  trigger: string;
  actor: string;
  plan: DeploymentPlan;
  reason?: string;
  branch?: string;
  /** An idempotency key: a second request with the same key returns the first deployment. */
  requestId?: string;
}

/** How one call of a step ended. */
export type StepOutcome =
  | { kind: 'succeeded'; outputs: JsonObject }
  | { kind: 'failed'; message: string; code?: string }
  /** The step needs a person's approval (a Terraform plan); it is called again once approved. */
  | { kind: 'approval-required'; message?: string }
  /** The step is not done; call it again after `afterMs` with `pollingState`. */
  | { kind: 'poll-again'; afterMs: number; pollingState?: JsonValue };

/** One alarm's state as read from CloudWatch. */
export interface AlarmReading {
  alarm: string;
  state: AlarmState;
  /** When the alarm entered `state` (`StateUpdatedTimestamp`), ISO. */
  changedAt: string;
}

/** An alarm state change pushed from outside (EventBridge), named by account and region. */
export interface AlarmObservation extends AlarmReading {
  accountId: string;
  region: string;
}

/** How a build ended: the copy's fields, or why not (the builder's message with its last log lines). */
export type BuildOutcome =
  | {
      kind: 'succeeded';
      fields: Record<string, string>;
      /** Set when an earlier build was reused. */
      reusedFrom?: { revision: number; commitSha: string };
    }
  | { kind: 'failed'; message: string };

export type EngineInput =
  | { type: 'deployment-requested'; request: DeploymentRequest }
  | {
      type: 'artifact-built';
      commandId: string;
      deploymentId: string;
      /** Index in `plan.artifacts`. */
      index: number;
      outcome: BuildOutcome;
    }
  | { type: 'step-finished'; commandId: string; ref: StepRef; outcome: StepOutcome }
  | {
      type: 'rollback-step-finished';
      commandId: string;
      rollbackId: string;
      outcome: { kind: 'succeeded'; outputs: JsonObject } | { kind: 'failed'; message: string };
    }
  | {
      type: 'artifacts-mirrored';
      commandId: string;
      ref: StageRunRef;
      outcome:
        | {
            kind: 'succeeded';
            artifacts: Record<string, Record<string, string>>;
            /** Per `per_stage` artifact id built here: how the build went. @default none built */
            builds?: Record<string, { reusedFrom?: { revision: number; commitSha: string } }>;
          }
        | { kind: 'failed'; message: string };
    }
  | {
      type: 'resources-checked';
      commandId: string;
      ref: StageRunRef;
      /** Empty when the stage is ready. */
      problems: string[];
      alarms: AlarmReading[];
    }
  | { type: 'timer-fired'; commandId: string; timer: Timer }
  | {
      type: 'alarms-polled';
      commandId: string;
      stage: string;
      readings: AlarmReading[];
      /** Set when the alarms could not be read; the next poll is scheduled all the same. */
      error?: string;
    }
  | { type: 'alarm-observed'; observation: AlarmObservation }
  | { type: 'operation'; operation: Operation }
  /** A command that reports nothing back (cancel-step) is done. */
  | { type: 'command-done'; commandId: string };

export type EngineInputType = EngineInput['type'];
