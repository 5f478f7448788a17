// Benchmark: many deployments at once on one node (issue 6). P pipelines × S stages × K no-op
// steps (default 100 × 5 × 3), every deployment requested at the same moment, one EngineRuntime
// (default concurrency, 32 commands at once) on the real store (SQLite in a temp dir; also
// PostgreSQL when RAMPART_BENCH_DATABASE_URL is set) and the system clock. Reports the wall time
// until every deployment succeeded, transitions per second (a transition is one status change
// of a deployment, stage or step: one event), the latency of each step's running → succeeded
// transition (commit to commit: waiting for a free slot, claim, run, load, decide, commit), the
// spacing of decisions within each pipeline, and the process's peak RSS.
// Build first (npx tsc -b), then:
//   npm run bench engine-fleet
//   node scripts/bench/engine-fleet.mjs [--pipelines P] [--stages S] [--steps K] [--concurrency C]
//     [--synchronous normal]
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ascending,
  benchDatabases,
  benchRuntime,
  countTransitions,
  load,
  ms,
  noopPlan,
  openBenchStore,
  percentile,
  storeBreakdown,
  timedStore,
} from './engine-bench-support.mjs';

const MiB = 1024 * 1024;

function summary(values) {
  const sorted = ascending(values);
  return `p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, max ${ms(sorted[sorted.length - 1])} (n = ${sorted.length})`;
}

/** Samples the RSS every 20 ms; `stop` returns the highest sample. */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

async function runOn(kind, { pipelines, stages, steps, concurrency, synchronous }) {
  const bench = await openBenchStore(
    kind,
    synchronous === undefined ? {} : { sqliteSynchronous: synchronous },
  );
  const timed = timedStore(bench.store.engine);
  const runtime = benchRuntime(timed.store, concurrency === undefined ? {} : { concurrency });
  const pending = new Set();
  let allDone;
  const done = new Promise((resolve) => (allDone = resolve));
  const failures = [];
  runtime.onEvent((event) => {
    if (!event.type.startsWith('deployment.') || event.type === 'deployment.created') return;
    if (event.type !== 'deployment.succeeded') failures.push(`${event.deploymentId} ${event.type}`);
    pending.delete(event.pipelineId);
    if (pending.size === 0) allDone();
  });
  runtime.start();
  try {
    // Warm-up on a pipeline of its own: JIT, prepared statements.
    pending.add('warm-up');
    const warm = await runtime.requestDeployment('warm-up', {
      commitSha: 'warm',
      trigger: 'api',
      actor: 'user:bench',
      plan: noopPlan('warm-up', 2, 2),
    });
    if (!warm.ok) throw new Error(warm.message);
    await done;
    await runtime.whenIdle();
    timed.calls.clear();
    timed.commits.length = 0;

    const slugs = Array.from({ length: pipelines }, (_, i) => `fleet-${i + 1}`);
    const plans = slugs.map((slug) => noopPlan(slug, stages, steps));
    for (const slug of slugs) pending.add(slug);
    const finished = new Promise((resolve) => (allDone = resolve));
    const rssBefore = process.memoryUsage.rss();
    const rss = rssSampler();
    const loadBefore = load();
    const cpuBefore = process.cpuUsage();
    const t0 = performance.now();
    const requested = await Promise.all(
      slugs.map((slug, i) =>
        runtime.requestDeployment(slug, {
          commitSha: `c0ffee${i}`,
          trigger: 'api',
          actor: 'user:bench',
          plan: plans[i],
        }),
      ),
    );
    const requestedMs = performance.now() - t0;
    const refused = requested.filter((r) => !r.ok);
    if (refused.length > 0) throw new Error(`refused: ${JSON.stringify(refused[0])}`);
    await finished;
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpuBefore);
    const peakRss = rss.stop();
    await runtime.whenIdle();
    if (failures.length > 0) throw new Error(`deployments that did not succeed: ${failures}`);

    let transitions = 0;
    const started = new Map();
    const stepLatencies = [];
    const lastCommit = new Map();
    const decisionGaps = [];
    for (const commit of timed.commits) {
      transitions += countTransitions(commit.events);
      const previous = lastCommit.get(commit.pipelineId);
      if (previous !== undefined) decisionGaps.push(commit.t - previous);
      lastCommit.set(commit.pipelineId, commit.t);
      for (const e of commit.events) {
        const key = `${e.deploymentId}/${e.stage}/${e.step}`;
        if (e.type === 'step.started') started.set(key, commit.t);
        if (e.type === 'step.succeeded') stepLatencies.push(commit.t - started.get(key));
      }
    }
    console.log(
      `${bench.label}: ${pipelines} pipelines × ${stages} stages × ${steps} no-op steps, all requested at once, one runtime (concurrency ${concurrency ?? 32}; ${loadBefore} before, ${load()} after):`,
    );
    console.log(
      `  wall time to all succeeded: ${(wallMs / 1000).toFixed(2)} s (the ${pipelines} requests committed after ${ms(requestedMs)}); CPU ${((cpu.user + cpu.system) / 1000 / 1000).toFixed(2)} s`,
    );
    console.log(
      `  transitions: ${transitions}, ${(transitions / (wallMs / 1000)).toFixed(0)}/s; ${timed.commits.length} commits, ${(timed.commits.length / (wallMs / 1000)).toFixed(0)}/s`,
    );
    console.log(`  step running → succeeded: ${summary(stepLatencies)}`);
    console.log(`  decision → next decision of the same pipeline: ${summary(decisionGaps)}`);
    console.log(
      `  RSS: ${(rssBefore / MiB).toFixed(0)} MiB before the requests, peak ${(peakRss / MiB).toFixed(0)} MiB (+${((peakRss - rssBefore) / MiB).toFixed(0)} MiB; sampled every 20 ms); process max RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    );
    console.log(
      `  store time (summed over concurrent calls): ${storeBreakdown(timed.calls, wallMs)}`,
    );
    return { kind, wallMs, transitions };
  } finally {
    await runtime.stop();
    await bench.close();
  }
}

export async function run({
  pipelines = 100,
  stages = 5,
  steps = 3,
  concurrency,
  synchronous,
} = {}) {
  const results = [];
  for (const kind of benchDatabases()) {
    results.push(await runOn(kind, { pipelines, stages, steps, concurrency, synchronous }));
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      pipelines: { type: 'string' },
      stages: { type: 'string' },
      steps: { type: 'string' },
      concurrency: { type: 'string' },
      synchronous: { type: 'string' },
    },
  });
  await run({
    ...(values.pipelines !== undefined ? { pipelines: Number(values.pipelines) } : {}),
    ...(values.stages !== undefined ? { stages: Number(values.stages) } : {}),
    ...(values.steps !== undefined ? { steps: Number(values.steps) } : {}),
    ...(values.concurrency !== undefined ? { concurrency: Number(values.concurrency) } : {}),
    ...(values.synchronous !== undefined ? { synchronous: values.synchronous } : {}),
  });
}
