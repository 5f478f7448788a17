// Shared parts of the engine benchmarks: a no-op step type, the store on SQLite (temp dir) or
// PostgreSQL (a fresh schema in RAMPART_BENCH_DATABASE_URL), a store wrapper that times every call
// and logs every commit, plans of no-op steps, and figure formatting.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { presetWindow } from '@rampart/core';
import {
  defineStepExecutor,
  EngineRuntime,
  rollbackMode,
  StepExecutorRegistry,
} from '@rampart/engine';
import { openStore } from '@rampart/store';
import pg from 'pg';
// The server's own system clock (timers over `new Date()`), taken from its built file so the
// benchmark does not load the whole server (AWS SDK clients, Hono) into the measured process.
import { systemClock } from '../../packages/server/dist/runtime/system-clock.js';

export { systemClock };

/** The step type of the benchmarks: it succeeds at once, touching nothing. */
export const NOOP_TYPE = 'CUSTOM:NOOP';

export const noopExecutor = defineStepExecutor({
  type: NOOP_TYPE,
  paramsSchema: { safeParse: (input) => ({ success: true, data: input }) },
  iamActions: () => [],
  execute: () => Promise.resolve({ kind: 'succeeded', outputs: {} }),
});

const noAlarms = { readAlarms: () => Promise.resolve([]) };
const fixedCredentials = {
  credentialsFor: () => Promise.resolve({ accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' }),
};

/** Which databases to run on: SQLite always, PostgreSQL when RAMPART_BENCH_DATABASE_URL is set. */
export function benchDatabases() {
  const url = process.env.RAMPART_BENCH_DATABASE_URL;
  return url ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** `baseUrl` with `search_path` set to `schema` (the store's documented way to use a schema). */
function urlWithSearchPath(baseUrl, schema) {
  const url = new URL(baseUrl);
  url.searchParams.delete('options');
  const rest = url.search === '' ? '' : `${url.search.slice(1)}&`;
  url.search = `?${rest}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return url.toString();
}

async function withPgClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh store: SQLite in a temp directory (the server's defaults: WAL, synchronous FULL), or
 * a new schema in the PostgreSQL database of RAMPART_BENCH_DATABASE_URL. `close` removes it.
 */
export async function openBenchStore(kind, options = {}) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-engine-'));
    const store = await openStore({ dataDir: dir, clock: systemClock, ...options });
    return {
      store,
      label: `SQLite (synchronous ${options.sqliteSynchronous ?? 'full'}, WAL)`,
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.RAMPART_BENCH_DATABASE_URL;
  if (!base) throw new Error('RAMPART_BENCH_DATABASE_URL is not set');
  const schema = `rampart_bench_${randomBytes(4).toString('hex')}`;
  await withPgClient(base, (c) => c.query(`CREATE SCHEMA ${schema}`));
  const store = await openStore({
    dataDir: tmpdir(),
    databaseUrl: urlWithSearchPath(base, schema),
    clock: systemClock,
    ...options,
  });
  const settings = await withPgClient(base, async (c) => {
    const rows = await c.query(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'server_version')",
    );
    return Object.fromEntries(rows.rows.map((r) => [r.name, r.setting]));
  });
  return {
    store,
    label: `PostgreSQL ${settings.server_version} (fsync ${settings.fsync}, synchronous_commit ${settings.synchronous_commit}, pool ${options.poolSize ?? 10})`,
    close: async () => {
      await store.close();
      await withPgClient(base, (c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    },
  };
}

/**
 * Wraps an EngineStore: every call's time is added up per method, and every commit is logged
 * with the time it returned and the events it wrote (the runtime tells listeners in the same
 * tick, so this is when a transition became durable).
 */
export function timedStore(inner) {
  const calls = new Map();
  const commits = [];
  const timed = (name, fn) =>
    async function (...args) {
      const t0 = performance.now();
      try {
        return await fn.apply(inner, args);
      } finally {
        const entry = calls.get(name) ?? { count: 0, ms: 0 };
        entry.count += 1;
        entry.ms += performance.now() - t0;
        calls.set(name, entry);
      }
    };
  const store = {};
  for (const name of [
    'loadPipeline',
    'listPipelineIds',
    'claimCommands',
    'renewLeases',
    'releaseCommand',
    'listEvents',
    'listDeployments',
    'getDeployment',
    'getEffects',
    'putEffect',
    'close',
  ]) {
    store[name] = timed(name, inner[name]);
  }
  const commit = timed('commit', inner.commit);
  store.commit = async (c) => {
    const result = await commit(c);
    commits.push({ t: performance.now(), pipelineId: c.pipelineId, events: c.events });
    return result;
  };
  return { store, calls, commits };
}

/** A runtime over `store` on the system clock, running the no-op step type. */
export function benchRuntime(store, options = {}) {
  const executors = new StepExecutorRegistry();
  executors.register(noopExecutor);
  return new EngineRuntime({
    store,
    clock: systemClock,
    workerId: `bench/${process.pid}`,
    executors,
    alarms: noAlarms,
    credentials: fixedCredentials,
    ...options,
  });
}

/** A plan of `stages` stages, each a chain of `steps` no-op steps, always open, no alarms. */
export function noopPlan(slug, stages, steps) {
  const window = presetWindow('NONE');
  return {
    pipelineSlug: slug,
    stages: Array.from({ length: stages }, (_, s) => ({
      name: `stage-${s + 1}`,
      accountId: String(200000000000 + s),
      region: 'us-east-1',
      role: `rampart-${slug}-stage-${s + 1}`,
      window,
      alarms: [],
      vars: {},
      steps: Array.from({ length: steps }, (_, k) => ({
        name: `step-${k + 1}`,
        key: `step-${k + 1}`,
        type: NOOP_TYPE,
        dependsOn: k === 0 ? [] : [`step-${k}`],
        level: k,
        skipped: false,
        params: {},
        rollback: rollbackMode(NOOP_TYPE),
      })),
      artifacts: [],
    })),
  };
}

/** Status events: one per status change of a deployment, a stage or a step. */
const STATUS_EVENT = /^(deployment|stage|step)\./;

/** How many status changes (transitions) `events` record. */
export function countTransitions(events) {
  return events.filter((e) => STATUS_EVENT.test(e.type)).length;
}

/** The value at percentile `p` of ascending `sorted` (nearest rank). */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((sorted.length * p) / 100) - 1))];
}

export function ascending(values) {
  return [...values].sort((a, b) => a - b);
}

export const ms = (value) => `${value.toFixed(1)} ms`;

/** The 1-minute load average, printed beside figures taken on a shared machine. */
export const load = () => `load ${loadavg()[0].toFixed(2)}`;

/** Time spent in each store method, largest first, as `name n× total`. */
export function storeBreakdown(calls, wallMs) {
  return [...calls.entries()]
    .filter(([, c]) => c.count > 0)
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(
      ([name, c]) =>
        `${name} ${c.count}× ${(c.ms / c.count).toFixed(2)} ms (${((100 * c.ms) / wallMs).toFixed(0)} %)`,
    )
    .join(', ');
}
