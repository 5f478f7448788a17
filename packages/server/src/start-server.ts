/**
 * The composition root: listens, opens the signing keys and the store, wires the AWS adapters,
 * the step executors and the git checkouts into the engine runtime, and serves the API.
 */
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { createArtifactBuilder, createStageArtifactMirror } from '@rampart/artifacts';
import {
  AwsClientFactory,
  BrokerCredentialsProvider,
  CloudWatchAlarmReader,
  createCredentialBroker,
} from '@rampart/aws';
import { isRampartError, RampartError, type ControlPlaneConfig } from '@rampart/core';
import {
  EngineRuntime,
  resolveSecrets,
  StepExecutorRegistry,
  type AlarmReader,
  type ArtifactBuilder,
  type ArtifactMirror,
  type Clock,
  type CredentialsProvider,
  type EngineConfig,
  type EngineRuntimeOptions,
  type ResourceChecker,
  type StepExecutor,
} from '@rampart/engine';
import { dataDirOf, issuerFromConfig, type OidcIssuer } from '@rampart/identity';
import {
  builtinStepExecutors,
  loadCustomStepExecutors,
  plannedCustomStepDiagnostics,
  type BuiltinStepExecutorOptions,
} from '@rampart/steps';
import { openStore, type RampartStore } from '@rampart/store';
import type { Hono } from 'hono';
import { createApp } from './create-app.js';
import type { AppEnv } from './http/app-env.js';
import { DEFAULT_LISTEN, parseListenAddress, urlHost } from './listen-address.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { ChangeFeed } from './runtime/change-feed.js';
import { CheckoutWorkspaces } from './runtime/checkout-workspaces.js';
import { reclaimDeadWorkerLeases, serverWorkerId } from './runtime/dead-worker-leases.js';
import { KeyedQueue } from './runtime/keyed-queue.js';
import { PipelineModels } from './runtime/pipeline-models.js';
import { StoredStepLogSink } from './runtime/stored-step-log-sink.js';
import { engineClockOf, systemClock, type TimeSource } from './runtime/system-clock.js';
import type { ServerNotice } from './server-notice.js';
import { runningDeployments } from './services/pipeline-status-service.js';
import type { ServerContext } from './services/server-context.js';
import { ensureFirstAdminToken } from './services/tokens-service.js';
import { secretsFromConfig } from './secrets/secrets-from-config.js';
import { ServiceSecretResolver } from './secrets/service-secret-resolver.js';

/** Runtime settings a test or the demo may change (see `EngineRuntimeOptions`). */
export type RuntimeTuning = Partial<
  Pick<
    EngineRuntimeOptions,
    'leaseMs' | 'concurrency' | 'storePollIntervalMs' | 'maxCommitAttempts' | 'maxCommandAttempts'
  >
>;

/** Options of {@link startServer}. */
export interface StartServerOptions {
  config: ControlPlaneConfig;
  /**
   * Dates tokens, key rotations, events and deployments; drives the engine's bakes, windows and
   * polls when it can also wait (`waitUntil`). A clock that only tells the time is waited on
   * with real timers. @default the system clock
   */
  clock?: TimeSource & Partial<Pick<Clock, 'waitUntil'>>;
  /** `host:port` instead of `listen` from the config. @default config.listen ?? '127.0.0.1:8080' */
  listen?: string;
  /** Relative paths of the config are resolved against it. @default process.cwd() */
  baseDir?: string;
  /** Called when a master key is generated into `data_dir/master.key`. @default none */
  onMasterKeyGenerated?: (file: string) => void;
  /** Told about every request that failed inside the server. @default ignored */
  onError?: (error: unknown) => void;
  /** Everything the server reports about itself (the CLI renders it). @default ignored */
  onNotice?: (notice: ServerNotice) => void;
  /** Engine decision settings (alarm poll interval, retention). @default DEFAULT_ENGINE_CONFIG */
  engineConfig?: Partial<EngineConfig>;
  /** Engine runtime settings (leases, store polling). @default the runtime's defaults */
  runtime?: RuntimeTuning;
  /** Settings of the built-in step executors (`msPerMinute` shortens step timeouts). @default none */
  steps?: Partial<Omit<BuiltinStepExecutorOptions, 'sdk' | 'workspaces'>>;
  /** Step executors registered besides the built-in ones (custom step types). @default none */
  executors?: StepExecutor[];
  /** Engine ports used instead of the AWS adapters (tests). @default the AWS adapters */
  ports?: {
    credentials?: CredentialsProvider;
    alarms?: AlarmReader;
    mirror?: ArtifactMirror;
    /** Builds the plans' artifacts. @default none: a deployment with artifacts fails to build */
    builder?: ArtifactBuilder;
    resources?: ResourceChecker;
  };
  /** Milliseconds between keep-alive comments on idle event and log streams. @default 15000 */
  keepAliveMs?: number;
  /** Names this process in command leases. @default `<host>/<pid>/<random>` */
  workerId?: string;
}

/** A running server. */
export interface RunningServer {
  /** `http://<host>:<port>` with the port actually bound. */
  url: string;
  /** The issuer it serves; `issuer.issuerUrl` is `issuer_url`, or `url` when none is configured. */
  issuer: OidcIssuer;
  store: RampartStore;
  runtime: EngineRuntime;
  /**
   * The admin token this start created (an empty token table and no `admin_token`); also
   * reported once as the `server.admin_token_created` notice.
   */
  firstAdminToken?: { name: string; secret: string };
  /** Ends streams, stops the runtime (its commands go back to the outbox), closes everything. */
  stop(): Promise<void>;
}

const FINISHED_DEPLOYMENT_EVENTS = new Set([
  'deployment.succeeded',
  'deployment.failed',
  'deployment.cancelled',
  'deployment.rolled_back',
  'deployment.superseded',
]);

/**
 * Listens, opens the signing keys (creating the first key, and the master key, when there are
 * none), opens the store (`database_url`, else SQLite in `data_dir`), starts the engine runtime
 * and serves the issuer documents and the API. Without `issuer_url` the issuer is the server's
 * own address: enough for the sandbox, while AWS needs an https:// issuer.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const address = parseListenAddress(options.listen ?? config.listen ?? DEFAULT_LISTEN);
  const notify = (notice: ServerNotice): void => options.onNotice?.(notice);
  let app: Hono<AppEnv> | undefined;
  const server = createAdaptorServer({
    fetch: (request: Request) =>
      app === undefined ? new Response('starting', { status: 503 }) : app.fetch(request),
  });
  const closeHttp = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new RampartError(
          'SERVER_LISTEN_FAILED',
          `cannot listen on ${address.host ?? '*'}:${address.port} (${error.code ?? error.message})`,
          {
            hint: 'Stop the process using the port, or pick another with listen: or --listen HOST:PORT.',
            cause: error,
          },
        ),
      );
    });
    server.listen(address.port, address.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(address.host)}:${port}`;

  // Stopping: streams end, no new requests, then the runtime, then what it writes to.
  const shutdown = new AbortController();
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async (): Promise<void> => {
    shutdown.abort();
    await closeHttp();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const clock = engineClockOf(options.clock ?? systemClock);
    const baseDir = options.baseDir ?? process.cwd();
    const issuer = issuerFromConfig({
      config,
      issuerUrl: config.issuer_url ?? url,
      clock,
      baseDir,
      onMasterKeyGenerated: (file) => {
        options.onMasterKeyGenerated?.(file);
        notify({ code: 'server.master_key_generated', file });
      },
    });
    await issuer.keys.ensureActive();

    const dataDir = dataDirOf(config, baseDir);
    const workDir = join(dataDir, 'work');
    const store = await openStore({
      dataDir,
      clock,
      ...(config.database_url === undefined ? {} : { databaseUrl: config.database_url }),
    });
    cleanups.push(() => store.close());
    const firstAdminToken = await ensureFirstAdminToken(store, config.admin_token);
    if (firstAdminToken !== undefined) {
      notify({ code: 'server.admin_token_created', ...firstAdminToken });
    }

    const sdk = new AwsClientFactory({
      clock,
      ...(config.aws?.endpoint_url === undefined ? {} : { endpointUrl: config.aws.endpoint_url }),
    });
    const models = new PipelineModels({
      pipelines: store.pipelines,
      workDir,
      ...(config.organization === undefined ? {} : { organization: config.organization }),
    });
    // Deployments need the organization (synthesis refuses without it), so '' is never used.
    const cicdAccount = config.organization?.cicd_account_id;
    const cicdRegion = config.organization?.cicd_account_region;
    const broker = createCredentialBroker({
      org: config.organization?.slug ?? '',
      tokens: issuer,
      sdk,
      clock,
      ...(cicdAccount === undefined || cicdRegion === undefined
        ? {}
        : { cicd: { accountId: cicdAccount, region: cicdRegion } }),
    });
    const credentials =
      options.ports?.credentials ??
      new BrokerCredentialsProvider({ broker, pipelines: models.resolve });
    // Each stage mirrors the CI/CD copies with its own role's credentials.
    const mirror = options.ports?.mirror ?? createStageArtifactMirror({ credentials, sdk });
    const alarms = options.ports?.alarms ?? new CloudWatchAlarmReader({ sdk, credentials, clock });
    const workspaces = new CheckoutWorkspaces({
      pipelines: store.pipelines,
      workDir,
      pipelineOf: async (id) => (await store.engine.getDeployment(id))?.pipelineId,
    });
    cleanups.push(() => workspaces.releaseAll());
    const executors = new StepExecutorRegistry();
    for (const executor of builtinStepExecutors({
      // Terraform keeps plans waiting for approval here, and its state in the org's bucket.
      workDir: join(workDir, 'steps'),
      ...(config.organization === undefined ? {} : { organization: config.organization }),
      ...options.steps,
      sdk,
      workspaces: workspaces.get,
    })) {
      executors.register(executor);
    }
    for (const executor of options.executors ?? []) executors.register(executor);
    // Custom step types: each registry is built (git builds are cached by commit) before serving.
    if (config.step_registries !== undefined && config.step_registries.length > 0) {
      const endpointUrl = options.steps?.endpointUrl ?? config.aws?.endpoint_url;
      const custom = await loadCustomStepExecutors(config.step_registries, {
        cacheDir: join(dataDir, 'step-registries'),
        baseDir,
        ...(options.steps?.baseEnv === undefined ? {} : { baseEnv: options.steps.baseEnv }),
        ...(endpointUrl === undefined ? {} : { endpointUrl }),
        ...(options.steps?.killGraceMs === undefined
          ? {}
          : { killGraceMs: options.steps.killGraceMs }),
      });
      for (const executor of custom.executors) executors.register(executor);
    }

    const secrets = secretsFromConfig({ config, dataDir, baseDir, store: store.secrets, sdk });
    const secretResolver = new ServiceSecretResolver(secrets);
    const builder =
      options.ports?.builder ??
      createArtifactBuilder({
        workspaces: workspaces.get,
        // Checkouts are plain files: rebuild_when_changed diffs in the pipeline's repository.
        history: (request) =>
          workspaces.history({
            id: request.deploymentId,
            commitSha: request.commitSha,
            pipelineSlug: request.pipelineSlug,
          }),
        workDir: join(workDir, 'artifacts'),
        // Secrets in build params: resolved for the build only, like a step's.
        resolveSecrets: async (markers, request) => {
          const target = request.stage ?? {
            pipelineId: request.pipelineId,
            pipelineSlug: request.pipelineSlug,
            stage: '',
            accountId: '',
            region: '',
            role: '',
          };
          const resolved = await resolveSecrets(secretResolver, [...markers], {
            target,
            deploymentId: request.deploymentId,
          });
          return Object.fromEntries(markers.map((m, i) => [m, resolved.value[i] ?? m]));
        },
        sdk,
        clock,
        // Built once: the pipeline's build role in the CI/CD account; per_stage: the stage's role.
        credentials: async (request) => {
          if (request.stage !== undefined) {
            return credentials.credentialsFor(request.stage, request.deploymentId);
          }
          // The resolver reads only the pipeline of the target.
          const pipeline = await models.resolve({
            pipelineId: request.pipelineId,
            pipelineSlug: request.pipelineSlug,
            stage: '',
            accountId: '',
            region: '',
            role: '',
          });
          if (pipeline === undefined) {
            throw new RampartError(
              'AWS_CREDENTIALS_FAILED',
              `no registered pipeline "${request.pipelineSlug}" to issue build credentials for`,
              { source: 'system', hint: 'Register the pipeline again, or cancel its deployments.' },
            );
          }
          const issued = await broker.buildCredentialsFor({
            pipeline,
            deploymentId: request.deploymentId,
          });
          return { ...issued.credentials };
        },
      });

    const events = new ChangeFeed();
    const logs = new ChangeFeed();
    const logSink = new StoredStepLogSink({
      store: store.stepLogs,
      feed: logs,
      onError: (error, lines) =>
        notify({
          code: 'server.log_lines_dropped',
          lines,
          message: error instanceof Error ? error.message : String(error),
        }),
    });
    cleanups.push(() => logSink.flush());
    const runtime = new EngineRuntime({
      ...options.runtime,
      store: store.engine,
      clock,
      workerId: options.workerId ?? serverWorkerId(hostname(), process.pid),
      executors,
      alarms,
      credentials,
      logs: logSink,
      secrets: secretResolver,
      mirror,
      builder,
      ...(options.ports?.resources === undefined ? {} : { resources: options.ports.resources }),
      ...(options.engineConfig === undefined ? {} : { config: options.engineConfig }),
    });
    const backgroundTasks = new Set<Promise<unknown>>();
    let runtimeRunning = false;
    const metrics: ServerMetrics = new ServerMetrics({
      runningDeployments: () => runningDeployments({ runtime }),
    });
    runtime.onNotice(notify);
    runtime.onEvent((event) => {
      events.notify();
      metrics.observeEvent(event);
      if (FINISHED_DEPLOYMENT_EVENTS.has(event.type) && event.deploymentId !== undefined) {
        const id = event.deploymentId;
        backgroundTasks.add(
          workspaces.release(id).catch((error: unknown) =>
            notify({
              code: 'server.workspace_cleanup_failed',
              deploymentId: id,
              message: error instanceof Error ? error.message : String(error),
            }),
          ),
        );
      }
    });
    // An earlier server process of this host that was killed still holds leases: its commands
    // run again now instead of when the leases expire.
    const reclaimed = await reclaimDeadWorkerLeases({
      store: store.engine,
      host: hostname(),
      pid: process.pid,
      now: clock.now(),
    });
    for (const { owner, commands } of reclaimed) {
      notify({ code: 'server.leases_reclaimed', owner, commands });
    }
    runtime.start();
    runtimeRunning = true;
    cleanups.push(async () => {
      runtimeRunning = false;
      await runtime.stop();
      await Promise.allSettled([...backgroundTasks]);
    });

    const context: ServerContext = {
      config,
      store,
      runtime,
      clock,
      workDir,
      events,
      logs,
      logSink,
      metrics,
      models,
      secrets,
      synthesis: new KeyedQueue(),
      checkPlan: (model, plan) =>
        plannedCustomStepDiagnostics(
          model,
          plan,
          (type) => executors.get(type),
          () => executors.types(),
        ),
      runtimeRunning: () => runtimeRunning,
      shutdown: shutdown.signal,
      background: (task) => {
        backgroundTasks.add(task);
        void task.finally(() => backgroundTasks.delete(task));
      },
      notify,
    };
    app = createApp({
      issuer,
      api: context,
      ...(options.keepAliveMs === undefined
        ? {}
        : { apiOptions: { keepAliveMs: options.keepAliveMs } }),
      onError: (error, request) => {
        options.onError?.(error);
        notify({
          code: 'server.request_failed',
          method: request.method,
          path: request.path,
          errorCode: isRampartError(error) ? error.code : 'INTERNAL',
          message: error instanceof Error ? error.message : String(error),
        });
      },
    });
    notify({ code: 'server.started', url, issuerUrl: issuer.issuerUrl, store: store.location });

    let stopping: Promise<void> | undefined;
    return {
      url,
      issuer,
      store,
      runtime,
      ...(firstAdminToken === undefined ? {} : { firstAdminToken }),
      stop: () => {
        stopping ??= cleanUp().then(() => notify({ code: 'server.stopped' }));
        return stopping;
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
