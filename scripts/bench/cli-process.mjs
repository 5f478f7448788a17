// Benchmark: whole-process time of `rampart --version` and `rampart validate examples/…` (target < 250 ms).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../packages/cli/bin/rampart.js', import.meta.url));

function time(args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0)
      throw new Error(`rampart ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], min: times[0], max: times[runs - 1] };
}

export async function run({ runs = 15 } = {}) {
  const baseline = (() => {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
  })();
  console.log(
    `whole process, median of ${runs} runs (node -e 0 alone: ${baseline.toFixed(0)} ms):`,
  );
  for (const args of [
    ['--version'],
    ['validate', 'examples/multi-account'],
    ['validate', 'examples/minimal', 'examples/multi-account', 'examples/devramps-compat'],
    ['plan', 'examples/multi-account', '--config', 'examples/multi-account/rampart.config.yaml'],
  ]) {
    const t = time(args, runs);
    console.log(
      `  rampart ${args.join(' ').padEnd(90)} median ${t.median.toFixed(0)} ms (min ${t.min.toFixed(0)}, max ${t.max.toFixed(0)}; target < 250 ms)`,
    );
  }
  await Promise.resolve();
}
