// `npm run bench [name ...]`: runs the named benchmarks (all when none) and prints their figures.
import { cpus } from 'node:os';

const benches = {
  'validate-plan': () => import('./bench/validate-plan.mjs'),
  'cli-process': () => import('./bench/cli-process.mjs'),
  'cloudformation-create-stack': () => import('./bench/cloudformation-create-stack.mjs'),
  'bootstrap-accounts': () => import('./bench/bootstrap-accounts.mjs'),
  'registry-throughput': () => import('./bench/registry-throughput.mjs'),
  'alarm-delivery-latency': () => import('./bench/alarm-delivery-latency.mjs'),
  'engine-transitions': () => import('./bench/engine-transitions.mjs'),
  'engine-fleet': () => import('./bench/engine-fleet.mjs'),
  'alarm-detection': () => import('./bench/alarm-detection.mjs'),
  'mirror-image': () => import('./bench/mirror-image.mjs'),
  'server-startup': () => import('./bench/server-startup.mjs'),
};

const names = process.argv.slice(2);
const unknown = names.filter((n) => !(n in benches));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark ${unknown.join(', ')}; available: ${Object.keys(benches).join(', ')}`,
  );
  process.exit(2);
}
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
for (const name of names.length === 0 ? Object.keys(benches) : names) {
  console.log(`\n# ${name}`);
  const bench = await benches[name]();
  await bench.run();
}
