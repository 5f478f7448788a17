// Benchmark: the engine's orchestration overhead per step transition and per stage (issue 6
// target: under 20 ms per transition on SQLite). One EngineRuntime on the real store (SQLite in a
// temp dir; also PostgreSQL when RAMPART_BENCH_DATABASE_URL is set) and the system clock, one
// pipeline of N stages × M no-op steps (a step type that succeeds at once), deployed R times one
// after another after a warm-up deployment.
//
// What is counted. Every status change of a deployment, stage or step is a transition (one event
// each: a step goes pending → running → succeeded, two transitions). The engine commits
// transitions in decisions: in a chain, step k running → succeeded and step k+1 pending →
// running are one decision (one commit). So the figures are:
//   - step: from the commit that set the step running to the commit that set it succeeded (claim
//     the command, run the executor, load + parse the state, decide, commit). This is the latency
//     of each step's running → succeeded transition, and also the spacing of the chain's
//     pending → running transitions; it is the figure held against the 20 ms target;
//   - decision: the time between consecutive commits on the deployment's path (any kind);
//   - stage overhead: from the commit that enters a stage (together with the previous stage's
//     success) to the commit that sets its first step running (the resource check decision);
//   - per transition, amortized: deployment wall time / transitions it recorded.
// Build first (npx tsc -b), then:
//   npm run bench engine-transitions
//   node scripts/bench/engine-transitions.mjs [--stages N] [--steps M] [--runs R] [--synchronous normal]
import { performance } from 'node:perf_hooks';
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

const TARGET_MS = 20;
const PIPELINE = 'transitions';

/** Deploys `plan` and resolves with the deployment id once it succeeded and the runtime is idle. */
async function deployAndWait(runtime, plan, label) {
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  let id;
  const off = runtime.onEvent((event) => {
    if (event.deploymentId !== undefined && event.deploymentId === id) {
      if (event.type === 'deployment.succeeded') finish('succeeded');
      else if (event.type.startsWith('deployment.') && event.type !== 'deployment.created')
        finish(event.type);
    }
  });
  const t0 = performance.now();
  const result = await runtime.requestDeployment(PIPELINE, {
    commitSha: `c0ffee${label}`,
    trigger: 'api',
    actor: 'user:bench',
    plan,
  });
  if (!result.ok) throw new Error(`deployment refused: ${result.message}`);
  id = result.deploymentId;
  // The success may have been committed before `id` was known (never for these plans, but cheap).
  const status = (await runtime.getDeployment(id))?.status;
  if (status === 'succeeded') finish('succeeded');
  const outcome = await finished;
  const wallMs = performance.now() - t0;
  off();
  if (outcome !== 'succeeded') throw new Error(`deployment ${id} ended with ${outcome}`);
  await runtime.whenIdle();
  return { id, t0, wallMs };
}

/** Figures of one deployment from the commits logged while it ran. */
function analyse(commits, deploymentId) {
  const mine = commits.filter((c) => c.events.some((e) => e.deploymentId === deploymentId));
  const decisions = [];
  for (let i = 1; i < mine.length; i++) decisions.push(mine[i].t - mine[i - 1].t);
  const when = new Map();
  const stageEntered = new Map();
  const firstStepStarted = new Map();
  let transitions = 0;
  for (const commit of mine) {
    const events = commit.events.filter((e) => e.deploymentId === deploymentId);
    transitions += countTransitions(events);
    for (const e of events) {
      if (e.type === 'step.started' || e.type === 'step.succeeded') {
        when.set(`${e.type}/${e.stage}/${e.step}`, commit.t);
      }
      if (e.type === 'stage.waiting' || e.type === 'stage.started') {
        if (!stageEntered.has(e.stage)) stageEntered.set(e.stage, commit.t);
      }
      if (e.type === 'step.started' && !firstStepStarted.has(e.stage)) {
        firstStepStarted.set(e.stage, commit.t);
      }
    }
  }
  const steps = [];
  for (const [key, started] of when) {
    if (!key.startsWith('step.started/')) continue;
    const done = when.get(key.replace('step.started/', 'step.succeeded/'));
    if (done !== undefined) steps.push(done - started);
  }
  const stages = [];
  for (const [stage, entered] of stageEntered) {
    const first = firstStepStarted.get(stage);
    if (first !== undefined) stages.push(first - entered);
  }
  return { decisions, steps, stages, transitions, commits: mine.length };
}

function summary(values) {
  const sorted = ascending(values);
  return `median ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, max ${ms(sorted[sorted.length - 1])} (n = ${sorted.length})`;
}

async function runOn(kind, { stages, steps, runs, synchronous }) {
  const bench = await openBenchStore(
    kind,
    synchronous === undefined ? {} : { sqliteSynchronous: synchronous },
  );
  const timed = timedStore(bench.store.engine);
  const runtime = benchRuntime(timed.store);
  runtime.start();
  try {
    // Warm-up: JIT, prepared statements, the pipeline's first state document.
    await deployAndWait(runtime, noopPlan(PIPELINE, 2, 3), 'warm');
    timed.calls.clear();
    const loadBefore = load();
    const all = { decisions: [], steps: [], stages: [], transitions: 0, commits: 0, wallMs: 0 };
    const walls = [];
    for (let r = 0; r < runs; r++) {
      const { id, wallMs } = await deployAndWait(runtime, noopPlan(PIPELINE, stages, steps), r);
      const figures = analyse(timed.commits, id);
      all.decisions.push(...figures.decisions);
      all.steps.push(...figures.steps);
      all.stages.push(...figures.stages);
      all.transitions += figures.transitions;
      all.commits += figures.commits;
      all.wallMs += wallMs;
      walls.push(wallMs);
    }
    const stored = await bench.store.engine.loadPipeline(PIPELINE);
    const stateKiB = JSON.stringify(stored?.state ?? {}).length / 1024;
    const stepMedian = percentile(ascending(all.steps), 50);
    const stepP95 = percentile(ascending(all.steps), 95);
    const met =
      stepP95 < TARGET_MS
        ? 'met'
        : stepMedian < TARGET_MS
          ? 'met at the median, not at p95'
          : 'NOT met';
    console.log(
      `${bench.label}: 1 pipeline × ${stages} stages × ${steps} no-op steps, ${runs} deployments one after another (${loadBefore} before, ${load()} after):`,
    );
    console.log(`  step running → succeeded (one decision): ${summary(all.steps)}`);
    console.log(`    target < ${TARGET_MS} ms per transition: ${met}`);
    console.log(`  decision → next decision on the path: ${summary(all.decisions)}`);
    console.log(`  stage overhead (entered → first step running): ${summary(all.stages)}`);
    const perDeployment = all.transitions / runs;
    console.log(
      `  per transition, amortized: ${ms(all.wallMs / all.transitions)} (${perDeployment} transitions and ${all.commits / runs} commits per deployment; deployment wall median ${ms(percentile(ascending(walls), 50))})`,
    );
    console.log(`  store time per call: ${storeBreakdown(timed.calls, all.wallMs)}`);
    console.log(`  state document at the end: ${stateKiB.toFixed(0)} KiB`);
    return { kind, stepMedian, stepP95 };
  } finally {
    await runtime.stop();
    await bench.close();
  }
}

export async function run({ stages = 10, steps = 10, runs = 3, synchronous } = {}) {
  const results = [];
  for (const kind of benchDatabases()) {
    results.push(await runOn(kind, { stages, steps, runs, synchronous }));
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      stages: { type: 'string' },
      steps: { type: 'string' },
      runs: { type: 'string' },
      synchronous: { type: 'string' },
    },
  });
  await run({
    ...(values.stages !== undefined ? { stages: Number(values.stages) } : {}),
    ...(values.steps !== undefined ? { steps: Number(values.steps) } : {}),
    ...(values.runs !== undefined ? { runs: Number(values.runs) } : {}),
    ...(values.synchronous !== undefined ? { synchronous: values.synchronous } : {}),
  });
}
