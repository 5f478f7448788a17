// The live sandbox: its state, clock, services, faults and log, shared by every request.
import type { Clock } from '../clock.js';
import { FaultInjector } from '../control/faults.js';
import { RequestLog } from '../control/request-log.js';
import type { SandboxState } from '../state/sandbox-state.js';
import type {
  BackgroundContext,
  MetricIdentity,
  MetricQuery,
  MetricSample,
  SandboxEvent,
} from './background.js';
import type { ServiceDefinition } from './service.js';

/** Options of a {@link SandboxRuntime}. */
export interface RuntimeOptions {
  state: SandboxState;
  clock: Clock;
  services: ServiceDefinition[];
  /** Named emulated delays in milliseconds (`cloudformation.resource`, …). @default {} */
  delays?: Record<string, number>;
  /** How the sandbox reaches other HTTP servers (OIDC discovery). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Where services keep large data (S3 objects on disk). */
  dataDir: string;
  /**
   * The value of `aws:SecureTransport`. The sandbox serves plain HTTP, but policies that deny
   * non-TLS requests (TLS-only bucket policies) must still behave as they do in AWS, where
   * every client uses HTTPS. @default true
   */
  secureTransport?: boolean;
}

/** The state and machinery every request shares. */
export class SandboxRuntime {
  /** The world. Replaced wholesale by restore/reset. */
  state: SandboxState;
  readonly clock: Clock;
  readonly services: ReadonlyMap<string, ServiceDefinition>;
  readonly faults = new FaultInjector();
  readonly log = new RequestLog();
  readonly fetch: typeof fetch;
  /** Where services keep large data (S3 objects on disk); not part of snapshots. */
  readonly dataDir: string;
  /** Caches that are not state (OIDC discovery documents); cleared on reset and restore. */
  readonly caches = new Map<string, unknown>();
  /** The value of `aws:SecureTransport` in every request context. */
  readonly secureTransport: boolean;
  /**
   * The sandbox's own base URL (`http://127.0.0.1:<port>`), known once it listens. Services that
   * hand out URLs (the registry's repository URIs) read it.
   * @default 'http://127.0.0.1:4566' until the server listens
   */
  endpoint = 'http://127.0.0.1:4566';
  /** Errors thrown by background hooks, most recent last (at most 50), for diagnosis. */
  readonly backgroundErrors: { hook: string; service: string; message: string }[] = [];
  private readonly delays: Record<string, number>;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;

  constructor(options: RuntimeOptions) {
    this.state = options.state;
    this.clock = options.clock;
    this.services = new Map(options.services.map((service) => [service.name, service]));
    this.delays = options.delays ?? {};
    this.fetch = options.fetch ?? globalThis.fetch;
    this.dataDir = options.dataDir;
    this.secureTransport = options.secureTransport ?? true;
  }

  /**
   * A named emulated delay in milliseconds: the configured value, else `fallback` (a service's
   * realistic default, e.g. Lambda's update time), else 0.
   */
  delayMs(name: string, fallback = 0): number {
    return this.delays[name] ?? fallback;
  }

  /** A service's state in one account and region (`global` for global services). */
  serviceState<T>(service: string, accountId: string, region: string, init: () => T): T {
    const account = this.state.accounts[accountId];
    if (!account) throw new Error(`unknown account ${accountId}`);
    const perService = (account.services[service] ??= {});
    if (perService[region] === undefined) perService[region] = init();
    return perService[region] as T;
  }

  /** State whose namespace spans accounts. */
  sharedState<T>(service: string, init: () => T): T {
    if (this.state.shared[service] === undefined) this.state.shared[service] = init();
    return this.state.shared[service] as T;
  }

  /** The context background hooks receive. */
  backgroundContext(): BackgroundContext {
    return {
      runtime: this,
      clock: this.clock,
      accountIds: () => Object.keys(this.state.accounts),
      peekState: <T>(service: string, accountId: string, region: string) =>
        this.state.accounts[accountId]?.services[service]?.[region] as T | undefined,
      regionsOf: (service, accountId) =>
        Object.keys(this.state.accounts[accountId]?.services[service] ?? {}),
    };
  }

  /**
   * Runs every service's `onTick` once, in registration order. Ticks never overlap: a tick
   * requested while one runs makes that one run again, and both callers wait for the end.
   */
  async tick(): Promise<void> {
    if (this.ticking) {
      this.tickAgain = true;
      return this.ticking;
    }
    this.ticking = (async () => {
      try {
        do {
          this.tickAgain = false;
          const ctx = this.backgroundContext();
          for (const service of this.services.values()) {
            const onTick = service.hooks?.onTick;
            if (!onTick) continue;
            try {
              await onTick(ctx);
            } catch (error: unknown) {
              this.recordBackgroundError('onTick', service.name, error);
            }
          }
        } while (this.tickAgain);
      } finally {
        this.ticking = undefined;
      }
    })();
    return this.ticking;
  }

  /**
   * Hands an internal event to every service's `onEvent` (EventBridge matches it against the
   * account's rules). Resolves once every listener returned; listeners that deliver over HTTP
   * must not make the publisher wait for the delivery.
   */
  async publishEvent(event: SandboxEvent): Promise<void> {
    const ctx = this.backgroundContext();
    for (const service of this.services.values()) {
      const onEvent = service.hooks?.onEvent;
      if (!onEvent) continue;
      try {
        await onEvent(ctx, event);
      } catch (error: unknown) {
        this.recordBackgroundError('onEvent', service.name, error);
      }
    }
  }

  /** The samples every metric source emits for a query, in time order. */
  metricSamples(query: MetricQuery): MetricSample[] {
    const ctx = this.backgroundContext();
    const samples: MetricSample[] = [];
    for (const service of this.services.values()) {
      const source = service.hooks?.metricSamples;
      if (source) samples.push(...source(ctx, query));
    }
    return samples.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  }

  /** The metrics every metric source emits in an account and region. */
  listEmittedMetrics(accountId: string, region: string): MetricIdentity[] {
    const ctx = this.backgroundContext();
    return [...this.services.values()].flatMap(
      (service) => service.hooks?.listMetrics?.(ctx, accountId, region) ?? [],
    );
  }

  private recordBackgroundError(hook: string, service: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.backgroundErrors.push({ hook, service, message });
    if (this.backgroundErrors.length > 50) this.backgroundErrors.shift();
  }
}
