// End to end: documents published to the sandbox's S3 are what its STS fetches to verify tokens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyRingFromConfig, OidcIssuer, publishIssuerDocuments } from '../src/index.js';

const CICD = '222222222222';
const PROD = '555555555555';
const BUCKET = 'acme-oidc-issuer';

describe('publishIssuerDocuments to the sandbox S3', () => {
  let sandbox: Sandbox;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rampart-publish-'));
    sandbox = await startSandbox();
    const s3 = new S3Client({
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      credentials: sandbox.credentialsFor(CICD),
      forcePathStyle: true,
      maxAttempts: 1,
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: BUCKET,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: `arn:aws:s3:::${BUCKET}/rampart/.well-known/*`,
            },
          ],
        }),
      }),
    );
    s3.destroy();
  });

  afterAll(async () => {
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes both documents publicly, and STS verifies tokens of that issuer with them', async () => {
    const keys = keyRingFromConfig({ config: { data_dir: dataDir } });
    const result = await publishIssuerDocuments({
      keys,
      bucket: BUCKET,
      prefix: 'rampart',
      region: sandbox.region,
      endpoint: sandbox.endpoint,
      credentials: sandbox.credentialsFor(CICD),
    });
    const issuerUrl = `${sandbox.endpoint}/${BUCKET}/rampart`;
    expect(result.issuerUrl).toBe(issuerUrl);

    // Anonymous reads, as AWS makes them.
    const discovery = await fetch(`${issuerUrl}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(discovery.headers.get('content-type')).toBe('application/json');
    expect(await discovery.json()).toMatchObject({
      issuer: issuerUrl,
      jwks_uri: `${issuerUrl}/.well-known/jwks.json`,
    });
    const jwks = (await (await fetch(`${issuerUrl}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual(result.kids);

    const provider = issuerUrl.replace(/^http:\/\//, '');
    const iam = new IAMClient({
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      credentials: sandbox.credentialsFor(PROD),
      maxAttempts: 1,
    });
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: issuerUrl,
        ClientIDList: ['sts.amazonaws.com'],
      }),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'deployer',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:aws:iam::${PROD}:oidc-provider/${provider}` },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: {
                  [`${provider}:aud`]: 'sts.amazonaws.com',
                  [`${provider}:sub`]: 'org:acme/pipeline:web/stage:prod',
                },
              },
            },
          ],
        }),
      }),
    );
    iam.destroy();

    const issuer = new OidcIssuer({ issuerUrl: result.issuerUrl, keys });
    const sts = new STSClient({
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      maxAttempts: 1,
    });
    const assume = async (stage: string) =>
      sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: `arn:aws:iam::${PROD}:role/deployer`,
          RoleSessionName: 'published',
          WebIdentityToken: (await issuer.mintToken({ org: 'acme', pipeline: 'web', stage })).token,
        }),
      );
    await expect(assume('prod')).resolves.toMatchObject({ Provider: provider });
    await expect(assume('staging')).rejects.toMatchObject({ name: 'AccessDenied' });
    sts.destroy();
  });

  it('a bucket that does not exist is ISSUER_PUBLISH_FAILED with the S3 error', async () => {
    const keys = keyRingFromConfig({ config: { data_dir: dataDir } });
    await expect(
      publishIssuerDocuments({
        keys,
        bucket: 'no-such-bucket-here',
        region: sandbox.region,
        endpoint: sandbox.endpoint,
        credentials: sandbox.credentialsFor(CICD),
      }),
    ).rejects.toMatchObject({
      code: 'ISSUER_PUBLISH_FAILED',
      message: expect.stringContaining(
        'writing s3://no-such-bucket-here/.well-known/jwks.json failed: NoSuchBucket',
      ) as unknown,
    });
  });
});
