// Helper of the sandbox benchmarks (not a benchmark itself): runs a sandbox in its own process, as
// `rampart sandbox` does, and answers the parent over IPC so the server's CPU time can be measured.
// Messages in: {type:'cpu'} → {type:'cpu', usage, memory}; {type:'stop'} → exits.
// Message out once listening: {type:'ready', endpoint, region, accounts}.
import { startSandbox } from '@rampart/aws-sandbox';

if (typeof process.send !== 'function') {
  console.error('sandbox-server-process.mjs must be started with an IPC channel (fork)');
  process.exit(2);
}

// SANDBOX_ACCOUNTS: a JSON array of account specs, for benchmarks that need another organization.
const accounts = process.env.SANDBOX_ACCOUNTS
  ? JSON.parse(process.env.SANDBOX_ACCOUNTS)
  : undefined;
const sandbox = await startSandbox({ port: 0, ...(accounts ? { accounts } : {}) });
process.on('message', (message) => {
  if (message?.type === 'cpu') {
    process.send({
      type: 'cpu',
      usage: process.cpuUsage(),
      memory: process.memoryUsage(),
    });
  } else if (message?.type === 'stop') {
    // Exit through `process.exit` so `--cpu-prof` writes its profile.
    void sandbox.stop().then(() => process.exit(0));
  }
});
process.on('disconnect', () => void sandbox.stop().then(() => process.exit(0)));
process.send({
  type: 'ready',
  endpoint: sandbox.endpoint,
  region: sandbox.region,
  accounts: sandbox.accounts,
});
