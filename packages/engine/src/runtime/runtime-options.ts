/** What a runtime is built from: the store, the clock, the adapters, and its settings. */
import type { EngineConfig } from '../decide/engine-config.js';
import type { AlarmReader } from '../ports/alarm-reader.js';
import type { ArtifactBuilder } from '../ports/artifact-builder.js';
import type { ArtifactMirror } from '../ports/artifact-mirror.js';
import type { Clock } from '../ports/clock.js';
import type { CredentialsProvider } from '../ports/credentials-provider.js';
import type { EngineStore } from '../ports/engine-store.js';
import type { ResourceChecker } from '../ports/resource-checker.js';
import type { SecretResolver } from '../ports/secret-resolver.js';
import type { StepLogSink } from '../ports/step-log-sink.js';
import type { StepExecutorRegistry } from './step-executor-registry.js';

export interface EngineRuntimeOptions {
  store: EngineStore;
  clock: Clock;
  /** Names this process in leases; unique among the workers sharing a store (host + pid …). */
  workerId: string;
  executors: StepExecutorRegistry;
  alarms: AlarmReader;
  credentials: CredentialsProvider;
  /** @default mirrors nothing (`noArtifactMirror`) */
  mirror?: ArtifactMirror;
  /**
   * Builds the plan's artifacts (how many at once: `config.buildConcurrency`).
   * @default refuses every build (`noArtifactBuilder`): a plan with artifacts fails
   */
  builder?: ArtifactBuilder;
  /** @default checks nothing (`noResourceChecks`) */
  resources?: ResourceChecker;
  /** @default drops lines (`discardStepLogs`) */
  logs?: StepLogSink;
  /**
   * Resolves `[SECRET:X]` / `[STAGE_SECRET:X]` markers just before each step runs; what the step
   * logs or returns is redacted. @default none: a step referencing a secret fails
   */
  secrets?: SecretResolver;
  /** Decision settings (alarm poll interval, retention). @default DEFAULT_ENGINE_CONFIG */
  config?: Partial<EngineConfig>;
  /** How long a claimed command stays this worker's without renewal. @default 60000 */
  leaseMs?: number;
  /** Commands run at once. @default 32 */
  concurrency?: number;
  /** How often the outbox is checked for work other workers wrote. @default 1000 */
  storePollIntervalMs?: number;
  /** Decisions retried after store conflicts before the input is given up. @default 20 */
  maxCommitAttempts?: number;
  /** Claims of one command after which it is given up (its step fails). @default 10 */
  maxCommandAttempts?: number;
}

export interface ResolvedRuntimeSettings {
  leaseMs: number;
  concurrency: number;
  storePollIntervalMs: number;
  maxCommitAttempts: number;
  maxCommandAttempts: number;
}

export function runtimeSettings(options: EngineRuntimeOptions): ResolvedRuntimeSettings {
  return {
    leaseMs: options.leaseMs ?? 60_000,
    concurrency: options.concurrency ?? 32,
    storePollIntervalMs: options.storePollIntervalMs ?? 1_000,
    maxCommitAttempts: options.maxCommitAttempts ?? 20,
    maxCommandAttempts: options.maxCommandAttempts ?? 10,
  };
}
