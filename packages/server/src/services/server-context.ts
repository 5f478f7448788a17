/** What the API's services work with: the store, the engine runtime and the server's own parts. */
import type { ControlPlaneConfig, Diagnostic, PipelineModel } from '@rampart/core';
import type { Clock, DeploymentPlan, EngineRuntime } from '@rampart/engine';
import type { RampartStore } from '@rampart/store';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { ChangeFeed } from '../runtime/change-feed.js';
import type { KeyedQueue } from '../runtime/keyed-queue.js';
import type { PipelineModels } from '../runtime/pipeline-models.js';
import type { SecretsService } from '../secrets/secrets-service.js';
import type { StoredStepLogSink } from '../runtime/stored-step-log-sink.js';
import type { ServerNotice } from '../server-notice.js';

export interface ServerContext {
  config: ControlPlaneConfig;
  store: RampartStore;
  runtime: EngineRuntime;
  /** The engine's clock (deployment times, window checks of plans). */
  clock: Clock;
  /** Where revisions are checked out (`<data_dir>/work`). */
  workDir: string;
  /** Woken when engine events are committed. */
  events: ChangeFeed;
  /** Woken when step log lines are stored. */
  logs: ChangeFeed;
  logSink: StoredStepLogSink;
  metrics: ServerMetrics;
  /** Pipeline models for the credential broker; synthesis keeps the newest. */
  models: PipelineModels;
  /** Secrets: set, listed and deleted through the API, read by the engine before a step. */
  secrets: SecretsService;
  /** Serializes deployment requests per pipeline (the revision number a plan sees stays right). */
  synthesis: KeyedQueue;
  /** Checks a synthesized plan against what this server runs (custom step params). @default none */
  checkPlan?: (model: PipelineModel, plan: DeploymentPlan) => Diagnostic[];
  /** Whether the engine runtime is running (readiness). */
  runtimeRunning(): boolean;
  /** Aborts when the server stops: streams end. */
  shutdown: AbortSignal;
  /** Keeps a background task (a pushed alarm being applied) for `stop()` to wait for. */
  background(task: Promise<unknown>): void;
  notify(notice: ServerNotice): void;
}
