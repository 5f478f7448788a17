// End to end: a pipeline registered from a git repository deployed through the API, its script
// step running with stage credentials the sandbox's STS issued for Rampart's own OIDC tokens
// (IAM enforced: the role trusts this pipeline's stage only).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { stageRoleName } from '@rampart/core';
import type { DeploymentDetail, LogListResponse } from '@rampart/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index.js';
import { TestGitRepo } from '../src/test-support/git-repo.js';

const STAGING = '444444444444';
const PIPELINE = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: "${STAGING}"
      region: us-east-1
  steps:
    - name: Smoke
      type: RAMPART:SCRIPT:RUN
      params:
        command: 'echo "key \${AWS_ACCESS_KEY_ID:0:4} in $AWS_REGION"; echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)" >> "$RAMPART_OUTPUT"'
    - name: Sign-off
      type: RAMPART:APPROVAL:MANUAL
`;

describe('a deployment through the API against the sandbox', () => {
  let dir: string;
  let sandbox: Sandbox;
  let server: RunningServer;
  let token: string;

  const call = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-e2e-deploy-'));
    const repo = new TestGitRepo(join(dir, 'repo'), dir);
    repo.commit({ '.rampart/web/pipeline.yaml': PIPELINE }, 'web pipeline');
    sandbox = await startSandbox();
    server = await startServer({
      config: {
        data_dir: join(dir, 'data'),
        organization: {
          name: 'Acme',
          slug: 'acme',
          cicd_account_id: '222222222222',
          cicd_account_region: 'us-east-1',
        },
        aws: { endpoint_url: sandbox.endpoint },
      },
      listen: '127.0.0.1:0',
      runtime: { storePollIntervalMs: 200 },
    });
    token = server.firstAdminToken?.secret ?? '';
    // What bootstrap creates in the stage account: the issuer's OIDC provider, and the stage role
    // trusting only this organization, pipeline and stage.
    const provider = server.issuer.issuerUrl.replace(/^https?:\/\//, '');
    const iam = new IAMClient({
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      credentials: sandbox.credentialsFor(STAGING),
      maxAttempts: 1,
    });
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: server.issuer.issuerUrl,
        ClientIDList: ['sts.amazonaws.com'],
      }),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: stageRoleName({ org: 'acme', slug: 'web', stage: 'staging' }),
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:aws:iam::${STAGING}:oidc-provider/${provider}` },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: {
                  [`${provider}:aud`]: 'sts.amazonaws.com',
                  [`${provider}:sub`]: 'org:acme/pipeline:web/stage:staging',
                },
              },
            },
          ],
        }),
      }),
    );
    iam.destroy();
    const registered = await call('POST', '/api/v1/pipelines', {
      slug: 'web',
      source: { kind: 'git', location: repo.dir },
    });
    expect(registered.status).toBe(201);
  });

  afterAll(async () => {
    await server.stop();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys, waits for the sign-off, and shows the script log written with STS credentials', async () => {
    const started = await call<{ deployment: { revision: number } }>(
      'POST',
      '/api/v1/pipelines/web/deployments',
      { reason: 'first release' },
    );
    expect(started).toMatchObject({ status: 201, body: { deployment: { revision: 1 } } });
    await server.runtime.whenIdle();
    const waiting = await call<{ deployment: DeploymentDetail }>(
      'GET',
      '/api/v1/pipelines/web/deployments/1',
    );
    const steps = waiting.body.deployment.stages[0]?.steps ?? [];
    expect(steps.map((s) => [s.name, s.status, s.error?.message])).toEqual([
      ['Smoke', 'succeeded', undefined],
      ['Sign-off', 'waiting_for_approval', undefined],
    ]);
    // A checkout of the commit's files, not the repository: there is no .git to read.
    expect(steps[0]?.outputs).toEqual({ commit: 'none' });

    const approved = await call('POST', '/api/v1/pipelines/web/operations', {
      kind: 'approve',
      revision: 1,
      stage: 'staging',
      step: 'Sign-off',
      reason: 'smoke test passed',
    });
    expect(approved.status).toBe(200);
    await server.runtime.whenIdle();
    const done = await call<{ deployment: DeploymentDetail }>(
      'GET',
      '/api/v1/pipelines/web/deployments/1',
    );
    expect(done.body.deployment.status).toBe('succeeded');

    const logs = await call<LogListResponse>('GET', '/api/v1/pipelines/web/deployments/1/logs');
    // Session credentials from STS start with ASIA; the broker found the role by its trust policy.
    expect(logs.body.lines.map((l) => l.text)).toContain('key ASIA in us-east-1');
  });
});
