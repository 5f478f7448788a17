// The live sandbox: its state, clock, services, faults and log, shared by every request.
import type { Clock } from '../clock.js';
import { FaultInjector } from '../control/faults.js';
import { RequestLog } from '../control/request-log.js';
import type { SandboxState } from '../state/sandbox-state.js';
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
  private readonly delays: Record<string, number>;

  constructor(options: RuntimeOptions) {
    this.state = options.state;
    this.clock = options.clock;
    this.services = new Map(options.services.map((service) => [service.name, service]));
    this.delays = options.delays ?? {};
    this.fetch = options.fetch ?? globalThis.fetch;
    this.dataDir = options.dataDir;
    this.secureTransport = options.secureTransport ?? true;
  }

  /** A named emulated delay in milliseconds (0 when unset). */
  delayMs(name: string): number {
    return this.delays[name] ?? 0;
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
}
