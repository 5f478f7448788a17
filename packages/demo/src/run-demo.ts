/**
 * `rampart demo` as a library: starts the sandbox and the server on one fast demo clock,
 * bootstraps the sandbox's organization, creates the example's services, registers the bundled
 * example repository, deploys revision 1 through every stage, then revision 2 whose image the
 * sandbox serves 5xx errors for, and checks that prod-us rolled it back while prod-eu never ran it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { AwsClientFactory } from '@rampart/aws';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { isRampartError, RampartError, type ControlPlaneConfig } from '@rampart/core';
import { startServer, type RunningServer, type ServerNotice } from '@rampart/server';
import {
  bootstrapOrganization,
  createWorkloads,
  readServices,
  type DemoAdmin,
} from './demo-accounts.js';
import { readArtifactCopies } from './artifact-copies.js';
import { DemoApi } from './demo-api.js';
import { checkOutcome, type CheckInput, type DemoCheck } from './demo-checks.js';
import type { DemoEventBody, DemoListener } from './demo-events.js';
import { DEMO_ACCOUNTS, DEMO_ORGANIZATION, DEMO_PIPELINE } from './demo-settings.js';
import { DeploymentTracker } from './deployment-tracker.js';
import { ExampleRepository, type DemoCommit } from './example-repository.js';
import { ScaledClock } from './scaled-clock.js';
import { publishVendorImages, VENDOR_VERSIONS, type PublishedImage } from './vendor-registry.js';

/** Demo time per real time by default: one real second is one demo minute. */
export const DEFAULT_DEMO_SPEED = 60;
/** The fastest demo clock that stays reliable (a 10-minute OIDC token then lasts one real second). */
export const MAX_DEMO_SPEED = 600;
/** The server's default port, the one `rampart server` and the client commands use. */
export const DEFAULT_DEMO_PORT = 8080;
/** How long one deployment may take, in demo time, before the demo gives up. */
const DEPLOYMENT_LIMIT_MS = 4 * 60 * 60_000;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Demo milliseconds per real millisecond (1 to {@link MAX_DEMO_SPEED}). @default 60 */
  speed?: number;
  /** The server's port on 127.0.0.1; 0 picks a free one. @default 8080 */
  port?: number;
  /**
   * Stop the server and the sandbox and remove the working directory before returning (the
   * returned `stop` then does nothing). @default false: both keep running until `stop()`
   */
  exit?: boolean;
  /** Receives the demo's progress. @default ignored */
  onEvent?: DemoListener;
  /** Where the repository, the server's data and the config go. @default a new temporary directory, removed on stop */
  workDir?: string;
  /**
   * Aborting it stops the demo at any point (as `stop()` does); a scenario still running then
   * fails with whatever it was waiting for. @default never aborted
   */
  signal?: AbortSignal;
}

/** How the scenario went. */
export interface DemoOutcome {
  /** Every expected outcome happened. */
  ok: boolean;
  checks: DemoCheck[];
  /** Real milliseconds from the start to the checks. */
  elapsedMs: number;
  /** Demo minutes that passed meanwhile. */
  demoMinutes: number;
  speed: number;
}

/** A finished scenario, with the server and the sandbox still running unless `exit` was set. */
export interface DemoRun {
  outcome: DemoOutcome;
  /** The API (and OIDC issuer) URL. */
  serverUrl: string;
  /** An admin API token of the server. */
  adminToken: string;
  /** The sandbox's AWS endpoint. */
  sandboxEndpoint: string;
  /** Admin credentials of the sandbox's accounts (for the AWS CLI or SDKs). */
  sandboxAccounts: { id: string; name: string; accessKeyId: string; secretAccessKey: string }[];
  /** A control-plane config for the client commands (`RAMPART_CONFIG`). */
  configFile: string;
  /** The example repository the pipeline is registered from. */
  repositoryDir: string;
  /** The vendor images revision 1 and revision 2 import (revision 2's is the unhealthy one). */
  images: { v1: PublishedImage; v2: PublishedImage };
  workDir: string;
  /** The demo clock the server and the sandbox share (it keeps running at `speed`). */
  clock: ScaledClock;
  /** Stops the server and the sandbox and removes the working directory (when the demo made it). */
  stop(): Promise<void>;
}

/** Server notices worth showing: something went wrong inside. */
const NOTICES_SHOWN = new Set<ServerNotice['code']>([
  'runtime.command_failed',
  'runtime.command_abandoned',
  'runtime.store_failed',
  'runtime.lease_lost',
  'runtime.alarm_read_failed',
  'runtime.listener_failed',
  'server.request_failed',
  'server.log_lines_dropped',
]);

/** Runs the demo scenario; see the module comment. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoRun> {
  const speed = options.speed ?? DEFAULT_DEMO_SPEED;
  if (!(Number.isFinite(speed) && speed >= 1 && speed <= MAX_DEMO_SPEED)) {
    throw new RampartError('USAGE', `speed must be from 1 to ${MAX_DEMO_SPEED}, not ${speed}`, {
      source: 'user',
      hint: `Pick a speed such as ${DEFAULT_DEMO_SPEED} (one real second is one demo minute).`,
    });
  }
  const startedAt = Date.now();
  const clock = new ScaledClock(speed);
  const emit = (body: DemoEventBody): void =>
    options.onEvent?.({
      ...body,
      elapsedMs: Date.now() - startedAt,
      at: clock.now().toISOString(),
    });

  const ownsWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'rampart-demo-')));
  const cleanups: (() => Promise<void>)[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
      if (ownsWorkDir) await rm(workDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  options.signal?.addEventListener('abort', () => void stop(), { once: true });

  try {
    if (options.signal?.aborted === true) {
      throw new RampartError('DEMO_STALLED', 'the demo was stopped before it started', {
        source: 'user',
      });
    }
    const sandbox = await startSandbox({
      clock,
      // Alarms evaluate once per demo minute, on the first tick after it begins.
      tickIntervalMs: Math.max(20, Math.min(1000, Math.round(60_000 / speed / 5))),
    });
    cleanups.push(() => sandbox.stop());
    emit({
      type: 'sandbox-started',
      endpoint: sandbox.endpoint,
      accounts: sandbox.accounts.length,
    });

    const adminToken = `demo_${randomBytes(24).toString('base64url')}`;
    const config: ControlPlaneConfig = {
      organization: { ...DEMO_ORGANIZATION },
      data_dir: join(workDir, 'data'),
      aws: { endpoint_url: sandbox.endpoint },
      admin_token: adminToken,
    };
    const server = await startDemoServer(config, clock, options.port ?? DEFAULT_DEMO_PORT, emit);
    cleanups.push(() => server.stop());
    emit({ type: 'server-started', url: server.url });

    const home = join(workDir, 'home');
    await mkdir(home, { recursive: true });
    // The registry the example imports its image from: the sandbox's own, on its own port.
    const registry = new URL(sandbox.endpoint).host;
    const { repo, first } = await ExampleRepository.create(
      join(workDir, 'repository'),
      home,
      registry,
      { first: VENDOR_VERSIONS.v1, second: VENDOR_VERSIONS.v2 },
    );
    emit({ type: 'repository-created', dir: repo.dir, commit: first });

    const fullConfig: ControlPlaneConfig = {
      ...config,
      issuer_url: server.issuer.issuerUrl,
      listen: server.url.replace(/^http:\/\//, ''),
    };
    const configFile = join(workDir, 'rampart.config.yaml');
    await writeFile(configFile, configText(fullConfig), { mode: 0o600 });

    const admin: DemoAdmin = {
      sdk: new AwsClientFactory({
        endpointUrl: sandbox.endpoint,
        defaultCredentials: sandbox.credentialsFor(DEMO_ACCOUNTS.management),
        clock,
      }),
      poller: { sleep: (ms) => clock.sleep(ms), intervalMs: 2_000 },
      emit,
    };
    const stacks = await bootstrapOrganization(admin, fullConfig, repo.dir);
    emit({ type: 'bootstrap-done', stacks });
    // After bootstrap: the vendor repository's policy names the build role bootstrap created.
    const images = await publishVendorImages(admin, registry);
    await createWorkloads(admin);

    const api = new DemoApi(server.url, adminToken);
    await api.registerPipeline(DEMO_PIPELINE, repo.dir);
    emit({ type: 'pipeline-registered', slug: DEMO_PIPELINE });
    const tracker = new DeploymentTracker(api, DEMO_PIPELINE, emit);
    tracker.start();
    cleanups.push(() => tracker.stop());

    const release = async (commit: DemoCommit, reason: string): Promise<number> => {
      const started = await api.startDeployment(DEMO_PIPELINE, { sha: commit.sha, reason });
      const { revision, id } = started.deployment;
      emit({ type: 'release-requested', revision, commit });
      await tracker.waitForEnd(id, DEPLOYMENT_LIMIT_MS / speed);
      return revision;
    };

    const firstRevision = await release(first, 'rampart demo: web v1');
    const firstDetail = await api.deployment(DEMO_PIPELINE, firstRevision);
    let secondRevision: number | undefined;
    if (firstDetail.status === 'succeeded') {
      const second = await repo.commitSecondRevision();
      emit({ type: 'revision-committed', commit: second });
      // From now on every task running this digest answers with 5xx (the sandbox's health model),
      // whichever repository it was pulled from: mirrors keep the digest.
      sandbox.control.markUnhealthy({ imageDigest: images.v2.digest });
      emit({ type: 'image-marked-unhealthy', image: `${images.v2.url}@${images.v2.digest}` });
      secondRevision = await release(second, 'rampart demo: web v2 (unhealthy image)');
    }

    const input: CheckInput = {
      first: firstDetail,
      ...(secondRevision === undefined
        ? {}
        : { second: await api.deployment(DEMO_PIPELINE, secondRevision) }),
      events: await api.events(DEMO_PIPELINE),
      rollbacks: await api.rollbacks(DEMO_PIPELINE),
      services: await readServices(admin),
      copies: await readArtifactCopies(admin),
      images: { v1: images.v1.digest, v2: images.v2.digest },
    };
    const checks = checkOutcome(input);
    const outcome: DemoOutcome = {
      ok: checks.every((c) => c.ok),
      checks,
      elapsedMs: Date.now() - startedAt,
      demoMinutes: (clock.now().getTime() - startedAt) / 60_000,
      speed,
    };
    emit({ type: 'scenario-finished', ok: outcome.ok });

    const run: DemoRun = {
      outcome,
      serverUrl: server.url,
      adminToken,
      sandboxEndpoint: sandbox.endpoint,
      sandboxAccounts: sandboxAccounts(sandbox),
      configFile,
      repositoryDir: repo.dir,
      images,
      workDir,
      clock,
      stop,
    };
    if (options.exit === true) await stop();
    return run;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The server on the demo clock, with polls and step timers scaled to it. */
async function startDemoServer(
  config: ControlPlaneConfig,
  clock: ScaledClock,
  port: number,
  emit: (event: DemoEventBody) => void,
): Promise<RunningServer> {
  const { speed } = clock;
  const starting = startServer({
    config,
    clock,
    listen: `127.0.0.1:${port}`,
    // Alarms are evaluated once per demo minute: three looks per minute catch a change quickly.
    engineConfig: { alarmPollIntervalMs: 20_000 },
    runtime: {
      // Times on the engine clock: keep the store poll and leases at a few real seconds.
      storePollIntervalMs: 1_000 * speed,
      leaseMs: Math.max(60_000, 5_000 * speed),
    },
    steps: {
      msPerMinute: 60_000 / speed,
      poller: { sleep: (ms, signal) => clock.sleep(ms, signal), intervalMs: 5_000 },
      // Scripts find the node running the demo even when it is not on PATH.
      baseEnv: {
        PATH: [dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(delimiter),
        LANG: 'C.UTF-8',
      },
    },
    onNotice: (notice) => {
      if (!NOTICES_SHOWN.has(notice.code)) return;
      const { code, ...rest } = notice;
      emit({
        type: 'server-notice',
        code,
        message: Object.entries(rest)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(' '),
      });
    },
  });
  return starting.catch((error: unknown) => {
    if (!isRampartError(error) || error.code !== 'SERVER_LISTEN_FAILED') throw error;
    throw new RampartError('SERVER_LISTEN_FAILED', error.message, {
      source: 'user',
      hint: 'Stop what uses the port, or pass --port N (--port 0 picks a free one).',
      cause: error,
    });
  });
}

function sandboxAccounts(sandbox: Sandbox): DemoRun['sandboxAccounts'] {
  return sandbox.accounts.map((a) => ({
    id: a.id,
    name: a.name,
    accessKeyId: a.credentials.accessKeyId,
    secretAccessKey: a.credentials.secretAccessKey,
  }));
}

/** The control-plane config of the demo, for `RAMPART_CONFIG` (values quoted as YAML strings). */
function configText(config: ControlPlaneConfig): string {
  const q = (value: string | undefined): string => JSON.stringify(value ?? '');
  const org = config.organization ?? {};
  return [
    '# Written by `rampart demo`: its server, organization and sandbox. Removed when the demo stops.',
    'organization:',
    `  name: ${q(org.name)}`,
    `  slug: ${q(org.slug)}`,
    `  cicd_account_id: ${q(org.cicd_account_id)}`,
    `  cicd_account_region: ${q(org.cicd_account_region)}`,
    `issuer_url: ${q(config.issuer_url)}`,
    `listen: ${q(config.listen)}`,
    `data_dir: ${q(config.data_dir)}`,
    'aws:',
    `  endpoint_url: ${q(config.aws?.endpoint_url)}`,
    `admin_token: ${q(config.admin_token)}`,
    '',
  ].join('\n');
}
