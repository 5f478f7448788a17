// End to end: tokens from a running Rampart server, exchanged by the sandbox's STS as AWS would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ManualClock, startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index.js';

const STAGING = '444444444444';
const ROLE = 'rampart-acme-web-staging';

describe('AssumeRoleWithWebIdentity with tokens from startServer', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let server: RunningServer;
  let sts: STSClient;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rampart-server-sts-'));
    sandbox = await startSandbox({ clock });
    server = await startServer({ config: { data_dir: dataDir }, listen: '127.0.0.1:0', clock });
    const provider = server.issuer.issuerUrl.replace(/^https?:\/\//, '');
    const iam = new IAMClient({
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      credentials: sandbox.credentialsFor(STAGING),
      maxAttempts: 1,
      systemClockOffset: clock.now().getTime() - Date.now(),
    });
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: server.issuer.issuerUrl,
        ClientIDList: ['sts.amazonaws.com'],
      }),
    );
    // The trust policy bootstrap writes: this stage's subject and the STS audience, nothing else.
    await iam.send(
      new CreateRoleCommand({
        RoleName: ROLE,
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
    sts = new STSClient({ endpoint: sandbox.endpoint, region: sandbox.region, maxAttempts: 1 });
  });

  afterAll(async () => {
    sts.destroy();
    await server.stop();
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const assume = (token: string) =>
    sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: `arn:aws:iam::${STAGING}:role/${ROLE}`,
        RoleSessionName: 'deployment-1',
        WebIdentityToken: token,
      }),
    );

  it("the stage's own token assumes the stage role", async () => {
    const { token } = await server.issuer.mintToken({
      org: 'acme',
      pipeline: 'web',
      stage: 'staging',
      deploymentId: 'dep-1',
    });
    const result = await assume(token);
    expect(result.SubjectFromWebIdentityToken).toBe('org:acme/pipeline:web/stage:staging');
    expect(result.Audience).toBe('sts.amazonaws.com');
    expect(result.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${STAGING}:assumed-role/${ROLE}/deployment-1`,
    );
    expect(result.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  it("another stage's, pipeline's or organization's token is denied", async () => {
    for (const request of [
      { org: 'acme', pipeline: 'web', stage: 'prod' },
      { org: 'acme', pipeline: 'api', stage: 'staging' },
      { org: 'other', pipeline: 'web', stage: 'staging' },
    ]) {
      const { token } = await server.issuer.mintToken(request);
      await expect(assume(token)).rejects.toMatchObject({
        name: 'AccessDenied',
        message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      });
    }
  });

  it('after a rotation, tokens of the new key and of the retired key are both accepted', async () => {
    const request = { org: 'acme', pipeline: 'web', stage: 'staging' };
    const old = await server.issuer.mintToken(request);
    await server.issuer.keys.rotate();
    const fresh = await server.issuer.mintToken(request);
    expect(fresh.kid).not.toBe(old.kid);
    // The new kid is unknown to the sandbox's cached key set: it fetches the JWKS again.
    await expect(assume(fresh.token)).resolves.toMatchObject({ Audience: 'sts.amazonaws.com' });
    await expect(assume(old.token)).resolves.toMatchObject({ Audience: 'sts.amazonaws.com' });
  });

  it('an expired token fails with the real STS error', async () => {
    const { token } = await server.issuer.mintToken({
      org: 'acme',
      pipeline: 'web',
      stage: 'staging',
      lifetimeSeconds: 60,
    });
    clock.advance(61_000);
    await expect(assume(token)).rejects.toMatchObject({ name: 'ExpiredTokenException' });
  });
});

describe('an issuer URL with a path, end to end', () => {
  it('the sandbox finds the documents under the path and accepts the token', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const dataDir = mkdtempSync(join(tmpdir(), 'rampart-server-sts-path-'));
    const sandbox = await startSandbox({ clock });
    // Learn a free port, then serve an issuer on it whose URL carries a path.
    const probe = await startServer({
      config: { data_dir: dataDir },
      listen: '127.0.0.1:0',
      clock,
    });
    await probe.stop();
    const issuerUrl = `${probe.url}/rampart/prod`;
    const server = await startServer({
      config: { data_dir: dataDir, issuer_url: issuerUrl },
      listen: `127.0.0.1:${new URL(probe.url).port}`,
      clock,
    });
    try {
      const provider = issuerUrl.replace(/^http:\/\//, '');
      const iam = new IAMClient({
        endpoint: sandbox.endpoint,
        region: sandbox.region,
        credentials: sandbox.credentialsFor(STAGING),
        maxAttempts: 1,
        systemClockOffset: clock.now().getTime() - Date.now(),
      });
      await iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: issuerUrl,
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
                Principal: { Federated: `arn:aws:iam::${STAGING}:oidc-provider/${provider}` },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: {
                  StringEquals: { [`${provider}:sub`]: 'org:acme/pipeline:web/stage:staging' },
                },
              },
            ],
          }),
        }),
      );
      iam.destroy();
      const sts = new STSClient({
        endpoint: sandbox.endpoint,
        region: sandbox.region,
        maxAttempts: 1,
      });
      const { token } = await server.issuer.mintToken({
        org: 'acme',
        pipeline: 'web',
        stage: 'staging',
      });
      const result = await sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: `arn:aws:iam::${STAGING}:role/${ROLE}`,
          RoleSessionName: 'path-issuer',
          WebIdentityToken: token,
        }),
      );
      sts.destroy();
      expect(result.Provider).toBe(provider);
      expect(result.SubjectFromWebIdentityToken).toBe('org:acme/pipeline:web/stage:staging');
    } finally {
      await server.stop();
      await sandbox.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
