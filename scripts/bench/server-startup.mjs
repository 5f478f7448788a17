/* global fetch, setTimeout */
// Benchmark: `rampart server` start-up, from spawning the process to the first 200 from /readyz,
// on SQLite in a temporary data_dir. The first start (which creates the keys) is not counted: the
// figure is a restart, what a supervisor (or the crash-resume e2e test, 42 times) waits for.
// RAMPART_BENCH_ROOT=<checkout> measures another built checkout (a before/after comparison).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = resolve(
  process.env.RAMPART_BENCH_ROOT ?? fileURLToPath(new URL('../..', import.meta.url)),
);
const bin = join(root, 'packages', 'cli', 'bin', 'rampart.js');

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/**
 * CPU milliseconds (user + system) the process has used so far, from /proc (Linux): on a busy
 * shared machine this moves far less than wall time does.
 */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** Starts the server, waits for /readyz, stops it with SIGTERM: wall and CPU ms until ready. */
async function startOnce(dir, url) {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [bin, 'server', '--config', join(dir, 'rampart.config.yaml')],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C.UTF-8' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((done) => child.once('exit', done));
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  for (;;) {
    if (exitedEarly) throw new Error(`rampart server exited before it was ready:\n${stderr}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 5));
  }
  const ms = performance.now() - t0;
  const cpu = cpuMs(child.pid);
  child.kill('SIGTERM');
  await exited;
  return { ms, cpu };
}

export async function run({ runs = 11 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-server-'));
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'rampart.config.yaml'),
      [
        'organization:',
        '  name: Bench',
        '  slug: bench',
        '  cicd_account_id: "111111111111"',
        '  cicd_account_region: us-east-1',
        `listen: 127.0.0.1:${port}`,
        `data_dir: ${join(dir, 'data')}`,
        'admin_token: bench-admin-token-0123456789abcdef',
      ].join('\n'),
    );
    const first = await startOnce(dir, url);
    const starts = [];
    for (let i = 0; i < runs; i++) starts.push(await startOnce(dir, url));
    const stats = (values) => {
      const sorted = [...values].sort((a, b) => a - b);
      return `median ${sorted[Math.floor(runs / 2)].toFixed(0)} ms (min ${sorted[0].toFixed(0)}, max ${sorted[runs - 1].toFixed(0)})`;
    };
    console.log(`rampart server in ${root}`);
    console.log(`  first start (creates keys): ${first.ms.toFixed(0)} ms`);
    console.log(`  restart to /readyz 200, ${runs} runs: wall ${stats(starts.map((s) => s.ms))}`);
    console.log(`  CPU used by the server until ready:  ${stats(starts.map((s) => s.cpu))}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
