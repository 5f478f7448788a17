// Benchmark: the sandbox registry's blob throughput over loopback (issue 4 target: ≥ 300 MB/s each
// way for a 512 MiB blob, memory flat). The sandbox runs in its own process (as `rampart sandbox`
// does), so its memory is measured apart from the client's. The blob is uploaded as one PATCH of an
// upload session streamed from a generator (never a buffer of the whole blob), completed with
// PUT ?digest= (the sandbox verifies the SHA-256 it computed while writing to disk), then downloaded
// with GET and counted as it arrives. An 8 MiB round warms up first. The server's resident set
// size is sampled every 50 ms; the figure is its peak growth over its size before each round.
// Build first (npx tsc -b packages/aws-sandbox), then: node scripts/bench/registry-throughput.mjs
//   [--mib N] [--rounds N]   (BENCH_SERVER_NODE_ARGS="--cpu-prof …" passes node flags to the server)
import { Buffer } from 'node:buffer';
import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CreateRepositoryCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';

const child = fileURLToPath(new URL('./sandbox-server-process.mjs', import.meta.url));
const TARGET_MB_PER_S = 300;
const CHUNK = 1024 * 1024;
const ACCOUNT = '222222222222';

/** Starts the sandbox in a child process; resolves once it listens. */
async function startServer() {
  const proc = fork(child, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: process.env.BENCH_SERVER_NODE_ARGS?.split(' ') ?? [],
  });
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
    /** The server's memory usage (`process.memoryUsage()`). */
    async memory() {
      proc.send({ type: 'cpu' });
      const { memory } = await next();
      return memory;
    },
    /** The server's CPU time so far, in milliseconds (user + system). */
    async cpuMs() {
      proc.send({ type: 'cpu' });
      const { usage } = await next();
      return (usage.user + usage.system) / 1000;
    },
    async stop() {
      proc.send({ type: 'stop' });
      await exited;
    },
  };
}

/** Samples the server's RSS every 50 ms until stopped; returns the peak. */
function sampleRss(server) {
  let peak = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rss } = await server.memory();
      peak = Math.max(peak, rss);
      await sleep(50);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return peak;
  };
}

/** The blob: `mib` MiB made of one random MiB with a counter stamped into each copy. */
function* blobChunks(pattern, mib) {
  for (let i = 0; i < mib; i++) {
    const chunk = Buffer.from(pattern);
    chunk.writeUInt32BE(i, 0);
    yield chunk;
  }
}

function digestOf(pattern, mib) {
  const hash = createHash('sha256');
  for (const chunk of blobChunks(pattern, mib)) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}

/** One HTTP request; resolves with the status, headers and (counted, not kept) body length. */
function send(endpoint, { method, path, headers = {}, body }) {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk) => {
          bytes += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

/** Uploads then downloads one fresh blob of `sizeMib` MiB; times both and samples server RSS. */
async function transfer(server, name, auth, sizeMib) {
  const size = sizeMib * CHUNK;
  // A different blob each round: the store keeps blobs written once.
  const pattern = randomBytes(CHUNK);
  const digest = digestOf(pattern, sizeMib);
  const started = await send(server.endpoint, {
    method: 'POST',
    path: `/v2/${name}/blobs/uploads/`,
    headers: { ...auth, 'content-length': '0' },
  });
  if (started.status !== 202) throw new Error(`POST upload answered ${started.status}`);
  const location = started.headers.location;

  const before = (await server.memory()).rss;
  const cpu0 = await server.cpuMs();
  const stopUp = sampleRss(server);
  const t0 = performance.now();
  const patched = await send(server.endpoint, {
    method: 'PATCH',
    path: location,
    headers: {
      ...auth,
      'content-type': 'application/octet-stream',
      'content-length': String(size),
    },
    body: Readable.from(blobChunks(pattern, sizeMib), { objectMode: false }),
  });
  const completed = await send(server.endpoint, {
    method: 'PUT',
    path: `${location}?digest=${digest}`,
    headers: { ...auth, 'content-length': '0' },
  });
  const upMs = performance.now() - t0;
  const upPeak = await stopUp();
  const cpu1 = await server.cpuMs();
  if (patched.status !== 202 || completed.status !== 201) {
    throw new Error(`upload answered ${patched.status} then ${completed.status}`);
  }

  const stopDown = sampleRss(server);
  const t1 = performance.now();
  const pulled = await send(server.endpoint, {
    method: 'GET',
    path: `/v2/${name}/blobs/${digest}`,
    headers: auth,
  });
  const downMs = performance.now() - t1;
  const downPeak = await stopDown();
  const cpu2 = await server.cpuMs();
  if (pulled.status !== 200 || pulled.bytes !== size) {
    throw new Error(`download answered ${pulled.status} with ${pulled.bytes} bytes`);
  }
  if (pulled.headers['docker-content-digest'] !== digest) throw new Error('digest mismatch');
  // The samplers' own IPC round trips are included: a slight overestimate of the server's cost.
  return { upMs, downMs, before, upPeak, downPeak, upCpuMs: cpu1 - cpu0, downCpuMs: cpu2 - cpu1 };
}

const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1000);
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export async function run({ sizeMib = 512, rounds = 3 } = {}) {
  const server = await startServer();
  try {
    const account = server.accounts.find((a) => a.id === ACCOUNT) ?? server.accounts[0];
    const ecr = new ECRClient({
      endpoint: server.endpoint,
      region: server.region,
      credentials: account.credentials,
      maxAttempts: 1,
    });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'bench' }));
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    const auth = { authorization: `Basic ${authorizationData?.[0]?.authorizationToken ?? ''}` };
    const name = `${account.id}/${server.region}/bench`;
    const size = sizeMib * CHUNK;
    // Warm up (first IAM evaluations, JIT, socket and file buffers) with a small blob.
    await transfer(server, name, auth, 8);
    const idle = (await server.memory()).rss;
    console.log(
      `blob ${mib(size)} (${(size / 1e6).toFixed(1)} MB) over loopback, sandbox in its own process ` +
        `(idle RSS ${mib(idle)}), ${rounds} round(s); MB = 10^6 bytes`,
    );
    const results = [];
    for (let round = 0; round < rounds; round++) {
      const { upMs, downMs, before, upPeak, downPeak, upCpuMs, downCpuMs } = await transfer(
        server,
        name,
        auth,
        sizeMib,
      );
      const result = {
        up: mbps(size, upMs),
        down: mbps(size, downMs),
        upRssGrowth: upPeak - before,
        downRssGrowth: downPeak - before,
        upPerCore: mbps(size, upCpuMs),
        downPerCore: mbps(size, downCpuMs),
      };
      results.push(result);
      console.log(
        `  round ${round + 1}: upload ${result.up.toFixed(0)} MB/s (${(upMs / 1000).toFixed(2)} s, ` +
          `server RSS peak +${mib(result.upRssGrowth)}, ${result.upPerCore.toFixed(0)} MB per ` +
          `server CPU-second), download ${result.down.toFixed(0)} MB/s ` +
          `(${(downMs / 1000).toFixed(2)} s, server RSS peak +${mib(result.downRssGrowth)}, ` +
          `${result.downPerCore.toFixed(0)} MB per server CPU-second)`,
      );
    }
    const best = (key) => Math.max(...results.map((r) => r[key]));
    const worstGrowth = Math.max(...results.flatMap((r) => [r.upRssGrowth, r.downRssGrowth]));
    const met = best('up') >= TARGET_MB_PER_S && best('down') >= TARGET_MB_PER_S;
    console.log(
      `  best: upload ${best('up').toFixed(0)} MB/s, download ${best('down').toFixed(0)} MB/s ` +
        `(target ≥ ${TARGET_MB_PER_S} MB/s each way: ${met ? 'met' : 'NOT met'}); ` +
        `largest server RSS growth ${mib(worstGrowth)} for a ${mib(size)} blob; ` +
        `server CPU cost: ${best('upPerCore').toFixed(0)} MB/s per core up, ` +
        `${best('downPerCore').toFixed(0)} MB/s per core down`,
    );
    return { results };
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { mib: { type: 'string' }, rounds: { type: 'string' } },
  });
  await run({
    ...(values.mib ? { sizeMib: Number(values.mib) } : {}),
    ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
  });
}
