// Benchmark: sts:GetCallerIdentity through the real SDK against a sandbox in its own process
// (target ≥ 2,000 calls/s with the sandbox on one core). Also, for information, an IAM-authorized
// call (iam:GetUser) so the cost of policy evaluation is visible.
// Standalone: node scripts/bench/sandbox-get-caller-identity.mjs [--calls N] [--concurrency N]
//   [--rounds N] [--no-pin] [--cpu-prof DIR] (build first: npx tsc -b)
import { spawn, spawnSync } from 'node:child_process';
import { Agent } from 'node:http';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const child = fileURLToPath(new URL('./sandbox-server-process.mjs', import.meta.url));

function hasTaskset() {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts the sandbox in a child process. With `pinCpu`, the child (all its threads: JS, GC,
 * libuv) runs on that one core only, so the figures are literally "on one core".
 */
async function startServer({ pinCpu, cpuProfDir }) {
  const nodeArgs = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const [command, args] =
    pinCpu === undefined
      ? [process.execPath, [...nodeArgs, child]]
      : ['taskset', ['-c', String(pinCpu), process.execPath, ...nodeArgs, child]];
  const proc = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters = [];
  proc.on('message', (message) => waiters.shift()?.(message));
  const next = () => new Promise((resolve) => waiters.push(resolve));
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const ready = await Promise.race([
    next(),
    exited.then((code) => {
      throw new Error(`the sandbox process exited (${code}) before it was ready; run npx tsc -b`);
    }),
  ]);
  return {
    ...ready,
    pid: proc.pid,
    /** Server CPU time so far, in microseconds: `{ user, system }`. */
    async cpuUsage() {
      proc.send({ type: 'cpu' });
      const { usage } = await next();
      return usage;
    },
    async stop() {
      proc.send({ type: 'stop' });
      await exited;
    },
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** Runs `total` calls of `call` with `concurrency` in flight; returns throughput and latencies. */
async function drive(call, total, concurrency) {
  const latencies = new Float64Array(total);
  let issued = 0;
  const worker = async () => {
    while (issued < total) {
      const index = issued++;
      const t0 = performance.now();
      await call();
      latencies[index] = performance.now() - t0;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort();
  return {
    perSecond: total / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function measure(server, name, call, { calls, warmup, concurrency, rounds }) {
  await drive(call, warmup, concurrency);
  const results = [];
  for (let round = 0; round < rounds; round++) {
    const serverBefore = await server.cpuUsage();
    const clientBefore = process.cpuUsage();
    const result = await drive(call, calls, concurrency);
    const client = process.cpuUsage(clientBefore);
    const serverAfter = await server.cpuUsage();
    const userPerCall = (serverAfter.user - serverBefore.user) / calls;
    const systemPerCall = (serverAfter.system - serverBefore.system) / calls;
    const cpuPerCall = userPerCall + systemPerCall;
    const clientCpuPerCall = (client.user + client.system) / calls;
    results.push({ ...result, cpuPerCall, clientCpuPerCall });
    console.log(
      `  ${name} round ${round + 1}: ${result.perSecond.toFixed(0)} calls/s, ` +
        `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
        `server CPU ${cpuPerCall.toFixed(0)} µs/call (user ${userPerCall.toFixed(0)} + system ${systemPerCall.toFixed(0)}; ` +
        `≈ ${(1e6 / cpuPerCall).toFixed(0)} calls/s per core), ` +
        `SDK client CPU ${clientCpuPerCall.toFixed(0)} µs/call`,
    );
  }
  const byRate = [...results].sort((a, b) => b.perSecond - a.perSecond);
  const byCpu = [...results].sort((a, b) => a.cpuPerCall - b.cpuPerCall);
  const best = byRate[0];
  const median = byRate[Math.floor(byRate.length / 2)];
  console.log(
    `  ${name}: best ${best.perSecond.toFixed(0)} calls/s (p50 ${best.p50.toFixed(2)} ms, p99 ${best.p99.toFixed(2)} ms), ` +
      `median ${median.perSecond.toFixed(0)} calls/s; server CPU best ${byCpu[0].cpuPerCall.toFixed(0)} µs/call, ` +
      `median ${byCpu[Math.floor(byCpu.length / 2)].cpuPerCall.toFixed(0)} µs/call`,
  );
  return { best, median, results };
}

export async function run({
  calls = 20_000,
  warmup = 3_000,
  concurrency = 32,
  rounds = 3,
  authorizedCalls = 5_000,
  pin = true,
  cpuProfDir,
} = {}) {
  const cores = availableParallelism();
  const pinned = pin && cores >= 2 && hasTaskset();
  if (pinned) {
    // The sandbox gets the last core; this process (the SDK clients) every other one.
    spawnSync('taskset', ['-a', '-cp', `0-${cores - 2}`, String(process.pid)], { stdio: 'ignore' });
  }
  const server = await startServer({
    pinCpu: pinned ? cores - 1 : undefined,
    cpuProfDir,
  });
  try {
    const management = server.accounts.find((account) => account.role === 'management');
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const config = {
      endpoint: server.endpoint,
      region: server.region,
      credentials: management.credentials,
      maxAttempts: 1,
      requestHandler: { httpAgent: agent },
    };
    const sts = new STSClient(config);
    const iam = new IAMClient(config);
    console.log(
      `sandbox pid ${server.pid} ${pinned ? `pinned to cpu ${cores - 1}, client on cpu 0-${cores - 2}` : 'not pinned'}; ` +
        `${concurrency} requests in flight over keep-alive, ${calls} calls per round after ${warmup} warm-up calls`,
    );
    const gci = await measure(
      server,
      'GetCallerIdentity',
      async () => {
        const out = await sts.send(new GetCallerIdentityCommand({}));
        if (out.Account !== management.id) throw new Error(`unexpected account ${out.Account}`);
      },
      { calls, warmup, concurrency, rounds },
    );
    console.log(
      `  target ≥ 2000 calls/s on one core: ${gci.best.perSecond >= 2000 ? 'met' : 'NOT met'} ` +
        `(server alone: ≈ ${(1e6 / gci.best.cpuPerCall).toFixed(0)} calls/s of CPU per core)`,
    );
    if (authorizedCalls > 0) {
      await measure(
        server,
        'iam:GetUser (IAM-authorized, for information)',
        async () => {
          const out = await iam.send(new GetUserCommand({}));
          if (out.User?.UserName !== 'admin') throw new Error('unexpected user');
        },
        { calls: authorizedCalls, warmup: 500, concurrency, rounds: 1 },
      );
    }
    sts.destroy();
    iam.destroy();
    agent.destroy();
    return gci;
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string' },
      concurrency: { type: 'string' },
      rounds: { type: 'string' },
      'authorized-calls': { type: 'string' },
      'no-pin': { type: 'boolean' },
      'cpu-prof': { type: 'string' },
    },
  });
  await run({
    ...(values.calls ? { calls: Number(values.calls) } : {}),
    ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
    ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
    ...(values['authorized-calls'] ? { authorizedCalls: Number(values['authorized-calls']) } : {}),
    pin: values['no-pin'] !== true,
    ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}),
  });
}
