/**
 * Bootstrap end to end against the sandbox (IAM enforced), with the multi-account example mapped
 * onto the sandbox's accounts and tokens from the issuer `rampart server` serves.
 *
 * The copy keeps the example's image artifact (ECR repositories in the pipeline and stage stacks)
 * and adds a zip bundle, so both kinds of artifact store are exercised.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  BatchCheckLayerAvailabilityCommand,
  CreateRepositoryCommand,
  ECRClient,
  InitiateLayerUploadCommand,
} from '@aws-sdk/client-ecr';
import {
  CreateOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  AwsClientFactory,
  bootstrapSettingsFrom,
  createCredentialBroker,
  loadPipelines,
  runBootstrap,
  type BootstrapEvent,
  type BootstrapMode,
  type ValidPipeline,
} from '@rampart/aws';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { issuerFromConfig } from '@rampart/identity';
import { parseControlPlaneConfig, type ControlPlaneConfig } from '@rampart/core';
import { startServer, type RunningServer } from '@rampart/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../packages/cli/src/main.js';
import { runCli } from '../../packages/cli/tests/run-cli.js';

/** A compact RS256 JWT with exactly these claims (what a misbehaving issuer could produce). */
async function signJwt(
  key: Parameters<typeof crypto.subtle.sign>[1],
  kid: string,
  claims: Record<string, unknown>,
) {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(claims)}`;
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, Buffer.from(input));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

const MANAGEMENT = '111111111111';
const CICD = '222222222222';
const STAGING = '444444444444';
const PROD = '555555555555';
const DEV = '333333333333';
const example = join(import.meta.dirname, '..', '..', 'examples', 'multi-account');

/** The example's pipeline with the sandbox's accounts and a bundle next to the image. */
function sandboxCopy(): string {
  const text = readFileSync(join(example, '.rampart', 'web', 'pipeline.yaml'), 'utf8')
    .replace("account_id: '222222222222'", `account_id: '${STAGING}'`)
    .replace(/account_id: '333333333333'/g, `account_id: '${PROD}'`)
    .replace(
      / {2}artifacts:\n/,
      `  artifacts:
    Web Bundle:
      type: BUNDLE:BUILD
      params:
        build_commands: zip -r web.zip app
        file_path: web.zip
`,
    );
  expect(text).toContain(`account_id: '${PROD}'`);
  expect(text).toContain('DOCKER:BUILD');
  return text;
}

describe('rampart bootstrap against the sandbox', () => {
  let sandbox: Sandbox;
  let server: RunningServer;
  let dir: string;
  let config: ControlPlaneConfig;
  let pipelines: ValidPipeline[];
  let sdk: AwsClientFactory;
  let repo: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-e2e-bootstrap-'));
    sandbox = await startSandbox();
    server = await startServer({
      config: { data_dir: join(dir, 'data') },
      listen: '127.0.0.1:0',
    });
    repo = join(dir, 'repo');
    mkdirSync(join(repo, '.rampart', 'web'), { recursive: true });
    writeFileSync(join(repo, '.rampart', 'web', 'pipeline.yaml'), sandboxCopy());
    writeFileSync(
      join(repo, '.rampart', 'web', 'aws_additional_iam_policies.json'),
      readFileSync(join(example, '.rampart', 'web', 'aws_additional_iam_policies.json')),
    );
    config = parseControlPlaneConfig({
      text: [
        'organization:',
        '  name: Acme',
        '  slug: acme',
        `  cicd_account_id: '${CICD}'`,
        '  cicd_account_region: us-east-1',
        `issuer_url: ${server.url}`,
        `data_dir: ${join(dir, 'data')}`,
        'aws:',
        `  endpoint_url: ${sandbox.endpoint}`,
      ].join('\n'),
      file: 'rampart.config.yaml',
    });
    const loaded = await loadPipelines(repo, bootstrapSettingsFrom(config));
    expect(loaded.errors).toEqual([]);
    pipelines = loaded.pipelines;
    // The admin of the management account: other accounts via OrganizationAccountAccessRole.
    sdk = new AwsClientFactory({
      endpointUrl: sandbox.endpoint,
      defaultCredentials: sandbox.credentialsFor(MANAGEMENT),
    });
  });
  afterAll(async () => {
    await server.stop();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const bootstrap = async (mode: BootstrapMode) => {
    const events: BootstrapEvent[] = [];
    const outcome = await runBootstrap({
      settings: bootstrapSettingsFrom(config),
      pipelines,
      mode,
      sdk,
      emit: (e) => events.push(e),
      poller: { sleep: () => new Promise((r) => setImmediate(r)), intervalMs: 0 },
    });
    return { outcome, events };
  };
  const results = (events: BootstrapEvent[]) =>
    events
      .flatMap((e) =>
        e.type === 'stack-done' ? [`${e.stack.accountId} ${e.stack.stackName} ${e.result}`] : [],
      )
      .sort();
  const web = () => {
    const found = pipelines[0];
    if (found === undefined) throw new Error('no pipeline');
    return found.model;
  };

  it('deploys every stack, then changes nothing on a second run', async () => {
    const first = await bootstrap('deploy');
    const failures = first.events.filter(
      (e) => e.type === 'stack-failed' || e.type === 'account-unreachable',
    );
    expect(failures).toEqual([]);
    expect(first.outcome).toEqual({ ok: true, failed: 0, notUpToDate: 0 });
    expect(results(first.events)).toEqual([
      `${CICD} Rampart-Account created`,
      `${CICD} Rampart-acme-Org created`,
      `${CICD} Rampart-web-Pipeline created`,
      `${STAGING} Rampart-Account created`,
      `${STAGING} Rampart-web-staging-Stage created`,
      `${PROD} Rampart-Account created`,
      `${PROD} Rampart-web-prod-us-east-1-Stage created`,
      `${PROD} Rampart-web-prod-us-west-2-Stage created`,
    ]);
    expect(first.events).toContainEqual({
      type: 'account-reached',
      accountId: CICD,
      via: 'OrganizationAccountAccessRole',
    });

    const second = await bootstrap('deploy');
    expect(second.outcome.ok).toBe(true);
    expect(results(second.events).every((r) => r.endsWith(' no-change'))).toBe(true);
    expect(results(second.events)).toHaveLength(8);

    const check = await bootstrap('check');
    expect(check.outcome).toEqual({ ok: true, failed: 0, notUpToDate: 0 });
    const dry = await bootstrap('dry-run');
    const changes = dry.events.flatMap((e) => (e.type === 'stack-diff' ? [e.change] : []));
    expect(changes).toHaveLength(8);
    expect(new Set(changes)).toEqual(new Set(['NO CHANGE']));
  });

  it("assumes each stage role with that stage's token only", async () => {
    const sts = sdk.webIdentitySts({ region: 'us-east-1', maxAttempts: 1 });
    const assumeWith = (token: string) =>
      sts
        .send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: `arn:aws:iam::${STAGING}:role/rampart-acme-web-staging`,
            RoleSessionName: 'e2e',
            WebIdentityToken: token,
          }),
        )
        .then(
          () => 'allowed',
          (error: Error) => error.name,
        );
    const assume = async (account: string, roleStage: string, tokenStage: string) => {
      const { token } = await server.issuer.mintToken({
        org: 'acme',
        pipeline: 'web',
        stage: tokenStage,
      });
      return sts
        .send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: `arn:aws:iam::${account}:role/rampart-acme-web-${roleStage}`,
            RoleSessionName: 'e2e',
            WebIdentityToken: token,
          }),
        )
        .then(
          (out) => out.AssumedRoleUser?.Arn ?? 'no user',
          (error: Error) => error.name,
        );
    };
    expect(await assume(STAGING, 'staging', 'staging')).toBe(
      `arn:aws:sts::${STAGING}:assumed-role/rampart-acme-web-staging/e2e`,
    );
    expect(await assume(PROD, 'prod-us-east-1', 'prod-us-east-1')).toContain('assumed-role');
    expect(await assume(STAGING, 'staging', 'prod-us-east-1')).toBe('AccessDenied');
    expect(await assume(PROD, 'prod-us-east-1', 'staging')).toBe('AccessDenied');
    expect(await assume(PROD, 'prod-us-east-1', 'prod-us-west-2')).toBe('AccessDenied');
    // Another pipeline's or organization's token for a stage of the same name.
    const foreign = async (org: string, pipeline: string) => {
      const { token } = await server.issuer.mintToken({ org, pipeline, stage: 'staging' });
      return sts
        .send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: `arn:aws:iam::${STAGING}:role/rampart-acme-web-staging`,
            RoleSessionName: 'e2e',
            WebIdentityToken: token,
          }),
        )
        .then(
          () => 'allowed',
          (error: Error) => error.name,
        );
    };
    expect(await foreign('acme', 'api')).toBe('AccessDenied');
    expect(await foreign('other', 'web')).toBe('AccessDenied');
    // A forged token: the right claims, a signature the issuer's keys did not make.
    const { token } = await server.issuer.mintToken({
      org: 'acme',
      pipeline: 'web',
      stage: 'staging',
    });
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('forged').toString('base64url')}`;
    const refused = await sts
      .send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: `arn:aws:iam::${STAGING}:role/rampart-acme-web-staging`,
          RoleSessionName: 'e2e',
          WebIdentityToken: forged,
        }),
      )
      .then(
        () => 'allowed',
        (error: Error) => error.name,
      );
    expect(refused).toBe('InvalidIdentityTokenException');

    // Signed by the server's own key, but for another audience.
    const { kid, privateKey } = await server.issuer.keys.signer();
    const now = Math.floor(Date.now() / 1000);
    const wrongAudience = await signJwt(privateKey, kid, {
      iss: server.url,
      sub: 'org:acme/pipeline:web/stage:staging',
      aud: 'not-sts.example',
      iat: now,
      nbf: now,
      exp: now + 300,
      jti: 'wrong-audience',
    });
    expect(await assumeWith(wrongAudience)).toBe('InvalidIdentityTokenException');

    // A genuine token of the right stage, minted an hour ago: expired by now.
    const pastIssuer = issuerFromConfig({
      config: { data_dir: join(dir, 'data') },
      issuerUrl: server.url,
      clock: { now: () => new Date(Date.now() - 3_600_000) },
    });
    const expired = await pastIssuer.mintToken({ org: 'acme', pipeline: 'web', stage: 'staging' });
    expect(expired.expiresAt.getTime()).toBeLessThan(Date.now());
    expect(await assumeWith(expired.token)).toBe('ExpiredTokenException');
  });

  it("gives a stage's credentials its steps' actions and denies the rest", async () => {
    const broker = createCredentialBroker({ org: 'acme', tokens: server.issuer, sdk });
    const staging = await broker.credentialsFor({ pipeline: web(), stage: 'staging' });
    const s3 = sdk.s3({ region: 'us-east-1', credentials: staging.credentials });
    const stateBucket = `${CICD}-rampart-acme-tfstate`;
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => 'allowed',
        (error: Error) => error.name,
      );

    // Terraform state under its own prefix (SSE-KMS with the org key, across accounts).
    expect(
      await outcome(
        s3.send(
          new PutObjectCommand({
            Bucket: stateBucket,
            Key: 'web/staging/terraform.tfstate',
            Body: '{"version":4}',
          }),
        ),
      ),
    ).toBe('allowed');
    expect(
      await outcome(
        s3.send(
          new GetObjectCommand({ Bucket: stateBucket, Key: 'web/staging/terraform.tfstate' }),
        ),
      ),
    ).toBe('allowed');
    // Another stage's state key.
    expect(
      await outcome(
        s3.send(
          new PutObjectCommand({
            Bucket: stateBucket,
            Key: 'web/prod-us-east-1/terraform.tfstate',
            Body: '{}',
          }),
        ),
      ),
    ).toBe('AccessDenied');
    // Its own bundle mirror, but not another stage's.
    expect(
      await outcome(
        s3.send(
          new PutObjectCommand({
            Bucket: `${STAGING}-web-staging-web-bundle`,
            Key: 'web.zip',
            Body: 'zip',
          }),
        ),
      ),
    ).toBe('allowed');
    expect(
      await outcome(
        s3.send(
          new PutObjectCommand({
            Bucket: `${PROD}-web-prod-us-east-1-web-bundle`,
            Key: 'web.zip',
            Body: 'zip',
          }),
        ),
      ),
    ).toBe('AccessDenied');
    // Its own image mirror, read access to the CI/CD copy, nothing on another stage's mirror.
    const ecr = new ECRClient({
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: staging.credentials,
      maxAttempts: 1,
    });
    const digest = `sha256:${'0'.repeat(64)}`;
    const layers = (registryId: string, repositoryName: string) =>
      outcome(
        ecr.send(
          new BatchCheckLayerAvailabilityCommand({
            registryId,
            repositoryName,
            layerDigests: [digest],
          }),
        ),
      );
    expect(
      await outcome(
        ecr.send(
          new InitiateLayerUploadCommand({
            registryId: STAGING,
            repositoryName: 'web-staging-web-image',
          }),
        ),
      ),
    ).toBe('allowed');
    expect(await layers(CICD, 'web-web-image')).toBe('allowed');
    expect(await layers(PROD, 'web-prod-us-east-1-web-image')).toBe('AccessDeniedException');
    expect(
      await outcome(
        ecr.send(
          new InitiateLayerUploadCommand({ registryId: CICD, repositoryName: 'web-web-image' }),
        ),
      ),
    ).toBe('AccessDeniedException');
    // An unused step type's action: no stage of the example deploys CloudFormation.
    const cfn = sdk.cloudFormation({ region: 'us-east-1', credentials: staging.credentials });
    expect(await outcome(cfn.send(new DescribeStacksCommand({})))).toBe('AccessDenied');
  });

  it("gives the build role its own pipeline's CI/CD copies only", async () => {
    const broker = createCredentialBroker({
      org: 'acme',
      tokens: server.issuer,
      sdk,
      cicd: { accountId: CICD, region: 'us-east-1' },
    });
    const build = await broker.buildCredentialsFor({ pipeline: web() });
    expect(build.roleArn).toBe(`arn:aws:iam::${CICD}:role/rampart-acme-web-build`);
    // Another pipeline's CI/CD repository and bucket, as its pipeline stack would hold them.
    const admin = sandbox.credentialsFor(CICD);
    const adminEcr = new ECRClient({
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: admin,
      maxAttempts: 1,
    });
    await adminEcr.send(new CreateRepositoryCommand({ repositoryName: 'shop-api' }));
    await sdk
      .s3({ region: 'us-east-1', credentials: admin })
      .send(new CreateBucketCommand({ Bucket: `${CICD}-shop-site` }));
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => 'allowed',
        (error: Error) => error.name,
      );
    const ecr = new ECRClient({
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: build.credentials,
      maxAttempts: 1,
    });
    const push = (registryId: string, repositoryName: string) =>
      outcome(ecr.send(new InitiateLayerUploadCommand({ registryId, repositoryName })));
    expect(await push(CICD, 'web-web-image')).toBe('allowed');
    expect(await push(CICD, 'shop-api')).toBe('AccessDeniedException');
    expect(await push(STAGING, 'web-staging-web-image')).toBe('AccessDeniedException');
    const s3 = sdk.s3({ region: 'us-east-1', credentials: build.credentials });
    const put = (Bucket: string) =>
      outcome(s3.send(new PutObjectCommand({ Bucket, Key: 'web.zip', Body: 'zip' })));
    expect(await put(`${CICD}-web-web-bundle`)).toBe('allowed');
    expect(await put(`${CICD}-shop-site`)).toBe('AccessDenied');
    expect(await put(`${STAGING}-web-staging-web-bundle`)).toBe('AccessDenied');
  });

  it('reports drift after a stage is added, fails on a resource, and recovers on a re-run', async () => {
    // A new stage "qa" in the dev account, running an S3 upload step the other stages do not.
    const file = join(repo, '.rampart', 'web', 'pipeline.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace(/( {6}region: us-[a-z0-9-]+\n)/g, '$1      skip: [Upload]\n')
        .replace(
          '  stages:\n',
          `  stages:\n    - name: qa\n      account_id: '${DEV}'\n      region: us-east-1\n      deployment_time_window: NONE\n      vars:\n        domain: qa.web.example.com\n`,
        )
        .replace(
          '  artifacts:\n',
          `    - name: Upload
      type: RAMPART:S3:UPLOAD
      params:
        source: app
        bucket: qa-site
  artifacts:\n`,
        ),
    );
    const loaded = await loadPipelines(repo, bootstrapSettingsFrom(config));
    expect(loaded.errors).toEqual([]);
    pipelines = loaded.pipelines;

    const check = await bootstrap('check');
    expect(check.outcome.ok).toBe(false);
    const states = Object.fromEntries(
      check.events.flatMap((e) =>
        e.type === 'stack-check' ? [[`${e.stack.accountId} ${e.stack.stackName}`, e.state]] : [],
      ),
    );
    expect(states).toMatchObject({
      [`${DEV} Rampart-Account`]: 'missing',
      [`${DEV} Rampart-web-qa-Stage`]: 'missing',
      [`${CICD} Rampart-acme-Org`]: 'out-of-date',
      [`${CICD} Rampart-web-Pipeline`]: 'out-of-date',
      [`${STAGING} Rampart-web-staging-Stage`]: 'up-to-date',
      [`${PROD} Rampart-web-prod-us-east-1-Stage`]: 'up-to-date',
    });
    const dry = await bootstrap('dry-run');
    const qaDiff = dry.events.find(
      (e) => e.type === 'stack-diff' && e.stack.stackName === 'Rampart-web-qa-Stage',
    );
    expect(qaDiff?.type === 'stack-diff' && qaDiff.change).toBe('CREATE');
    expect(
      qaDiff?.type === 'stack-diff' && qaDiff.diff.roles[0]?.added.includes('s3:PutObject'),
    ).toBe(true);

    // The dev account already has a provider for the issuer, for another audience: it is adopted.
    const devIam = sdk.iam({ region: 'us-east-1', credentials: sandbox.credentialsFor(DEV) });
    const existing = await devIam.send(
      new CreateOpenIDConnectProviderCommand({ Url: server.url, ClientIDList: ['other-client'] }),
    );

    // Someone else holds the qa mirror bucket's name: the qa stack fails and rolls back.
    const squatter = sdk.s3({ region: 'us-east-1', credentials: sandbox.credentialsFor(CICD) });
    const mirror = `${DEV}-web-qa-web-bundle`;
    await squatter.send(new CreateBucketCommand({ Bucket: mirror }));
    const failed = await bootstrap('deploy');
    expect(failed.outcome.ok).toBe(false);
    const failure = failed.events.find((e) => e.type === 'stack-failed');
    expect(failure?.type === 'stack-failed' && failure.stack.stackName).toBe(
      'Rampart-web-qa-Stage',
    );
    expect(failure?.type === 'stack-failed' && failure.message).toMatch(
      /Rampart-web-qa-Stage in account 333333333333.*BundleBucketWebBundle \(AWS::S3::Bucket\) CREATE_FAILED: .+/,
    );
    expect(results(failed.events)).toEqual(
      [
        `${CICD} Rampart-Account no-change`,
        `${CICD} Rampart-acme-Org updated`,
        `${CICD} Rampart-web-Pipeline updated`,
        `${STAGING} Rampart-Account no-change`,
        `${STAGING} Rampart-web-staging-Stage no-change`,
        `${DEV} Rampart-Account created`,
        `${PROD} Rampart-Account no-change`,
        `${PROD} Rampart-web-prod-us-east-1-Stage no-change`,
        `${PROD} Rampart-web-prod-us-west-2-Stage no-change`,
      ].sort(),
    );

    // The name is free again: the re-run deletes the rolled-back stack and creates it anew.
    await squatter.send(new DeleteBucketCommand({ Bucket: mirror }));
    const rerun = await bootstrap('deploy');
    expect(rerun.outcome.ok).toBe(true);
    expect(rerun.events).toContainEqual(
      expect.objectContaining({ type: 'stack-deleting', status: 'ROLLBACK_COMPLETE' }),
    );
    expect(results(rerun.events)).toContain(`${DEV} Rampart-web-qa-Stage created`);
    const adopted = await devIam.send(
      new GetOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: existing.OpenIDConnectProviderArn,
      }),
    );
    expect(adopted.ClientIDList?.sort()).toEqual(['other-client', 'sts.amazonaws.com']);
    const providers = await devIam.send(new ListOpenIDConnectProvidersCommand({}));
    expect(providers.OpenIDConnectProviderList).toHaveLength(1);
    // The qa role, trusting the adopted provider, is assumable with the qa token.
    const qa = await createCredentialBroker({
      org: 'acme',
      tokens: server.issuer,
      sdk,
    }).credentialsFor({ pipeline: web(), stage: 'qa' });
    expect(qa.roleArn).toBe(`arn:aws:iam::${DEV}:role/rampart-acme-web-qa`);
    expect((await bootstrap('check')).outcome.ok).toBe(true);
  });

  it('runs through the CLI: bootstrap --check / --dry-run, and exec with the stage credentials', async () => {
    const configFile = join(dir, 'rampart.config.yaml');
    writeFileSync(
      configFile,
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
      ].join('\n'),
    );
    // The CLI takes the caller's credentials from the SDK's default chain: the environment.
    const admin = sandbox.credentialsFor(MANAGEMENT);
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: admin.accessKeyId,
      AWS_SECRET_ACCESS_KEY: admin.secretAccessKey,
    });
    try {
      const check = await runCli(['bootstrap', repo, '--check', '--config', configFile], {
        cwd: dir,
      });
      expect(check.stderr).toBe('');
      expect(check.code).toBe(0);
      expect(check.stdout).toContain(`${DEV} us-east-1 Rampart-web-qa-Stage: up to date\n`);
      expect(check.stdout).toContain('every stack is up to date\n');
      const dry = await runCli(['bootstrap', repo, '--dry-run', '--config', configFile], {
        cwd: dir,
      });
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(`${STAGING} us-east-1 Rampart-web-staging-Stage: NO CHANGE\n`);
      expect(dry.stdout).toMatch(/role rampart-acme-web-qa:\n(.*\n)*\s+s3:PutObject\n/);
      // On a terminal: one line per stack, redrawn in place.
      let screen = '';
      const code = await main(['bootstrap', repo, '--config', configFile], {
        stdout: (t) => {
          screen += t;
        },
        stderr: (t) => {
          screen += t;
        },
        isTty: true,
        cwd: dir,
        env: {},
      });
      expect(code).toBe(0);
      expect(screen).toContain('\x1b[');
      const finalBoard = screen.split('\x1b[J').at(-1) ?? '';
      expect(finalBoard).toContain(`${DEV} us-east-1 Rampart-web-qa-Stage  no changes\n`);
      expect(finalBoard.split('\n').filter((l) => l.endsWith('  no changes'))).toHaveLength(10);
      const bad = await runCli(['bootstrap', repo, '--check', '--dry-run'], { cwd: dir });
      expect(bad.code).toBe(2);
    } finally {
      process.env = saved;
    }

    const out = join(dir, 'exec-env.json');
    const script = `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('AWS_'))))); process.exit(7);`;
    const exec = await runCli(
      [
        'exec',
        '--pipeline',
        'web',
        '--stage',
        'staging',
        '--config',
        configFile,
        repo,
        '--',
        process.execPath,
        '-e',
        script,
      ],
      { cwd: dir, env: { PATH: process.env.PATH, AWS_PROFILE: 'leaks' } },
    );
    expect(exec.stderr).toBe('');
    expect(exec.code).toBe(7);
    const env = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
    expect(Object.keys(env).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_DEFAULT_REGION',
      'AWS_ENDPOINT_URL',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
    ]);
    expect(env.AWS_REGION).toBe('us-east-1');
    expect(env.AWS_ENDPOINT_URL).toBe(sandbox.endpoint);
    const me = await sdk
      .sts({
        region: 'us-east-1',
        credentials: {
          accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
          sessionToken: env.AWS_SESSION_TOKEN ?? '',
        },
      })
      .send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(
      `arn:aws:sts::${STAGING}:assumed-role/rampart-acme-web-staging/rampart-exec`,
    );

    // As a real process: SIGTERM sent to rampart reaches the command, whose exit status wins.
    const child = `process.on('SIGTERM', () => { console.log('command caught SIGTERM'); process.exit(3); }); console.log('ready'); setInterval(() => {}, 1000);`;
    const rampart = spawn(
      process.execPath,
      [
        join(import.meta.dirname, '..', '..', 'packages', 'cli', 'bin', 'rampart.js'),
        'exec',
        '--pipeline',
        'web',
        '--stage',
        'staging',
        '--config',
        configFile,
        repo,
        '--',
        process.execPath,
        '-e',
        child,
      ],
      { cwd: dir, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    rampart.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => rampart.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      rampart.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready\n')) resolve();
      });
      rampart.once('exit', () => reject(new Error(`rampart exited early: ${output}`)));
    });
    rampart.kill('SIGTERM');
    expect(await exited).toBe(3);
    expect(output).toContain('command caught SIGTERM');
  });

  it('names the account, the role tried and the flag when an account is unreachable', async () => {
    const events: BootstrapEvent[] = [];
    const outcome = await runBootstrap({
      settings: bootstrapSettingsFrom(config),
      pipelines,
      mode: 'check',
      sdk,
      targetAccountRoleName: 'NoSuchRole',
      emit: (e) => events.push(e),
    });
    expect(outcome.ok).toBe(false);
    const unreachable = events.filter((e) => e.type === 'account-unreachable');
    expect(unreachable.map((e) => e.accountId).sort()).toEqual([CICD, DEV, STAGING, PROD].sort());
    expect(unreachable[0]?.type === 'account-unreachable' && unreachable[0].message).toMatch(
      /cannot reach account \d{12} from account 111111111111: tried arn:aws:iam::\d{12}:role\/NoSuchRole \(AccessDenied\).*--target-account-role-name/,
    );
  });
});
