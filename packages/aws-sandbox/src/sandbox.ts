// startSandbox: builds the world, starts the server, returns the handle tests and the CLI use.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from './clock.js';
import { CONTROL_PREFIX, handleControl } from './control/control-http.js';
import {
  createControl,
  type SandboxAccount,
  type SandboxControl,
} from './control/sandbox-control.js';
import { dispatch, GLOBAL_REGION } from './framework/dispatcher.js';
import { SandboxRuntime } from './framework/runtime.js';
import { createSandboxServer } from './framework/server.js';
import type { ServiceDefinition } from './framework/service.js';
import { handleRegistry, isRegistryRequest } from './registry/handle-registry.js';
import { BUILTIN_SERVICES } from './services/builtin-services.js';
import {
  adminCredentials,
  createInitialState,
  DEFAULT_ACCOUNTS,
  type AccountSpec,
} from './state/accounts.js';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** The port; 0 picks a free one. @default 0 */
  port?: number;
  /** The address to listen on. @default '127.0.0.1' */
  host?: string;
  /** The accounts of the organization (exactly one `management`). @default DEFAULT_ACCOUNTS */
  accounts?: readonly AccountSpec[];
  /** The time source of every time check. @default the system clock */
  clock?: Clock;
  /** Named emulated delays in milliseconds, read by services. @default {} (no delays) */
  delays?: Record<string, number>;
  /** Where services keep large data (S3 objects). @default a fresh temporary directory, removed on stop */
  dataDir?: string;
  /** Extra services (tests of the framework, services under development). @default [] */
  extraServices?: readonly ServiceDefinition[];
  /** How the sandbox fetches OIDC discovery documents and JWKS. @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * The value of `aws:SecureTransport` in policy evaluation. The sandbox speaks plain HTTP, but
   * real clients reach AWS over TLS, so TLS-only policies would lock everyone out if this
   * followed the wire. Set `false` to test such a policy's Deny. @default true
   */
  secureTransport?: boolean;
  /**
   * How often, in wall-clock milliseconds, the sandbox runs its background work (alarm
   * evaluation, event delivery retries). 0 turns the timer off: tests on a `ManualClock` call
   * `control.tick()` after advancing it. @default 1000
   */
  tickIntervalMs?: number;
}

/** A running sandbox. */
export interface Sandbox {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** The default region (`us-east-1`). */
  region: string;
  accounts: SandboxAccount[];
  /** The admin user's access key of an account. */
  credentialsFor(accountId: string): { accessKeyId: string; secretAccessKey: string };
  control: SandboxControl;
  /** The directory services store large data in. */
  dataDir: string;
  /** Stops the server (and removes the data directory if the sandbox created it). */
  stop(): Promise<void>;
}

/** Starts a sandbox and resolves once it accepts connections. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? systemClock;
  const specs = options.accounts ?? DEFAULT_ACCOUNTS;
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'rampart-aws-sandbox-')));
  const runtime = new SandboxRuntime({
    state: createInitialState(specs, clock),
    clock,
    services: [...BUILTIN_SERVICES, ...(options.extraServices ?? [])],
    ...(options.delays ? { delays: options.delays } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.secureTransport !== undefined ? { secureTransport: options.secureTransport } : {}),
    dataDir,
  });
  const control = createControl(runtime, specs, clock);
  const server = createSandboxServer(
    (request) =>
      request.rawPath.startsWith(CONTROL_PREFIX)
        ? handleControl(control, request)
        : isRegistryRequest(request)
          ? handleRegistry(runtime, request)
          : dispatch(runtime, request),
    () => clock.now(),
  );
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  runtime.endpoint = `http://${urlHost}:${port}`;
  const tickIntervalMs = options.tickIntervalMs ?? 1000;
  const ticker =
    tickIntervalMs > 0 ? setInterval(() => void runtime.tick(), tickIntervalMs) : undefined;
  ticker?.unref();
  return {
    endpoint: runtime.endpoint,
    region: GLOBAL_REGION,
    accounts: control.accounts(),
    credentialsFor: (accountId) => adminCredentials(runtime.state, accountId),
    control,
    dataDir,
    async stop() {
      if (ticker) clearInterval(ticker);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
