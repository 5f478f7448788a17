import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ManualClock, startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { isRampartError, stageRoleName } from '@rampart/core';
import type { StageTarget } from '@rampart/engine';
import { startServer, type RunningServer } from '@rampart/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialBroker } from '../credentials/credential-broker.js';
import { AwsClientFactory } from '../sdk/aws-client-factory.js';
import { pipelineFrom, removeTempRepos, type LoadedPipeline } from '../test-support/pipelines.js';
import { BrokerCredentialsProvider } from './broker-credentials-provider.js';
import { CloudWatchAlarmReader } from './cloudwatch-alarm-reader.js';

const STAGING = '444444444444';
const ROLE = stageRoleName({ org: 'acme', slug: 'app', stage: 'staging' });
const PIPELINE = `version: '1.0.0'
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: '${STAGING}'
      region: us-east-1
      auto_rollback_alarm_name: app-5xx
  steps:
    - name: Bake
      type: RAMPART:APPROVAL:BAKE
      params:
        duration_minutes: 1
`;
const TARGET: StageTarget = {
  pipelineId: 'pl-app',
  pipelineSlug: 'app',
  stage: 'staging',
  accountId: STAGING,
  region: 'us-east-1',
  role: ROLE,
};

describe('BrokerCredentialsProvider', () => {
  const clock = new ManualClock(new Date());
  let sandbox: Sandbox;
  let server: RunningServer;
  let dataDir: string;
  let app: LoadedPipeline;
  let sdk: AwsClientFactory;
  const resolved: StageTarget[] = [];

  const provider = () =>
    new BrokerCredentialsProvider({
      broker: createCredentialBroker({ org: 'acme', tokens: server.issuer, sdk, clock }),
      pipelines: (target) => {
        resolved.push(target);
        return target.pipelineId === 'pl-app' ? app.model : undefined;
      },
    });
  const exchanges = () =>
    sandbox.control.requestLog({ service: 'sts', action: 'AssumeRoleWithWebIdentity' }).length;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rampart-engine-adapters-'));
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    server = await startServer({ config: { data_dir: dataDir }, listen: '127.0.0.1:0', clock });
    sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, clock });
    app = await pipelineFrom(
      {
        organization: {
          slug: 'acme',
          cicd_account_id: '222222222222',
          cicd_account_region: 'us-east-1',
        },
        issuerUrl: server.url,
      },
      PIPELINE,
    );
  });
  afterAll(async () => {
    await server.stop();
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
    removeTempRepos();
  });
  beforeEach(async () => {
    sandbox.control.reset();
    resolved.length = 0;
    // What bootstrap creates for the stage: the OIDC provider and the role its token may assume.
    const iam = sdk.iam({ region: 'us-east-1', credentials: sandbox.credentialsFor(STAGING) });
    const host = server.url.replace(/^https?:\/\//, '');
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: server.url,
        ClientIDList: ['sts.amazonaws.com'],
      }),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: ROLE,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:aws:iam::${STAGING}:oidc-provider/${host}` },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: {
                  [`${host}:aud`]: 'sts.amazonaws.com',
                  [`${host}:sub`]: 'org:acme/pipeline:app/stage:staging',
                },
              },
            },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: ROLE,
        PolicyName: 'alarms',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: '*' }],
        }),
      }),
    );
  });

  it('issues the stage role’s credentials in a session naming the deployment', async () => {
    const got = await provider().credentialsFor(TARGET, 'pl-app:7');
    expect(resolved).toEqual([TARGET]);
    expect(got.accessKeyId).toMatch(/^ASIA/);
    expect(got.sessionToken).toBeTruthy();
    expect(got.expiration?.getTime()).toBeGreaterThan(clock.now().getTime());
    const me = await sdk
      .sts({ region: 'us-east-1', credentials: got })
      .send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`arn:aws:sts::${STAGING}:assumed-role/${ROLE}/rampart-pl-app-7`);
  });

  it('lets the alarm reader read the stage’s alarms with those credentials', async () => {
    const admin = sdk.cloudWatch({
      region: 'us-east-1',
      credentials: sandbox.credentialsFor(STAGING),
    });
    await admin.send(
      new PutMetricAlarmCommand({
        AlarmName: 'app-5xx',
        Namespace: 'App',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    await admin.send(
      new SetAlarmStateCommand({ AlarmName: 'app-5xx', StateValue: 'ALARM', StateReason: 'test' }),
    );
    const reader = new CloudWatchAlarmReader({ sdk, credentials: provider() });
    const readings = await reader.readAlarms(TARGET, ['app-5xx']);
    expect(readings.map((r) => [r.alarm, r.state])).toEqual([['app-5xx', 'ALARM']]);
    expect(exchanges()).toBe(1);
  });

  it('refuses an unregistered pipeline and a stage that moved, before asking STS', async () => {
    const unknown = await provider()
      .credentialsFor({ ...TARGET, pipelineId: 'pl-gone', pipelineSlug: 'gone' })
      .catch((e: unknown) => e);
    expect(isRampartError(unknown) && unknown.code).toBe('AWS_CREDENTIALS_FAILED');
    expect((unknown as Error).message).toBe(
      'no registered pipeline "gone" (id pl-gone) to issue stage "staging" credentials for',
    );
    const moved = await provider()
      .credentialsFor({ ...TARGET, accountId: '555555555555' })
      .catch((e: unknown) => e);
    expect(isRampartError(moved) && moved.code).toBe('AWS_CREDENTIALS_FAILED');
    expect((moved as Error).message).toBe(
      `pipeline "app" stage "staging" now deploys to account ${STAGING} in us-east-1, but this deployment's plan targets account 555555555555 in us-east-1`,
    );
    expect(exchanges()).toBe(0);
  });
});
