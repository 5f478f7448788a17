import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ManualClock, startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import {
  buildOidcSubject,
  buildRoleName,
  buildTrustPolicy,
  isRampartError,
  stageRoleName,
} from '@rampart/core';
import { startServer, type RunningServer } from '@rampart/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsClientFactory } from '../sdk/aws-client-factory.js';
import { pipelineFrom, removeTempRepos, type LoadedPipeline } from '../test-support/pipelines.js';
import { createCredentialBroker, type CredentialBrokerOptions } from './credential-broker.js';

const STAGING = '444444444444';
const PIPELINE = `version: '1.0.0'
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: '${STAGING}'
      region: us-east-1
    - name: prod
      account_id: '555555555555'
      region: us-east-1
  steps:
    - name: Bake
      type: RAMPART:APPROVAL:BAKE
      params:
        duration_minutes: 1
`;

describe('createCredentialBroker', () => {
  const clock = new ManualClock(new Date());
  let sandbox: Sandbox;
  let server: RunningServer;
  let dataDir: string;
  let app: LoadedPipeline;
  let sdk: AwsClientFactory;
  const sleeps: number[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rampart-broker-'));
    sandbox = await startSandbox({ clock });
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
    sleeps.length = 0;
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
        RoleName: stageRoleName({ org: 'acme', slug: 'app', stage: 'staging' }),
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
  });

  const broker = (options: Partial<CredentialBrokerOptions> = {}) =>
    createCredentialBroker({
      org: 'acme',
      tokens: server.issuer,
      sdk,
      clock,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      ...options,
    });
  const exchanges = () =>
    sandbox.control.requestLog({ service: 'sts', action: 'AssumeRoleWithWebIdentity' }).length;

  it('assumes the stage role with a token of that stage, in a session naming the deployment', async () => {
    const got = await broker().credentialsFor({
      pipeline: app.model,
      stage: 'staging',
      deploymentId: 'dep 42/x',
    });
    expect(got.roleArn).toBe(`arn:aws:iam::${STAGING}:role/rampart-acme-app-staging`);
    expect(got.sessionName).toBe('rampart-dep-42-x');
    expect(got.region).toBe('us-east-1');
    const sts = sdk.sts({ region: 'us-east-1', credentials: got.credentials });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(
      `arn:aws:sts::${STAGING}:assumed-role/rampart-acme-app-staging/rampart-dep-42-x`,
    );
  });

  it('caches credentials until five minutes before expiry, then refreshes them from a new token', async () => {
    const b = broker();
    const target = { pipeline: app.model, stage: 'staging' };
    const first = await b.credentialsFor(target);
    expect(first.sessionName).toBe('rampart-exec');
    const [again, concurrent] = await Promise.all([
      b.credentialsFor(target),
      b.credentialsFor(target),
    ]);
    expect(again.credentials.accessKeyId).toBe(first.credentials.accessKeyId);
    expect(concurrent.credentials.accessKeyId).toBe(first.credentials.accessKeyId);
    expect(exchanges()).toBe(1);

    const lifetime = first.credentials.expiration.getTime() - clock.now().getTime();
    clock.advance(lifetime - 300_000 - 1_000); // still more than five minutes left
    expect((await b.credentialsFor(target)).credentials.accessKeyId).toBe(
      first.credentials.accessKeyId,
    );
    expect(exchanges()).toBe(1);

    clock.advance(2_000); // now inside the five-minute margin
    const provider = b.providerFor(target);
    const refreshed = await provider();
    expect(refreshed.accessKeyId).not.toBe(first.credentials.accessKeyId);
    expect(exchanges()).toBe(2);
    // The refreshed credentials are a direct web-identity session, usable through the provider.
    const me = await sdk
      .sts({ region: 'us-east-1', credentials: provider })
      .send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toContain('assumed-role/rampart-acme-app-staging/rampart-exec');
  });

  it('retries throttling with growing backoff and a fresh token each time', async () => {
    sandbox.control.injectFault({
      service: 'sts',
      action: 'AssumeRoleWithWebIdentity',
      kind: 'throttle',
      times: 2,
    });
    const got = await broker().credentialsFor({ pipeline: app.model, stage: 'staging' });
    expect(got.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(sleeps).toEqual([200, 400]);
    expect(exchanges()).toBe(3);
  });

  it('gives up after maxAttempts with a retryable AWS_CREDENTIALS_FAILED', async () => {
    sandbox.control.injectFault({
      service: 'sts',
      action: 'AssumeRoleWithWebIdentity',
      kind: 'throttle',
      times: 'always',
    });
    const error = await broker({ maxAttempts: 3 })
      .credentialsFor({ pipeline: app.model, stage: 'staging' })
      .catch((e: unknown) => e);
    expect(isRampartError(error) && error.code).toBe('AWS_CREDENTIALS_FAILED');
    expect(isRampartError(error) && error.retryable).toBe(true);
    expect(String(error)).toMatch(/after 3 attempts/);
    expect(sleeps).toEqual([200, 400]);
  });

  it('does not retry a refusal: another stage role is AccessDenied at once', async () => {
    const error = await broker()
      .credentialsFor({ pipeline: app.model, stage: 'prod' })
      .catch((e: unknown) => e);
    expect(isRampartError(error) && error.code).toBe('AWS_CREDENTIALS_FAILED');
    expect(String((error as Error).message)).toContain('rampart-acme-app-prod');
    expect(sleeps).toEqual([]);
  });

  it('assumes the build role in the CI/CD account with a build token, which no stage role trusts', async () => {
    const CICD = '222222222222';
    const host = server.url.replace(/^https?:\/\//, '');
    const iam = sdk.iam({ region: 'us-east-1', credentials: sandbox.credentialsFor(CICD) });
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: server.url,
        ClientIDList: ['sts.amazonaws.com'],
      }),
    );
    const trust = buildTrustPolicy({
      partition: 'aws',
      accountId: CICD,
      issuerHost: host,
      subject: buildOidcSubject({ org: 'acme', slug: 'app' }),
    });
    await iam.send(
      new CreateRoleCommand({
        RoleName: buildRoleName({ org: 'acme', slug: 'app' }),
        AssumeRolePolicyDocument: JSON.stringify(trust),
      }),
    );
    const b = broker({ cicd: { accountId: CICD, region: 'us-east-1' } });
    const got = await b.buildCredentialsFor({ pipeline: app.model, deploymentId: 'dep-1' });
    expect(got).toMatchObject({
      roleArn: `arn:aws:iam::${CICD}:role/rampart-acme-app-build`,
      accountId: CICD,
      sessionName: 'rampart-dep-1',
    });
    const me = await sdk
      .sts({
        region: 'us-east-1',
        credentials: b.buildProviderFor({ pipeline: app.model, deploymentId: 'dep-1' }),
      })
      .send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`arn:aws:sts::${CICD}:assumed-role/rampart-acme-app-build/rampart-dep-1`);
    // Cached apart from the stage credentials of the same deployment, and reused.
    await b.credentialsFor({ pipeline: app.model, stage: 'staging', deploymentId: 'dep-1' });
    await b.buildCredentialsFor({ pipeline: app.model, deploymentId: 'dep-1' });
    expect(exchanges()).toBe(2);
    // A stage token presented to the build role is refused by its trust policy.
    const { token } = await server.issuer.mintToken({
      org: 'acme',
      pipeline: 'app',
      stage: 'staging',
    });
    const refused = await sdk
      .webIdentitySts({ region: 'us-east-1' })
      .send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: got.roleArn,
          RoleSessionName: 'probe',
          WebIdentityToken: token,
        }),
      )
      .catch((e: unknown) => e);
    expect((refused as Error).name).toBe('AccessDenied');
  });

  it('has no build credentials without the CI/CD account', async () => {
    const error = await broker()
      .buildCredentialsFor({ pipeline: app.model })
      .catch((e: unknown) => e);
    expect(isRampartError(error) && error.code).toBe('AWS_CREDENTIALS_FAILED');
    expect(exchanges()).toBe(0);
  });

  it('refuses a stage the pipeline does not have, naming the stages it has', async () => {
    const error = await broker()
      .credentialsFor({ pipeline: app.model, stage: 'qa' })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'pipeline "app" has no stage "qa" (stages: staging, prod)',
    );
    expect(exchanges()).toBe(0);
  });
});
