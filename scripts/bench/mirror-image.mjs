// Benchmark: `rampart mirror` between two docker-registry instances (issue 7 targets). A 5-layer,
// 200 MB image (random, incompressible layers) is mirrored by the library in process, by the
// `rampart` CLI process and by `skopeo copy`, interleaved, each into a fresh destination registry
// (so no tool finds blobs from an earlier run, and skopeo's blob-info cache cannot offer mounts);
// the figure is the median of several runs. Then the re-mirror of the unchanged image (time and
// requests), and a 1 GiB single-layer image mirrored in a child process whose resident memory is
// sampled. Layers are generated as streams from a seeded cipher and pushed with a streamed PATCH,
// so this process never holds a layer either.
// Build first (npm run build), then: node scripts/bench/mirror-image.mjs [--runs N] [--skip-large]
import { Buffer } from 'node:buffer';
import { execFile, fork, spawn } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'packages/cli/bin/rampart.js');
const artifactsDist = pathToFileURL(join(root, 'packages/artifacts/dist/index.js')).href;
const MB = 1_000_000;
const MIB = 1024 * 1024;

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return dir !== '';
    } catch {
      return false;
    }
  });
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A docker-registry on a free port with its storage in a temp directory. */
async function startRegistry() {
  const dir = await mkdtemp(join(tmpdir(), 'rampart-bench-registry-'));
  const port = await freePort();
  const config = join(dir, 'config.yml');
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n  secret: ${randomBytes(16).toString('hex')}\n`,
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 400; i++) {
    const up = await send(base, { method: 'GET', path: '/v2/' }).catch(() => undefined);
    if (up?.status === 200) break;
    await sleep(50);
  }
  return {
    host: `127.0.0.1:${port}`,
    base,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `size` incompressible bytes from a seed, as a stream of 1 MiB chunks (AES-CTR keystream). */
function layerStream(seed, size) {
  const cipher = createCipheriv('aes-128-ctr', seed, Buffer.alloc(16));
  const zeros = Buffer.alloc(MIB);
  let left = size;
  return Readable.from(
    (function* () {
      while (left > 0) {
        const n = Math.min(MIB, left);
        left -= n;
        yield cipher.update(zeros.subarray(0, n));
      }
    })(),
    { objectMode: false },
  );
}

async function layerDigest(seed, size) {
  const hash = createHash('sha256');
  for await (const chunk of layerStream(seed, size)) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}

function send(base, { method, path, headers = {}, body }) {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers }));
    });
    req.on('error', reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

/** Pushes a blob from a stream factory: POST, one streamed PATCH, PUT ?digest=. */
async function pushBlob(registry, repository, digest, size, open) {
  const started = await send(registry.base, {
    method: 'POST',
    path: `/v2/${repository}/blobs/uploads/`,
    headers: { 'content-length': '0' },
  });
  const patched = await send(registry.base, {
    method: 'PATCH',
    path: started.headers.location,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body: open(),
  });
  const location = patched.headers.location;
  const done = await send(registry.base, {
    method: 'PUT',
    path: `${location}${location.includes('?') ? '&' : '?'}digest=${digest}`,
    headers: { 'content-length': '0' },
  });
  if (done.status !== 201) throw new Error(`pushing ${digest} answered ${done.status}`);
}

/** Pushes an OCI image of layers of the given sizes; returns its digest. */
async function pushImage(registry, repository, tag, sizes) {
  const layers = [];
  for (const size of sizes) {
    const seed = randomBytes(16);
    const digest = await layerDigest(seed, size);
    await pushBlob(registry, repository, digest, size, () => layerStream(seed, size));
    layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size });
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
    }),
  );
  const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  await pushBlob(registry, repository, configDigest, config.length, () => Readable.from([config]));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers,
    }),
  );
  const put = await send(registry.base, {
    method: 'PUT',
    path: `/v2/${repository}/manifests/${tag}`,
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  if (put.status !== 201) throw new Error(`pushing the manifest answered ${put.status}`);
  return `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (ms) => `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;

async function timed(run) {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

async function runProcess(command, args, env) {
  const { stderr } = await promisify(execFile)(command, args, {
    env,
    maxBuffer: 16 * MIB,
  }).catch((error) => {
    throw new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${error.stderr ?? ''}`);
  });
  return stderr;
}

/** Mirrors in a child process while sampling its RSS; returns the peak growth over its idle RSS. */
async function largeLayerMemory(warmUp, source, destination) {
  const child = fork(fileURLToPath(import.meta.url), ['--child-mirror'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () => new Promise((resolve) => child.once('message', resolve));
  const loaded = (await next()).rss; // ready, dist loaded
  child.send({ type: 'warm-up', ...warmUp });
  const idle = (await next()).rss;
  let peak = idle;
  let external = 0;
  let done = false;
  child.send({ type: 'mirror', source, destination });
  const finished = new Promise((resolve) => {
    const listener = (message) => {
      if (message.type === 'done') {
        child.off('message', listener);
        done = true;
        resolve(message);
      }
    };
    child.on('message', listener);
  });
  // Sample from here: the child answers 'rss' messages between its awaits.
  const sampler = (async () => {
    while (!done) {
      child.send({ type: 'memory' });
      await sleep(50);
    }
  })();
  child.on('message', (message) => {
    if (message.type === 'rss') {
      peak = Math.max(peak, message.rss);
      external = Math.max(external, message.external);
    }
  });
  const result = await finished;
  await sampler;
  child.send({ type: 'exit' });
  return { loaded, idle, peak, external, result };
}

/** The child side of largeLayerMemory. */
async function childMirror() {
  const { mirrorImage } = await import(artifactsDist);
  process.on('message', async (message) => {
    if (message.type === 'memory') {
      const { rss, external } = process.memoryUsage();
      process.send({ type: 'rss', rss, external });
    }
    if (message.type === 'exit') process.exit(0);
    if (message.type === 'warm-up') {
      // Loads and compiles everything a mirror uses, so the measure is what the layer costs.
      await mirrorImage({
        source: message.source,
        destination: message.destination,
        insecure: true,
      });
      process.send({ type: 'warm', rss: process.memoryUsage().rss });
    }
    if (message.type === 'mirror') {
      const t0 = performance.now();
      const result = await mirrorImage({
        source: message.source,
        destination: message.destination,
        insecure: true,
      });
      process.send({ type: 'done', ms: performance.now() - t0, result });
    }
  });
  process.send({ type: 'ready', rss: process.memoryUsage().rss });
}

export async function run({ runs = 5, skipLarge = false } = {}) {
  if (!onPath('docker-registry') || !onPath('skopeo')) {
    console.log('skipped: needs docker-registry and skopeo (bash .ci/install-system-packages)');
    return;
  }
  const { mirrorImage } = await import(artifactsDist);
  const work = await mkdtemp(join(tmpdir(), 'rampart-bench-mirror-'));
  const policy = join(work, 'policy.json');
  await writeFile(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  await writeFile(join(work, 'auth.json'), '{"auths":{}}\n');
  await writeFile(join(work, 'registries.conf'), 'unqualified-search-registries = []\n');
  const toolEnv = {
    PATH: process.env.PATH,
    HOME: work,
    TMPDIR: work,
    REGISTRY_AUTH_FILE: join(work, 'auth.json'),
    CONTAINERS_REGISTRIES_CONF: join(work, 'registries.conf'),
  };
  const source = await startRegistry();
  try {
    const sizes = [40, 40, 40, 40, 40].map((mb) => mb * MB);
    const total = sizes.reduce((a, b) => a + b, 0);
    const digest = await pushImage(source, 'bench/app', 'v1', sizes);
    const src = `${source.host}/bench/app:v1`;
    console.log(
      `5-layer image of ${total / MB} MB (${digest.slice(0, 19)}…), median of ${runs} runs, each into a fresh docker-registry:`,
    );
    const times = { library: [], cli: [], skopeo: [] };
    for (let i = 0; i < runs; i++) {
      for (const tool of ['library', 'cli', 'skopeo']) {
        const destination = await startRegistry();
        const dest = `${destination.host}/bench/app:v1`;
        try {
          const ms = await timed(async () => {
            if (tool === 'library') {
              const result = await mirrorImage({ source: src, destination: dest, insecure: true });
              if (result.blobsCopied !== 6) throw new Error(`copied ${result.blobsCopied} blobs`);
            } else if (tool === 'cli') {
              await runProcess(process.execPath, [bin, 'mirror', src, dest, '--insecure'], {
                ...toolEnv,
              });
            } else {
              await runProcess(
                'skopeo',
                [
                  '--policy',
                  policy,
                  'copy',
                  '--quiet',
                  '--src-tls-verify=false',
                  '--dest-tls-verify=false',
                  `docker://${src}`,
                  `docker://${dest}`,
                ],
                toolEnv,
              );
            }
          });
          times[tool].push(ms);
        } finally {
          await destination.stop();
        }
      }
    }
    const skopeo = median(times.skopeo);
    for (const [tool, label] of [
      ['library', 'mirrorImage (in process)'],
      ['cli', 'rampart mirror (process)'],
      ['skopeo', 'skopeo copy'],
    ]) {
      const m = median(times[tool]);
      console.log(
        `  ${label.padEnd(26)} median ${fmt(m).padStart(8)} (min ${fmt(Math.min(...times[tool]))}, max ${fmt(Math.max(...times[tool]))}) ${(total / MB / (m / 1000)).toFixed(0)} MB/s  ratio to skopeo ${(m / skopeo).toFixed(2)}`,
      );
    }

    // Re-mirror of the unchanged image: what it costs in requests and time.
    const destination = await startRegistry();
    try {
      const dest = `${destination.host}/bench/app:v1`;
      await mirrorImage({ source: src, destination: dest, insecure: true });
      for (const [label, from] of [
        ['by tag', src],
        ['by digest', `${source.host}/bench/app@${digest}`],
      ]) {
        const samples = [];
        let requests = [];
        for (let i = 0; i < 15; i++) {
          requests = [];
          samples.push(
            await timed(async () => {
              const result = await mirrorImage({
                source: from,
                destination: dest,
                insecure: true,
                onRequest: (r) => requests.push(`${r.method} ${r.status}`),
              });
              if (!result.skipped) throw new Error('re-mirror copied');
            }),
          );
        }
        console.log(
          `  re-mirror ${label.padEnd(10)} median ${fmt(median(samples))} (min ${fmt(Math.min(...samples))}); requests: ${requests.join(', ')} (one per registry by tag)`,
        );
      }
      const cli = [];
      for (let i = 0; i < 5; i++) {
        cli.push(
          await timed(() =>
            runProcess(process.execPath, [bin, 'mirror', src, dest, '--insecure'], toolEnv),
          ),
        );
      }
      console.log(`  re-mirror, rampart process  median ${fmt(median(cli))}`);
    } finally {
      await destination.stop();
    }

    if (!skipLarge) {
      const size = 1024 * MIB;
      await pushImage(source, 'bench/large', 'v1', [size]);
      const destination = await startRegistry();
      try {
        await pushImage(source, 'bench/small', 'v1', [MIB]);
        const { loaded, idle, peak, external, result } = await largeLayerMemory(
          {
            source: `${source.host}/bench/small:v1`,
            destination: `${destination.host}/bench/small:v1`,
          },
          `${source.host}/bench/large:v1`,
          `${destination.host}/bench/large:v1`,
        );
        console.log(
          `  1 GiB layer: ${fmt(result.ms)} (${(size / MB / (result.ms / 1000)).toFixed(0)} MB/s); mirroring process RSS ${(loaded / MIB).toFixed(0)} MiB loaded, ${(idle / MIB).toFixed(0)} MiB after a 1 MiB warm-up mirror, peak growth over that ${((peak - idle) / MIB).toFixed(1)} MiB (target < 64 MB), peak external (buffers) ${(external / MIB).toFixed(1)} MiB`,
        );
      } finally {
        await destination.stop();
      }
    }
  } finally {
    await source.stop();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv.includes('--child-mirror')) {
  await childMirror();
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { runs: { type: 'string' }, 'skip-large': { type: 'boolean' } },
  });
  await run({ runs: Number(values.runs ?? 5), skipLarge: values['skip-large'] === true });
}
