// The pipeline's smoke test: the app answers its health check. It needs no AWS CLI and no
// network, only node; its output `checked_image` shows up on the step in the API.
import { appendFileSync } from 'node:fs';
import { handle } from './server.mjs';

const health = handle({ method: 'GET', url: '/healthz' });
console.log(`GET /healthz -> ${health.status} ${health.body}`);
if (health.status !== 200) {
  console.error('the health check failed');
  process.exit(1);
}
if (!/@sha256:[0-9a-f]{64}$/.test(process.env.IMAGE ?? '')) {
  console.error(`IMAGE must be pinned by digest, got "${process.env.IMAGE ?? ''}"`);
  process.exit(1);
}
console.log(`image ${process.env.IMAGE}`);
if (process.env.RAMPART_OUTPUT !== undefined) {
  appendFileSync(process.env.RAMPART_OUTPUT, `checked_image=${process.env.IMAGE}\n`);
}
