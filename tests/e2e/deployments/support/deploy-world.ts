/**
 * Everything a deployment test runs against, built as an operator would: the sandbox (IAM
 * enforced), the workload in each stage account, a git repository with the pipelines, `rampart
 * bootstrap` for the real least-privilege stage roles, then a server and its HTTP API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AwsClientFactory,
  bootstrapSettingsFrom,
  loadPipelines,
  runBootstrap,
  type BootstrapEvent,
} from '@rampart/aws';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import type { ControlPlaneConfig } from '@rampart/core';
import { startServer, type RunningServer, type StartServerOptions } from '@rampart/server';
import { TestGitRepo } from '../../../../packages/server/src/test-support/git-repo.js';
import { ApiClient } from './api-client.js';
import { SkippableClock } from './skippable-clock.js';
import { createSuiteDatabase, type DatabaseKind, type SuiteDatabase } from './test-databases.js';
import { StageWorkloads, type WorkloadSpec } from './workload.js';

export const MANAGEMENT = '111111111111';
export const CICD = '222222222222';
export const STAGING = '444444444444';
export const PROD = '555555555555';

/** The organization every test pipeline belongs to. */
export const ORGANIZATION = {
  name: 'Acme',
  slug: 'acme',
  cicd_account_id: CICD,
  cicd_account_region: 'us-east-1',
} as const;

/** What a world is built from. */
export interface WorldOptions {
  database: DatabaseKind;
  /** Pipeline files by slug, committed as `.rampart/<slug>/pipeline.yaml`. */
  pipelines: Record<string, string>;
  /** Workloads to create before anything is deployed. */
  workloads: readonly WorkloadSpec[];
  /** Where the shared clock starts. @default the wall clock's time */
  clockStart?: string;
  /** The sandbox's ECS task start time. @default 10 */
  ecsTaskStartMs?: number;
}

/** A world without a server yet: sandbox, clock, workloads, repository, database. */
export class DeployWorld {
  private constructor(
    readonly dir: string,
    readonly sandbox: Sandbox,
    readonly clock: SkippableClock,
    readonly workloads: StageWorkloads,
    readonly repo: TestGitRepo,
    readonly database: SuiteDatabase,
    readonly slugs: readonly string[],
  ) {}

  /** Builds the world, or says why it cannot be built here (no PostgreSQL). */
  static async create(options: WorldOptions): Promise<DeployWorld | { skip: string }> {
    const database = await createSuiteDatabase(options.database);
    if ('skip' in database) return database;
    const dir = mkdtempSync(join(tmpdir(), `rampart-e2e-${options.database}-`));
    const clock = new SkippableClock(options.clockStart ?? new Date(Date.now()));
    // No background ticks: alarms change only when a test sets them, and tasks start a few ms
    // after their launch (ECS reads the sandbox clock lazily, so nothing else needs a tick).
    const sandbox = await startSandbox({
      clock,
      tickIntervalMs: 0,
      delays: { 'ecs.task-start': options.ecsTaskStartMs ?? 10 },
    });
    const workloads = new StageWorkloads(sandbox, clock);
    for (const workload of options.workloads) await workloads.create(workload);
    const repo = new TestGitRepo(join(dir, 'repo'), dir);
    repo.commit(
      Object.fromEntries(
        Object.entries(options.pipelines).map(([slug, text]) => [
          `.rampart/${slug}/pipeline.yaml`,
          text,
        ]),
      ),
      'pipelines',
    );
    return new DeployWorld(
      dir,
      sandbox,
      clock,
      workloads,
      repo,
      database,
      Object.keys(options.pipelines),
    );
  }

  /** The control-plane configuration of a server of this world. */
  config(extra: Partial<ControlPlaneConfig> = {}): ControlPlaneConfig {
    return {
      organization: { ...ORGANIZATION },
      data_dir: join(this.dir, 'data'),
      ...(this.database.databaseUrl === undefined
        ? {}
        : { database_url: this.database.databaseUrl }),
      aws: { endpoint_url: this.sandbox.endpoint },
      ...extra,
    };
  }

  /** The management account's admin, as `rampart bootstrap` runs. */
  adminSdk(): AwsClientFactory {
    return new AwsClientFactory({
      endpointUrl: this.sandbox.endpoint,
      defaultCredentials: this.sandbox.credentialsFor(MANAGEMENT),
      clock: this.clock,
    });
  }

  /** Bootstraps every account for the pipelines, trusting the issuer at `issuerUrl`. */
  async bootstrap(issuerUrl: string): Promise<void> {
    const settings = bootstrapSettingsFrom(this.config({ issuer_url: issuerUrl }));
    const loaded = await loadPipelines(this.repo.dir, settings);
    if (loaded.errors.length > 0) throw new Error(JSON.stringify(loaded.errors, null, 1));
    const failures: BootstrapEvent[] = [];
    const outcome = await runBootstrap({
      settings,
      pipelines: loaded.pipelines,
      mode: 'deploy',
      sdk: this.adminSdk(),
      emit: (e) => {
        if (e.type === 'stack-failed' || e.type === 'account-unreachable') failures.push(e);
      },
      poller: { sleep: () => new Promise((resolve) => setImmediate(resolve)), intervalMs: 0 },
    });
    if (!outcome.ok) throw new Error(`bootstrap failed: ${JSON.stringify(failures)}`);
  }

  async destroy(): Promise<void> {
    await this.sandbox.stop();
    await this.database.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A server in this process on the world's clock, with its API client. */
export interface InProcessServer {
  server: RunningServer;
  api: ApiClient;
}

/**
 * Starts a server on the world's clock and database, bootstraps the accounts for its issuer and
 * registers the world's pipelines. Polls are short so a test sees alarms and rollouts quickly.
 */
export async function startWorldServer(
  world: DeployWorld,
  options: Partial<StartServerOptions> = {},
): Promise<InProcessServer> {
  const server = await startServer({
    config: world.config(),
    listen: '127.0.0.1:0',
    clock: world.clock,
    engineConfig: { alarmPollIntervalMs: 200 },
    runtime: { storePollIntervalMs: 200 },
    steps: { poller: { intervalMs: 50 }, killGraceMs: 1000 },
    ...options,
  });
  try {
    await world.bootstrap(server.issuer.issuerUrl);
    const api = new ApiClient(server.url, server.firstAdminToken?.secret ?? '');
    for (const slug of world.slugs) await api.register(slug, world.repo.dir);
    return { server, api };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
