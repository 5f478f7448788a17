// Benchmark: time-to-detect of a rollback alarm (issue 6 target with pushed events: under 1 s),
// and with polling. In process: the sandbox (IAM enforced) and a Rampart server (SQLite, system
// clock), the stage role made by `runBootstrap`, a pipeline registered from a git repository whose
// one stage runs a script step and then a 60-minute bake, with a rollback alarm. Revision 1 is
// baked and approved (the good revision); then each trial deploys a new revision, waits for its
// bake, flips the alarm to ALARM with CloudWatch SetAlarmState in the stage account and waits for
// the automatic rollback, then flips the alarm back to OK.
//
//   pushed: an EventBridge rule, connection (API key = alarm_push_token in x-rampart-alarm-token)
//           and API destination made with the SDK in the stage account deliver the state change
//           to POST /api/v1/alarm-events; polling is pushed out to 1 h so only the push can detect.
//   polled: no rule; the engine polls the alarm every `alarmPollIntervalMs` (the default 10 s,
//           and a shorter interval); each flip waits a random part of the interval first, so it
//           falls at a uniformly random point between two polls (expected mean ≈ interval / 2).
//
// Time-to-detect is the rollback record's `timeToDetectMs` read from
// GET /api/v1/pipelines/web/rollbacks (the alarm's state-change timestamp → the engine's decision),
// and our own wall clock from just before the SetAlarmState call to the rollback.started event
// being committed.
// Build first (npx tsc -b), then:
//   npm run bench alarm-detection
//   node scripts/bench/alarm-detection.mjs [--push-trials N] [--poll-trials N]
//     [--poll-interval-ms MS] [--short-poll-interval-ms MS] [--short-poll-trials N]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setImmediate, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AwsClientFactory, bootstrapSettingsFrom, loadPipelines, runBootstrap } from '@rampart/aws';
import { startSandbox } from '@rampart/aws-sandbox';
import { parseControlPlaneConfig } from '@rampart/core';
import { startServer } from '@rampart/server';

const TARGET_MS = 1000;
const MANAGEMENT = '111111111111';
const CICD = '222222222222';
const STAGING = '444444444444';
const REGION = 'us-east-1';
const ALARM = 'web-5xx';
const ALARM_ARN = `arn:aws:cloudwatch:${REGION}:${STAGING}:alarm:${ALARM}`;
const PUSH_WARMUP = 2;

const PIPELINE = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: "${STAGING}"
      region: ${REGION}
      auto_rollback_alarm_name: ${ALARM}
  steps:
    - name: Smoke
      type: RAMPART:SCRIPT:RUN
      params:
        command: "true"
    - name: Bake
      type: RAMPART:APPROVAL:BAKE
      params:
        duration_minutes: 60
`;

const ORGANIZATION = {
  name: 'Bench',
  slug: 'bench',
  cicd_account_id: CICD,
  cicd_account_region: REGION,
};

function gitRepo(dir, home) {
  mkdirSync(join(dir, '.rampart', 'web'), { recursive: true });
  writeFileSync(join(dir, '.rampart', 'web', 'pipeline.yaml'), PIPELINE);
  const git = (...args) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        GIT_AUTHOR_NAME: 'Bench',
        GIT_AUTHOR_EMAIL: 'bench@example.invalid',
        GIT_COMMITTER_NAME: 'Bench',
        GIT_COMMITTER_EMAIL: 'bench@example.invalid',
      },
    });
  git('init', '--quiet', '--initial-branch', 'main');
  git('add', '.');
  git('commit', '--quiet', '-m', 'web pipeline');
}

/** Resolves waiters on the runtime's committed events, stamping when each arrived; keeps the last 30. */
function eventWaiter(runtime) {
  const waiters = new Set();
  const recent = [];
  runtime.onEvent((event) => {
    const t = performance.now();
    recent.push(event);
    if (recent.length > 30) recent.shift();
    for (const w of waiters) {
      if (w.match(event)) {
        waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve({ event, t });
      }
    }
  });
  const next = (match, timeoutMs, what) => {
    const waiting = new Promise((resolve, reject) => {
      const w = { match, resolve };
      w.timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(w);
    });
    // A waiter given up on after an earlier failure must not end the process on its own.
    waiting.catch(() => undefined);
    return waiting;
  };
  return { next, recent };
}

/** Sandbox + server + bootstrapped stage role + alarm (+ push wiring), revision 1 deployed. */
async function startEnvironment({ push, pollIntervalMs }) {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-alarm-'));
  const repo = join(dir, 'repo');
  gitRepo(repo, dir);
  const token = randomBytes(24).toString('base64url');
  const notices = [];
  const sandbox = await startSandbox();
  const server = await startServer({
    config: {
      data_dir: join(dir, 'data'),
      organization: ORGANIZATION,
      aws: { endpoint_url: sandbox.endpoint },
      alarm_push_token: token,
    },
    listen: '127.0.0.1:0',
    engineConfig: { alarmPollIntervalMs: pollIntervalMs },
    onNotice: (notice) => {
      if (notice.code !== 'server.started' && notice.code !== 'server.admin_token_created')
        notices.push(notice);
    },
  });
  const stop = async () => {
    await server.stop();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const admin = server.firstAdminToken?.secret ?? '';
    const call = async (method, path, body) => {
      const response = await globalThis.fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${admin}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = await response.json();
      if (!response.ok)
        throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    };

    // The stage role (and OIDC provider) as an admin creates them: rampart bootstrap.
    const config = parseControlPlaneConfig({
      text: [
        'organization:',
        `  name: ${ORGANIZATION.name}`,
        `  slug: ${ORGANIZATION.slug}`,
        `  cicd_account_id: '${CICD}'`,
        `  cicd_account_region: ${REGION}`,
        `issuer_url: ${server.issuer.issuerUrl}`,
        'aws:',
        `  endpoint_url: ${sandbox.endpoint}`,
      ].join('\n'),
      file: 'rampart.config.yaml',
    });
    const settings = bootstrapSettingsFrom(config);
    const loaded = await loadPipelines(repo, settings);
    if (loaded.errors.length > 0) throw new Error(JSON.stringify(loaded.errors));
    const failures = [];
    const outcome = await runBootstrap({
      settings,
      pipelines: loaded.pipelines,
      mode: 'deploy',
      sdk: new AwsClientFactory({
        endpointUrl: sandbox.endpoint,
        defaultCredentials: sandbox.credentialsFor(MANAGEMENT),
      }),
      emit: (event) => {
        if (event.type === 'stack-failed') failures.push(event.message);
      },
      poller: { sleep: () => new Promise((resolve) => setImmediate(resolve)), intervalMs: 0 },
    });
    if (!outcome.ok) throw new Error(`bootstrap failed: ${failures.join('; ')}`);

    const aws = {
      endpoint: sandbox.endpoint,
      region: REGION,
      credentials: sandbox.credentialsFor(STAGING),
      maxAttempts: 1,
    };
    const cloudwatch = new CloudWatchClient(aws);
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: ALARM,
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/web/0123456789abcdef' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        // No data keeps the state SetAlarmState gave: with notBreaching the next minute's evaluation
        // would set it back to OK, and a poll could miss the ALARM altogether (as in AWS).
        TreatMissingData: 'ignore',
      }),
    );
    const setAlarm = (state, reason) =>
      cloudwatch.send(
        new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: state, StateReason: reason }),
      );
    await setAlarm('OK', 'bench start');

    if (push) await wirePush({ aws, serverUrl: server.url, token });

    await call('POST', '/api/v1/pipelines', {
      slug: 'web',
      source: { kind: 'path', location: repo },
    });
    const { next, recent: recentEvents } = eventWaiter(server.runtime);
    const timeoutMs = 3 * pollIntervalMs + 60_000;
    // Revision 1: baked and approved, so it is the good revision later ones roll back to.
    const baking = next((e) => e.type === 'step.started' && e.step === 'Bake', timeoutMs, 'bake');
    const first = await call('POST', '/api/v1/pipelines/web/deployments', { reason: 'good' });
    await baking;
    const succeeded = next(
      (e) => e.type === 'deployment.succeeded' && e.deploymentId === first.deployment.id,
      timeoutMs,
      'success of revision 1',
    );
    await call('POST', '/api/v1/pipelines/web/operations', {
      kind: 'approve',
      revision: first.deployment.revision,
      stage: 'staging',
      step: 'Bake',
      reason: 'the good revision',
    });
    await succeeded;
    // For a failed trial: what the stage account was last asked (DescribeAlarms, STS, SetAlarmState).
    const recentRequests = () =>
      sandbox.control
        .requestLog()
        .filter((r) => r.service === 'monitoring' || r.service === 'sts')
        .slice(-12)
        .map((r) => `${r.time} ${r.service}:${r.action} ${r.status} ${r.durationMs} ms`);
    return { call, next, recentEvents, recentRequests, setAlarm, notices, timeoutMs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What the stage account needs to push alarm changes: role, connection, API destination, rule. */
async function wirePush({ aws, serverUrl, token }) {
  const iam = new IAMClient(aws);
  const events = new EventBridgeClient(aws);
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: 'rampart-alarm-push',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
  const connection = await events.send(
    new CreateConnectionCommand({
      Name: 'rampart-alarm-push',
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: 'x-rampart-alarm-token', ApiKeyValue: token },
      },
    }),
  );
  const destination = await events.send(
    new CreateApiDestinationCommand({
      Name: 'rampart-alarm-push',
      ConnectionArn: connection.ConnectionArn,
      InvocationEndpoint: `${serverUrl}/api/v1/alarm-events`,
      HttpMethod: 'POST',
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'rampart-alarm-push',
      PolicyName: 'invoke',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'events:InvokeApiDestination',
            Resource: destination.ApiDestinationArn,
          },
        ],
      }),
    }),
  );
  await events.send(
    new PutRuleCommand({
      Name: 'rampart-alarm-push',
      EventPattern: JSON.stringify({
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [ALARM_ARN],
      }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: 'rampart-alarm-push',
      Targets: [{ Id: 'rampart', Arn: destination.ApiDestinationArn, RoleArn: role.Role?.Arn }],
    }),
  );
  iam.destroy();
  events.destroy();
}

/**
 * One trial: deploy a new revision, wait for its bake, (wait a random part of `spreadMs`,) flip
 * the alarm to ALARM, wait for the rollback decision, read the rollback record, flip back to OK.
 */
async function trial(env, i, spreadMs) {
  const { call, next, setAlarm, timeoutMs } = env;
  const baking = next((e) => e.type === 'step.started' && e.step === 'Bake', timeoutMs, 'bake');
  const requested = await call('POST', '/api/v1/pipelines/web/deployments', {
    reason: `trial ${i}`,
  });
  const { id, revision } = requested.deployment;
  await baking;
  if (spreadMs > 0) await sleep(Math.random() * spreadMs);
  const decided = next(
    (e) => e.type === 'rollback.started' && e.deploymentId === id,
    timeoutMs,
    `rollback of revision ${revision}`,
  );
  const rolledBack = next(
    (e) => e.type === 'deployment.rolled_back' && e.deploymentId === id,
    timeoutMs,
    `end of the rollback of revision ${revision}`,
  );
  const t0 = performance.now();
  await setAlarm('ALARM', `trial ${i}`);
  const callMs = performance.now() - t0;
  const { t } = await decided;
  const wallMs = t - t0;
  const { rollbacks } = await call('GET', '/api/v1/pipelines/web/rollbacks');
  const record = rollbacks[0];
  if (record?.fromRevision !== revision || record.alarm?.name !== ALARM) {
    throw new Error(`unexpected newest rollback: ${JSON.stringify(record)}`);
  }
  await rolledBack;
  await setAlarm('OK', `trial ${i} over`);
  return { ttdMs: record.timeToDetectMs, wallMs, callMs };
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((sorted.length * p) / 100) - 1))];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { median: at(50), p95: at(95), max: sorted[sorted.length - 1], min: sorted[0], mean };
}

const fmt = (s) =>
  `median ${s.median.toFixed(0)} ms, mean ${s.mean.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, min ${s.min.toFixed(0)} ms, max ${s.max.toFixed(0)} ms`;

const load = () => `load ${loadavg()[0].toFixed(2)}`;

async function runMode({ push, pollIntervalMs, trials, warmup, spreadMs }) {
  const env = await startEnvironment({ push, pollIntervalMs });
  try {
    const loadBefore = load();
    const results = [];
    for (let i = 0; i < warmup + trials; i++) {
      let r;
      try {
        r = await trial(env, i, spreadMs);
      } catch (error) {
        const recent = env.recentEvents.map(
          (e) =>
            `${e.at} ${e.type} ${e.deploymentId ?? ''} ${e.step ?? ''} ${JSON.stringify(e.data ?? {})}`,
        );
        throw new Error(
          `trial ${i}: ${error.message}\nnotices: ${JSON.stringify(env.notices.slice(-5))}\nlast events:\n${recent.join('\n')}\nlast requests:\n${env.recentRequests().join('\n')}`,
          { cause: error },
        );
      }
      if (i >= warmup) results.push(r);
    }
    const failed = env.notices.filter((n) => /failed|dropped/.test(n.code));
    if (failed.length > 0) console.log(`  notices: ${JSON.stringify(failed.slice(0, 3))}`);
    return {
      ttd: stats(results.map((r) => r.ttdMs)),
      ttds: results.map((r) => r.ttdMs).sort((a, b) => a - b),
      wall: stats(results.map((r) => r.wallMs)),
      call: stats(results.map((r) => r.callMs)),
      loads: `${loadBefore} before, ${load()} after`,
    };
  } finally {
    await env.stop();
  }
}

export async function run({
  pushTrials = 20,
  pollTrials = 10,
  pollIntervalMs = 10_000,
  shortPollIntervalMs = 1_000,
  shortPollTrials = 30,
} = {}) {
  if (pushTrials > 0) {
    const pushed = await runMode({
      push: true,
      pollIntervalMs: 3_600_000,
      trials: pushTrials,
      warmup: PUSH_WARMUP,
      spreadMs: 0,
    });
    console.log(
      `pushed (SetAlarmState → EventBridge API destination → POST /api/v1/alarm-events → rollback decision), ${pushTrials} trials after ${PUSH_WARMUP} warm-up, polling off (${pushed.loads}):`,
    );
    console.log(`  time-to-detect (rollback record): ${fmt(pushed.ttd)}`);
    console.log(
      `    target < ${TARGET_MS} ms: ${pushed.ttd.max < TARGET_MS ? 'met (every trial)' : pushed.ttd.median < TARGET_MS ? 'met at the median only' : 'NOT met'}`,
    );
    console.log(
      `  wall clock, SetAlarmState call → rollback.started committed: ${fmt(pushed.wall)}`,
    );
    console.log(`  of which the SetAlarmState call: median ${pushed.call.median.toFixed(0)} ms`);
  }

  for (const [interval, trials] of [
    [pollIntervalMs, pollTrials],
    [shortPollIntervalMs, shortPollTrials],
  ]) {
    if (trials <= 0) continue;
    const polled = await runMode({
      push: false,
      pollIntervalMs: interval,
      trials,
      warmup: 0,
      spreadMs: interval,
    });
    console.log(
      `polled every ${interval / 1000} s${interval === 10_000 ? ' (the default)' : ''}, no push, flips at a random point of the interval, ${trials} trials (${polled.loads}):`,
    );
    console.log(
      `  time-to-detect (rollback record): ${fmt(polled.ttd)} (expected mean ≈ ${(interval / 2).toFixed(0)} ms)`,
    );
    console.log(`    each, in s: ${polled.ttds.map((v) => (v / 1000).toFixed(2)).join(' ')}`);
    console.log(
      `  wall clock, SetAlarmState call → rollback.started committed: ${fmt(polled.wall)}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      'push-trials': { type: 'string' },
      'poll-trials': { type: 'string' },
      'poll-interval-ms': { type: 'string' },
      'short-poll-interval-ms': { type: 'string' },
      'short-poll-trials': { type: 'string' },
    },
  });
  const number = (name, key) => (values[name] === undefined ? {} : { [key]: Number(values[name]) });
  await run({
    ...number('push-trials', 'pushTrials'),
    ...number('poll-trials', 'pollTrials'),
    ...number('poll-interval-ms', 'pollIntervalMs'),
    ...number('short-poll-interval-ms', 'shortPollIntervalMs'),
    ...number('short-poll-trials', 'shortPollTrials'),
  });
}
