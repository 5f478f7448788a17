// What services share beyond request handling: a periodic tick on the sandbox clock, internal
// events (alarm state changes → EventBridge), and metric sources (ECS and Lambda emit the
// metrics the health model dictates; CloudWatch reads them).
import type { Clock } from '../clock.js';
import type { SandboxRuntime } from './runtime.js';

/** What a service's background hooks receive. */
export interface BackgroundContext {
  readonly runtime: SandboxRuntime;
  readonly clock: Clock;
  /** Every account id, in creation order. */
  accountIds(): string[];
  /**
   * A service's state in one account and region, or `undefined` when nothing was ever stored
   * there (hooks never create state).
   */
  peekState<T>(service: string, accountId: string, region: string): T | undefined;
  /** The regions a service holds state in, in one account. */
  regionsOf(service: string, accountId: string): string[];
}

/**
 * An event raised inside the sandbox, shaped like an EventBridge event on an account's default
 * bus (`source`, `detail-type`, `detail`, `resources`).
 */
export interface SandboxEvent {
  accountId: string;
  region: string;
  source: string;
  detailType: string;
  /** ISO time on the sandbox clock. */
  time: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** A metric query: one metric with exactly these dimensions, samples in `[start, end)`. */
export interface MetricQuery {
  accountId: string;
  region: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  start: Date;
  end: Date;
}

/** One raw sample; CloudWatch aggregates samples into statistics per period. */
export interface MetricSample {
  timestamp: Date;
  value: number;
  /** @default 'None' */
  unit?: string;
}

/** A metric a source can produce (for `ListMetrics`). */
export interface MetricIdentity {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

/** Background hooks of a service; all optional. */
export interface ServiceHooks {
  /**
   * Runs on every sandbox tick (periodic, and on `control.tick()`), after the clock moved:
   * evaluate alarms, deliver due retries. Ticks never overlap. Errors are caught and counted.
   */
  onTick?: (ctx: BackgroundContext) => Promise<void> | void;
  /** Receives every event published with `runtime.publishEvent`. */
  onEvent?: (ctx: BackgroundContext, event: SandboxEvent) => Promise<void> | void;
  /** Samples this service emits for a metric (ECS and Lambda under the health model). */
  metricSamples?: (ctx: BackgroundContext, query: MetricQuery) => MetricSample[];
  /** The metrics this service currently emits in an account and region. */
  listMetrics?: (ctx: BackgroundContext, accountId: string, region: string) => MetricIdentity[];
}
