/** The engine's events: the audit trail and what the CLI, the server and tests watch. Codes are stable. */
import type { JsonObject } from '../model/deployment-plan.js';

export const ENGINE_EVENT_CODES = [
  'deployment.created',
  'deployment.building',
  'deployment.resumed',
  'deployment.succeeded',
  'deployment.failed',
  'deployment.cancelled',
  'deployment.rolled_back',
  'deployment.superseded',
  'artifact.build_started',
  'artifact.built',
  'artifact.reused',
  'artifact.build_failed',
  'artifact.build_cancelled',
  'stage.waiting',
  'stage.started',
  'stage.mirroring',
  'stage.running_steps',
  'stage.baking',
  'stage.rolling_back',
  'stage.succeeded',
  'stage.failed',
  'stage.cancelled',
  'stage.rolled_back',
  'stage.superseded',
  'step.started',
  'step.waiting_for_approval',
  'step.succeeded',
  'step.failed',
  'step.skipped',
  'step.cancelled',
  'approval.required',
  'alarm.state_changed',
  'blocker.added',
  'blocker.removed',
  'rollback.started',
  'rollback.succeeded',
  'rollback.failed',
  'operation.approved',
  'operation.rejected',
  'operation.cancelled',
  'operation.retried',
  'operation.rolled_back',
  'operation.rolled_forward',
  'operation.stopped',
  'operation.resumed',
  'operation.window_overridden',
] as const;

export type EngineEventCode = (typeof ENGINE_EVENT_CODES)[number];

/** An event as `decide` produces it; the runtime stamps the time and the store its sequence number. */
export interface EngineEventSpec {
  type: EngineEventCode;
  deploymentId?: string;
  stage?: string;
  step?: string;
  /** @default 'system' */
  actor?: string;
  reason?: string;
  data?: JsonObject;
}
