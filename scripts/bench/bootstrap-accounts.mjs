// Benchmark: `rampart bootstrap` of one CI/CD account plus N workload accounts against the
// sandbox (zero emulated delay, IAM enforced), compared with one workload account (issue 5 target:
// 20 accounts within 3× the wall time of one). The sandbox runs in its own process, as
// `rampart sandbox` does, so it has a core of its own.
// Build first (npm run build), then: npm run bench bootstrap-accounts
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsClientFactory, bootstrapSettingsFrom, loadPipelines, runBootstrap } from '@rampart/aws';
import { parseControlPlaneConfig } from '@rampart/core';

const TARGET_RATIO = 3;
const MANY = Number(process.env.BENCH_ACCOUNTS ?? 20);
const CONCURRENCY = process.env.BENCH_CONCURRENCY
  ? Number(process.env.BENCH_CONCURRENCY)
  : undefined;
const MANAGEMENT = '100000000000';
const CICD = '100000000001';

const workload = (i) => String(200000000000 + i);

/** A pipeline with one stage per workload account, each running a few step types. */
function pipelineYaml(accounts) {
  const stages = accounts
    .map((id, i) => `    - name: s${i}\n      account_id: '${id}'\n      region: us-east-1\n`)
    .join('');
  return `version: '1.0.0'
pipeline:
  cloud_provider: AWS
  stages:
${stages}  steps:
    - name: Infra
      type: RAMPART:TERRAFORM:SYNTHESIZE
      params:
        source: ./infra
    - name: Deploy
      type: RAMPART:ECS:DEPLOY
      params:
        cluster_name: web-\${{ stage.name }}
        service_name: web
        reference_task_definition: web
        image_url: public.ecr.aws/nginx/nginx:stable
    - name: Script
      type: RAMPART:SCRIPT:RUN
      params:
        command: echo ok
`;
}

async function startSandboxProcess(accounts) {
  const child = fork(new URL('./sandbox-server-process.mjs', import.meta.url), [], {
    env: { ...process.env, SANDBOX_ACCOUNTS: JSON.stringify(accounts) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  return {
    endpoint: ready.endpoint,
    accounts: ready.accounts,
    cpuMs: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m.usage.user + m.usage.system) / 1000));
        child.send({ type: 'cpu' });
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.send({ type: 'stop' });
      }),
  };
}

async function bootstrapOnce(workloads) {
  const accounts = [
    { id: MANAGEMENT, name: 'management', role: 'management' },
    { id: CICD, name: 'cicd', role: 'cicd' },
    ...workloads.map((id, i) => ({ id, name: `workload-${i}`, role: 'workload' })),
  ];
  const sandbox = await startSandboxProcess(accounts);
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-bootstrap-'));
  try {
    mkdirSync(join(dir, '.rampart', 'web'), { recursive: true });
    writeFileSync(join(dir, '.rampart', 'web', 'pipeline.yaml'), pipelineYaml(workloads));
    const config = parseControlPlaneConfig({
      text: [
        'organization:',
        '  name: Bench',
        '  slug: bench',
        `  cicd_account_id: '${CICD}'`,
        '  cicd_account_region: us-east-1',
        'issuer_url: https://rampart.bench.example',
        'aws:',
        `  endpoint_url: ${sandbox.endpoint}`,
      ].join('\n'),
      file: 'rampart.config.yaml',
    });
    const settings = bootstrapSettingsFrom(config);
    const loaded = await loadPipelines(dir, settings);
    if (loaded.errors.length > 0) throw new Error(JSON.stringify(loaded.errors, null, 2));
    const admin = sandbox.accounts.find((a) => a.id === MANAGEMENT).credentials;
    const sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, defaultCredentials: admin });
    let stacks = 0;
    const serverCpuBefore = await sandbox.cpuMs();
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    const outcome = await runBootstrap({
      settings,
      pipelines: loaded.pipelines,
      mode: 'deploy',
      sdk,
      ...(CONCURRENCY ? { concurrency: CONCURRENCY } : {}),
      emit: (event) => {
        if (event.type === 'stack-done') stacks += 1;
        if (event.type === 'stack-done' && event.result === 'failed') {
          console.error(JSON.stringify(event));
        }
      },
      poller: { sleep: (ms) => sleep(ms), intervalMs: 25 },
    });
    const ms = performance.now() - started;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const serverCpuMs = (await sandbox.cpuMs()) - serverCpuBefore;
    if (!outcome.ok) throw new Error(`bootstrap failed: ${JSON.stringify(outcome)}`);
    return { ms, stacks, serverCpuMs, clientCpuMs: (clientCpu.user + clientCpu.system) / 1000 };
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run() {
  const one = [];
  const many = [];
  for (let round = 0; round < 3; round++) {
    one.push(await bootstrapOnce([workload(0)]));
    many.push(await bootstrapOnce(Array.from({ length: MANY }, (_, i) => workload(i))));
  }
  const median = (runs, key = 'ms') => runs.map((r) => r[key]).sort((a, b) => a - b)[1];
  const oneMs = median(one);
  const manyMs = median(many);
  const ratio = manyMs / oneMs;
  const cpu = (runs) =>
    `CPU: sandbox ${median(runs, 'serverCpuMs').toFixed(0)} ms, client ${median(runs, 'clientCpuMs').toFixed(0)} ms`;
  console.log(
    `1 workload account (${one[0].stacks} stacks): median ${oneMs.toFixed(0)} ms; ${cpu(one)}`,
  );
  console.log(
    `${MANY} workload accounts (${many[0].stacks} stacks): median ${manyMs.toFixed(0)} ms; ${cpu(many)}`,
  );
  console.log(
    `ratio ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})` +
      `, concurrency ${CONCURRENCY ?? 'default'}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
