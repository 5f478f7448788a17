/**
 * Issue 6 end to end against the sandbox: with `public_url`, bootstrap wires EventBridge alarm
 * push into each stage account, and an alarm state change there reaches a real `rampart server`
 * with the right token and is accepted; without it, nothing of the kind is created.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  EventBridgeClient,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import {
  ALARM_EVENTS_PATH,
  ALARM_PUSH_TOKEN_HEADER,
  AwsClientFactory,
  bootstrapSettingsFrom,
  loadPipelines,
  runBootstrap,
  type BootstrapEvent,
  type BootstrapMode,
  type ValidPipeline,
} from '@rampart/aws';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { parseControlPlaneConfig } from '@rampart/core';
import { ALARM_PUSH_TOKEN_HEADER as SERVER_HEADER, apiPaths } from '@rampart/protocol';
import { startServer, type RunningServer } from '@rampart/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../packages/cli/tests/run-cli.js';

const MANAGEMENT = '111111111111';
const CICD = '222222222222';
const DEV = '333333333333';
const STAGING = '444444444444';
const TOKEN = 'first-alarm-push-token-0123456789abcdef';
const ROTATED = 'second-alarm-push-token-0123456789abcdef';

// Two stages with alarms in one account and region (their wiring must not collide), and one
// stage without alarms (nothing to push).
const PIPELINE = `version: '1.0.0'
pipeline:
  cloud_provider: AWS
  stages:
    - name: blue
      account_id: '${STAGING}'
      region: us-east-1
      auto_rollback_alarm_names: [shop-blue-5xx, shop-latency]
    - name: green
      account_id: '${STAGING}'
      region: us-east-1
      auto_rollback_alarm_name: shop-green-5xx
    - name: dev
      account_id: '${DEV}'
      region: us-east-1
  steps:
    - name: Bake
      type: RAMPART:APPROVAL:BAKE
      params:
        duration_minutes: 1
`;

describe('bootstrap wires EventBridge alarm push into the stage accounts', () => {
  let sandbox: Sandbox;
  let server: RunningServer;
  let dir: string;
  let repo: string;
  let pipelines: ValidPipeline[];
  let sdk: AwsClientFactory;
  let events: EventBridgeClient;
  let cloudWatch: CloudWatchClient;

  /** The control-plane config text, with alarm push when `token` is given. */
  const configText = (token?: string, publicUrl = server.url) =>
    [
      'organization:',
      '  name: Acme',
      '  slug: acme',
      `  cicd_account_id: '${CICD}'`,
      '  cicd_account_region: us-east-1',
      `issuer_url: ${server.url}`,
      `data_dir: ${join(dir, 'data')}`,
      'aws:',
      `  endpoint_url: ${sandbox.endpoint}`,
      ...(token === undefined ? [] : [`public_url: ${publicUrl}`, `alarm_push_token: ${token}`]),
    ].join('\n');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-e2e-alarm-push-'));
    // No background ticks: deliveries are awaited with control.tick().
    sandbox = await startSandbox({ tickIntervalMs: 0 });
    server = await startServer({
      config: { data_dir: join(dir, 'data'), alarm_push_token: TOKEN },
      listen: '127.0.0.1:0',
    });
    repo = join(dir, 'repo');
    mkdirSync(join(repo, '.rampart', 'shop'), { recursive: true });
    writeFileSync(join(repo, '.rampart', 'shop', 'pipeline.yaml'), PIPELINE);
    const settings = bootstrapSettingsFrom(parseControlPlaneConfig({ text: configText() }));
    const loaded = await loadPipelines(repo, settings);
    expect(loaded.errors).toEqual([]);
    pipelines = loaded.pipelines;
    sdk = new AwsClientFactory({
      endpointUrl: sandbox.endpoint,
      defaultCredentials: sandbox.credentialsFor(MANAGEMENT),
    });
    const stagingAdmin = {
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: sandbox.credentialsFor(STAGING),
      maxAttempts: 1,
    };
    events = new EventBridgeClient(stagingAdmin);
    cloudWatch = new CloudWatchClient(stagingAdmin);
  });
  afterAll(async () => {
    await server?.stop();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const bootstrap = async (mode: BootstrapMode, token?: string) => {
    const emitted: BootstrapEvent[] = [];
    const settings = bootstrapSettingsFrom(parseControlPlaneConfig({ text: configText(token) }));
    const outcome = await runBootstrap({
      settings,
      pipelines,
      mode,
      sdk,
      emit: (e) => emitted.push(e),
      poller: { sleep: () => new Promise((r) => setImmediate(r)), intervalMs: 0 },
    });
    return { outcome, events: emitted };
  };
  const stageResults = (emitted: BootstrapEvent[]) =>
    emitted
      .flatMap((e) =>
        e.type === 'stack-done' && e.stack.kind === 'stage'
          ? [`${e.stack.stackName} ${e.result}`]
          : [],
      )
      .sort();
  const watches = (emitted: BootstrapEvent[]) =>
    emitted
      .flatMap((e) =>
        e.type === 'alarm-watch'
          ? [
              `${e.stage} ${e.watch.via} ${e.watch.via === 'push' ? e.watch.endpoint : e.watch.reason}`,
            ]
          : [],
      )
      .sort();
  const ruleNames = async () =>
    ((await events.send(new ListRulesCommand({}))).Rules ?? []).map((r) => r.Name).sort();
  /** Deliveries to the alarm endpoint after `from`, once the attempts in flight have finished. */
  const deliveriesSince = async (from: number) => {
    await sandbox.control.tick();
    return sandbox.control.eventDeliveries().slice(from);
  };
  const endpoint = () => `${server.url}${ALARM_EVENTS_PATH}`;

  it('without public_url: no rule, connection or destination; stages with alarms are polled', async () => {
    const { outcome, events: emitted } = await bootstrap('deploy');
    expect(emitted.filter((e) => e.type === 'stack-failed')).toEqual([]);
    expect(outcome).toEqual({ ok: true, failed: 0, notUpToDate: 0 });
    expect(stageResults(emitted)).toEqual([
      'Rampart-shop-blue-Stage created',
      'Rampart-shop-dev-Stage created',
      'Rampart-shop-green-Stage created',
    ]);
    expect(watches(emitted)).toEqual([
      'blue poll public-url-not-set',
      'green poll public-url-not-set',
    ]);
    expect(await ruleNames()).toEqual([]);
    expect((await events.send(new ListConnectionsCommand({}))).Connections).toEqual([]);
    expect((await events.send(new ListApiDestinationsCommand({}))).ApiDestinations).toEqual([]);
  });

  it('with public_url: the stage stacks gain the wiring, a second run changes nothing, the token never shows', async () => {
    const first = await bootstrap('deploy', TOKEN);
    expect(first.outcome.ok).toBe(true);
    expect(stageResults(first.events)).toEqual([
      'Rampart-shop-blue-Stage updated',
      'Rampart-shop-dev-Stage no-change',
      'Rampart-shop-green-Stage updated',
    ]);
    expect(watches(first.events)).toEqual([`blue push ${endpoint()}`, `green push ${endpoint()}`]);
    expect(await ruleNames()).toEqual([
      'rampart-alarms-acme-shop-blue',
      'rampart-alarms-acme-shop-green',
    ]);
    const destination = await events.send(
      new DescribeApiDestinationCommand({ Name: 'rampart-alarms-acme-shop-blue' }),
    );
    expect(destination).toMatchObject({
      InvocationEndpoint: endpoint(),
      HttpMethod: 'POST',
      InvocationRateLimitPerSecond: 10,
    });
    const connection = await events.send(
      new DescribeConnectionCommand({ Name: 'rampart-alarms-acme-shop-blue' }),
    );
    expect(connection.AuthorizationType).toBe('API_KEY');
    expect(connection.AuthParameters?.ApiKeyAuthParameters?.ApiKeyName).toBe(SERVER_HEADER);
    expect(ALARM_PUSH_TOKEN_HEADER).toBe(SERVER_HEADER);
    expect(ALARM_EVENTS_PATH).toBe(apiPaths.alarmEvents());
    const targets = await events.send(
      new ListTargetsByRuleCommand({ Rule: 'rampart-alarms-acme-shop-blue' }),
    );
    expect(targets.Targets?.map((t) => t.Arn)).toEqual([destination.ApiDestinationArn]);

    const second = await bootstrap('deploy', TOKEN);
    expect(second.outcome.ok).toBe(true);
    const done = second.events.flatMap((e) => (e.type === 'stack-done' ? [e.result] : []));
    expect(done).toHaveLength(7);
    expect(new Set(done)).toEqual(new Set(['no-change']));
    const dry = await bootstrap('dry-run', TOKEN);
    expect(new Set(dry.events.flatMap((e) => (e.type === 'stack-diff' ? [e.change] : [])))).toEqual(
      new Set(['NO CHANGE']),
    );
    expect(watches(dry.events)).toEqual(watches(first.events));
    expect((await bootstrap('check', TOKEN)).outcome).toEqual({
      ok: true,
      failed: 0,
      notUpToDate: 0,
    });

    // The token is a NoEcho parameter: in no event, template or stack description.
    for (const run of [first, second, dry]) expect(JSON.stringify(run.events)).not.toContain(TOKEN);
    const cfn = sdk.cloudFormation({
      region: 'us-east-1',
      credentials: sandbox.credentialsFor(STAGING),
    });
    const stack = await cfn.send(
      new DescribeStacksCommand({ StackName: 'Rampart-shop-blue-Stage' }),
    );
    expect(stack.Stacks?.[0]?.Parameters).toEqual([
      { ParameterKey: 'AlarmPushToken', ParameterValue: '****' },
    ]);
    const template = await cfn.send(
      new GetTemplateCommand({ StackName: 'Rampart-shop-blue-Stage' }),
    );
    expect(template.TemplateBody).not.toContain(TOKEN);
  });

  it("an alarm of the stage reaches the server with the token and is accepted; other alarms don't", async () => {
    for (const name of ['shop-blue-5xx', 'shop-green-5xx', 'unwatched-5xx']) {
      await cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'Shop',
          MetricName: 'Errors',
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        }),
      );
    }
    await sandbox.control.tick();
    const before = sandbox.control.eventDeliveries().length;
    await cloudWatch.send(
      new SetAlarmStateCommand({
        AlarmName: 'unwatched-5xx',
        StateValue: 'ALARM',
        StateReason: 'not a rollback alarm of any stage',
      }),
    );
    expect(await deliveriesSince(before)).toEqual([]);

    await cloudWatch.send(
      new SetAlarmStateCommand({
        AlarmName: 'shop-blue-5xx',
        StateValue: 'ALARM',
        StateReason: 'e2e: errors crossed the threshold',
      }),
    );
    const delivered = await deliveriesSince(before);
    expect(delivered.length).toBeGreaterThan(0);
    for (const d of delivered) {
      expect(d).toMatchObject({
        ruleArn: `arn:aws:events:us-east-1:${STAGING}:rule/rampart-alarms-acme-shop-blue`,
        method: 'POST',
        url: endpoint(),
        // 202: the server found its alarm_push_token in the header (401 otherwise).
        status: 202,
        outcome: 'delivered',
      });
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(
      /rampart_http_requests_total\{[^}]*route="\/api\/v1\/alarm-events"[^}]*status="202"[^}]*\} [1-9]/,
    );
  });

  it('rotating alarm_push_token and re-running bootstrap updates the connections', async () => {
    const rotated = await bootstrap('deploy', ROTATED);
    expect(rotated.outcome.ok).toBe(true);
    expect(stageResults(rotated.events)).toEqual([
      'Rampart-shop-blue-Stage updated',
      'Rampart-shop-dev-Stage no-change',
      'Rampart-shop-green-Stage updated',
    ]);
    expect(JSON.stringify(rotated.events)).not.toContain(ROTATED);
    // The server still expects the first token: the green connection now sends the new one.
    const before = sandbox.control.eventDeliveries().length;
    await cloudWatch.send(
      new SetAlarmStateCommand({
        AlarmName: 'shop-green-5xx',
        StateValue: 'ALARM',
        StateReason: 'e2e: after rotation',
      }),
    );
    const refused = await deliveriesSince(before);
    const green = refused.filter((d) => d.ruleArn.endsWith(':rule/rampart-alarms-acme-shop-green'));
    expect(green.length).toBeGreaterThan(0);
    for (const d of refused) expect(d).toMatchObject({ status: 401, outcome: 'retry-scheduled' });
  });

  it('through the CLI: dry run and check say which stages push, never show the token, and warn about an unreachable public_url', async () => {
    const configFile = join(dir, 'rampart.config.yaml');
    const admin = sandbox.credentialsFor(MANAGEMENT);
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: admin.accessKeyId,
      AWS_SECRET_ACCESS_KEY: admin.secretAccessKey,
    });
    try {
      writeFileSync(configFile, configText(ROTATED));
      const dry = await runCli(['bootstrap', repo, '--dry-run', '--config', configFile], {
        cwd: dir,
      });
      expect(dry.stderr).toBe('');
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(
        `${STAGING} us-east-1 Rampart-shop-blue-Stage: alarms pushed by EventBridge to ${endpoint()}: shop-blue-5xx, shop-latency\n`,
      );
      expect(dry.stdout).not.toContain('Rampart-shop-dev-Stage: alarms');
      expect(dry.stdout + dry.stderr).not.toContain(ROTATED);

      const check = await runCli(['bootstrap', repo, '--check', '--config', configFile], {
        cwd: dir,
      });
      expect(check.stderr).toBe('');
      expect(check.code).toBe(0);
      expect(check.stdout).toContain(`public_url: ${server.url}/healthz answered 200\n`);

      // Nothing listens on this port: a warning, and the stage stacks are out of date.
      const closed = await freePort();
      writeFileSync(configFile, configText(ROTATED, `http://127.0.0.1:${closed}`));
      const unreachable = await runCli(['bootstrap', repo, '--check', '--config', configFile], {
        cwd: dir,
      });
      expect(unreachable.stderr).toContain(
        `warning: http://127.0.0.1:${closed}/healthz does not answer from here (ECONNREFUSED)`,
      );
      expect(unreachable.stdout).toContain(
        `${STAGING} us-east-1 Rampart-shop-blue-Stage: out of date`,
      );
      expect(unreachable.code).toBe(1);

      // Bad input: public_url without its token, or not an http(s) URL.
      writeFileSync(configFile, `${configText()}\npublic_url: ${server.url}\n`);
      const noToken = await runCli(['bootstrap', repo, '--config', configFile], { cwd: dir });
      expect(noToken.code).not.toBe(0);
      expect(noToken.stderr).toContain('public_url: needs alarm_push_token');
      writeFileSync(configFile, configText(ROTATED, 'ftp://rampart.acme.example'));
      const ftp = await runCli(['bootstrap', repo, '--config', configFile], { cwd: dir });
      expect(ftp.code).not.toBe(0);
      expect(ftp.stderr).toContain('public_url: must be an http:// or https:// URL');
    } finally {
      process.env = saved;
    }
  });

  it('removing public_url removes the wiring again', async () => {
    const plain = await bootstrap('deploy');
    expect(plain.outcome.ok).toBe(true);
    expect(stageResults(plain.events)).toEqual([
      'Rampart-shop-blue-Stage updated',
      'Rampart-shop-dev-Stage no-change',
      'Rampart-shop-green-Stage updated',
    ]);
    expect(await ruleNames()).toEqual([]);
    expect((await events.send(new ListConnectionsCommand({}))).Connections).toEqual([]);
  });
});

/** A port nothing listens on (bound once, then released). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
