/**
 * The server's Prometheus metrics (`GET /metrics`), on a registry of its own so that several
 * servers in one process (tests, the demo) never share counters.
 */
import type { EngineEvent } from '@rampart/engine';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Step durations from milliseconds to an hour-long rollout. */
const STEP_BUCKETS = [0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600];
const HTTP_BUCKETS = [0.005, 0.025, 0.1, 0.5, 2.5, 10];

/** Deployment events and the status each one moves a deployment to. */
const DEPLOYMENT_STATUS_OF: Readonly<Record<string, string>> = {
  'deployment.created': 'running',
  'deployment.resumed': 'running',
  'deployment.succeeded': 'succeeded',
  'deployment.failed': 'failed',
  'deployment.cancelled': 'cancelled',
  'deployment.rolled_back': 'rolled_back',
  'deployment.superseded': 'superseded',
};

const STEP_END_STATUS: Readonly<Record<string, string>> = {
  'step.succeeded': 'succeeded',
  'step.failed': 'failed',
  'step.cancelled': 'cancelled',
};

/** Options of {@link ServerMetrics}. */
export interface ServerMetricsOptions {
  /** Counts running deployments per pipeline at scrape time. */
  runningDeployments: () => Promise<Record<string, number>>;
  /** Add Node's process metrics (CPU, memory, event loop lag). @default true */
  processMetrics?: boolean;
}

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly deployments: Counter<'pipeline' | 'status'>;
  private readonly transitions: Counter<'type'>;
  private readonly stepDuration: Histogram<'type' | 'status'>;
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route'>;
  /** Start time and type of each running step, to time it when its end event comes. */
  private readonly stepStarts = new Map<string, { at: number; type: string }>();

  constructor(options: ServerMetricsOptions) {
    const registers = [this.registry];
    this.deployments = new Counter({
      name: 'rampart_deployments_total',
      help: 'Deployments entering each status (running on creation and on a retry), per pipeline.',
      labelNames: ['pipeline', 'status'],
      registers,
    });
    new Gauge({
      name: 'rampart_deployments_running',
      help: 'Deployments running now, per pipeline.',
      labelNames: ['pipeline'],
      registers,
      async collect() {
        this.reset();
        for (const [pipeline, count] of Object.entries(await options.runningDeployments())) {
          this.set({ pipeline }, count);
        }
      },
    });
    this.transitions = new Counter({
      name: 'rampart_engine_transitions_total',
      help: 'Engine events committed, by type (deployment, stage and step transitions, operations, alarms).',
      labelNames: ['type'],
      registers,
    });
    this.stepDuration = new Histogram({
      name: 'rampart_step_duration_seconds',
      help: 'How long steps ran, by step type and how they ended.',
      labelNames: ['type', 'status'],
      buckets: STEP_BUCKETS,
      registers,
    });
    this.httpRequests = new Counter({
      name: 'rampart_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'rampart_http_request_duration_seconds',
      help: 'Time to answer HTTP requests (for streams: to start the stream).',
      labelNames: ['method', 'route'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: 'rampart_' });
    }
  }

  /** Counts an engine event (the runtime's `onEvent`). */
  observeEvent(event: EngineEvent): void {
    this.transitions.inc({ type: event.type });
    const status = DEPLOYMENT_STATUS_OF[event.type];
    if (status !== undefined) this.deployments.inc({ pipeline: event.pipelineId, status });
    const key = `${event.deploymentId ?? ''}\u0000${event.stage ?? ''}\u0000${event.step ?? ''}`;
    const at = Date.parse(event.at);
    if (event.type === 'step.started') {
      const data = event.data;
      const type =
        data !== null &&
        typeof data === 'object' &&
        !Array.isArray(data) &&
        typeof data.type === 'string'
          ? data.type
          : 'unknown';
      this.stepStarts.set(key, { at, type });
      return;
    }
    const ended = STEP_END_STATUS[event.type];
    const started = this.stepStarts.get(key);
    if (ended === undefined || started === undefined) return;
    this.stepStarts.delete(key);
    this.stepDuration.observe(
      { type: started.type, status: ended },
      Math.max(0, (at - started.at) / 1000),
    );
  }

  /** Counts an answered HTTP request; `route` is the matched pattern, never the raw path. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ text: string; contentType: string }> {
    return { text: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
