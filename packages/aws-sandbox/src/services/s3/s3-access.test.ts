import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectsCommand,
  DeletePublicAccessBlockCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CICD, DEV, PROD } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { rejection, s3Client, statusOf, userWithPolicy } from './test-support/s3-test-kit.js';

/** Rampart-style state bucket policy: deny anything not over TLS. */
function tlsOnly(bucket: string, extra: unknown[] = []): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      ...extra,
    ],
  });
}

describe('S3 authorization', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const admin = (accountId: string) => s3Client(sandbox, sandbox.credentialsFor(accountId), clock);
  const denied = async (promise: Promise<unknown>): Promise<void> => {
    const error = await rejection(promise);
    expect(error).toBeInstanceOf(S3ServiceException);
    expect(error.name).toBe('AccessDenied');
    expect(statusOf(error)).toBe(403);
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    await admin(CICD).send(new CreateBucketCommand({ Bucket: 'cicd-state' }));
    await admin(CICD).send(
      new PutObjectCommand({ Bucket: 'cicd-state', Key: 'dev/state', Body: 'tfstate' }),
    );
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('needs a bucket policy for cross-account access, and identity permissions on both sides', async () => {
    const dev = admin(DEV);
    await denied(dev.send(new GetObjectCommand({ Bucket: 'cicd-state', Key: 'dev/state' })));
    await admin(CICD).send(
      new PutBucketPolicyCommand({
        Bucket: 'cicd-state',
        Policy: tlsOnly('cicd-state', [
          {
            Sid: 'DevReadsItsState',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${DEV}:root` },
            Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
            Resource: ['arn:aws:s3:::cicd-state', 'arn:aws:s3:::cicd-state/dev/*'],
          },
        ]),
      }),
    );
    const got = await dev.send(new GetObjectCommand({ Bucket: 'cicd-state', Key: 'dev/state' }));
    expect(await got.Body?.transformToString()).toBe('tfstate');
    await dev.send(new PutObjectCommand({ Bucket: 'cicd-state', Key: 'dev/other', Body: 'x' }));
    await denied(
      dev.send(new PutObjectCommand({ Bucket: 'cicd-state', Key: 'prod/state', Body: 'x' })),
    );
    await denied(
      admin(PROD).send(new GetObjectCommand({ Bucket: 'cicd-state', Key: 'dev/state' })),
    );
    await denied(
      dev.send(
        new GetObjectCommand({ Bucket: 'cicd-state', Key: 'dev/state', ExpectedBucketOwner: DEV }),
      ),
    );
    await dev.send(
      new GetObjectCommand({ Bucket: 'cicd-state', Key: 'dev/state', ExpectedBucketOwner: CICD }),
    );
    // The bucket policy alone is not enough: the DEV user also needs an identity policy.
    const bare = await userWithPolicy(sandbox, clock, DEV, 'no-s3', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }],
    });
    await denied(
      s3Client(sandbox, bare, clock).send(
        new GetObjectCommand({ Bucket: 'cicd-state', Key: 'dev/state' }),
      ),
    );
  });

  it('checks read access to the source of a cross-account copy', async () => {
    const dev = admin(DEV);
    await dev.send(new CreateBucketCommand({ Bucket: 'dev-copies' }));
    await dev.send(
      new CopyObjectCommand({
        Bucket: 'dev-copies',
        Key: 'state',
        CopySource: 'cicd-state/dev/state',
      }),
    );
    const copy = await dev.send(new GetObjectCommand({ Bucket: 'dev-copies', Key: 'state' }));
    expect(await copy.Body?.transformToString()).toBe('tfstate');
    await admin(CICD).send(
      new PutObjectCommand({ Bucket: 'cicd-state', Key: 'prod/state', Body: 'p' }),
    );
    await denied(
      dev.send(
        new CopyObjectCommand({
          Bucket: 'dev-copies',
          Key: 'prod',
          CopySource: 'cicd-state/prod/state',
        }),
      ),
    );
  });

  it('treats requests as TLS by default so TLS-only policies work, and can be told otherwise', async () => {
    await admin(CICD).send(new PutObjectCommand({ Bucket: 'cicd-state', Key: 'tls', Body: 'ok' }));
    const plain = await startSandbox({ clock, secureTransport: false });
    try {
      const s3 = s3Client(plain, plain.credentialsFor(CICD), clock);
      await s3.send(new CreateBucketCommand({ Bucket: 'cicd-state' }));
      await s3.send(
        new PutBucketPolicyCommand({ Bucket: 'cicd-state', Policy: tlsOnly('cicd-state') }),
      );
      const error = await rejection(
        s3.send(new PutObjectCommand({ Bucket: 'cicd-state', Key: 'k', Body: 'x' })),
      );
      expect(error.name).toBe('AccessDenied');
      expect(error.message).toContain('explicit deny in a resource-based policy');
    } finally {
      await plain.stop();
    }
  });

  it('evaluates S3 condition keys: s3:prefix and s3:x-amz-server-side-encryption', async () => {
    await admin(CICD).send(new CreateBucketCommand({ Bucket: 'cicd-team' }));
    const creds = await userWithPolicy(sandbox, clock, CICD, 'team-user', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::cicd-team',
          Condition: { StringLike: { 's3:prefix': 'team/*' } },
        },
        {
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:GetObject'],
          Resource: 'arn:aws:s3:::cicd-team/*',
        },
        {
          Effect: 'Deny',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::cicd-team/*',
          Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
        },
      ],
    });
    const s3 = s3Client(sandbox, creds, clock);
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: 'cicd-team', Prefix: 'team/' }),
    );
    expect(listed.KeyCount).toBe(0);
    await denied(s3.send(new ListObjectsV2Command({ Bucket: 'cicd-team' })));
    await denied(s3.send(new PutObjectCommand({ Bucket: 'cicd-team', Key: 'team/a', Body: 'x' })));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'cicd-team',
        Key: 'team/a',
        Body: 'x',
        ServerSideEncryption: 'aws:kms',
      }),
    );
    // Without s3:ListBucket on the whole bucket, a missing key is 403, not 404, as in AWS.
    await denied(s3.send(new GetObjectCommand({ Bucket: 'cicd-team', Key: 'team/missing' })));
    const adminMissing = await rejection(
      admin(CICD).send(new GetObjectCommand({ Bucket: 'cicd-team', Key: 'team/missing' })),
    );
    expect(adminMissing.name).toBe('NoSuchKey');
  });

  it('authorizes reads of a specific version as s3:GetObjectVersion', async () => {
    await admin(CICD).send(new CreateBucketCommand({ Bucket: 'cicd-versioned' }));
    await admin(CICD).send(
      new PutBucketVersioningCommand({
        Bucket: 'cicd-versioned',
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    const { VersionId } = await admin(CICD).send(
      new PutObjectCommand({ Bucket: 'cicd-versioned', Key: 'k', Body: 'v1' }),
    );
    const creds = await userWithPolicy(sandbox, clock, CICD, 'current-only', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::cicd-versioned/*' },
      ],
    });
    const s3 = s3Client(sandbox, creds, clock);
    const current = await s3.send(new GetObjectCommand({ Bucket: 'cicd-versioned', Key: 'k' }));
    expect(await current.Body?.transformToString()).toBe('v1');
    const error = await rejection(
      s3.send(new GetObjectCommand({ Bucket: 'cicd-versioned', Key: 'k', VersionId })),
    );
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toContain('s3:GetObjectVersion');
  });

  it('reports per-key denials in DeleteObjects', async () => {
    const creds = await userWithPolicy(sandbox, clock, CICD, 'deleter', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::cicd-state/tmp/*' },
      ],
    });
    const result = await s3Client(sandbox, creds, clock).send(
      new DeleteObjectsCommand({
        Bucket: 'cicd-state',
        Delete: { Objects: [{ Key: 'tmp/a' }, { Key: 'dev/state' }] },
      }),
    );
    expect(result.Deleted?.map((item) => item.Key)).toEqual(['tmp/a']);
    expect(result.Errors).toEqual([
      { Key: 'dev/state', Code: 'AccessDenied', Message: 'Access Denied' },
    ]);
  });

  it('lets anonymous callers in only through a public bucket policy', async () => {
    const s3 = admin(PROD);
    await s3.send(new CreateBucketCommand({ Bucket: 'prod-oidc-issuer' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'prod-oidc-issuer',
        Key: '.well-known/openid-configuration',
        Body: '{"issuer":"x"}',
        ContentType: 'application/json',
      }),
    );
    const url = `${sandbox.endpoint}/prod-oidc-issuer/.well-known/openid-configuration`;
    const before = await fetch(url);
    expect(before.status).toBe(403);
    expect(await before.text()).toContain('<Code>AccessDenied</Code>');
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'prod-oidc-issuer' }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'prod-oidc-issuer',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::prod-oidc-issuer/*',
            },
          ],
        }),
      }),
    );
    const after = await fetch(url);
    expect(after.status).toBe(200);
    expect(after.headers.get('content-type')).toBe('application/json');
    expect(await after.text()).toBe('{"issuer":"x"}');
    const write = await fetch(`${sandbox.endpoint}/prod-oidc-issuer/evil`, {
      method: 'PUT',
      body: 'x',
    });
    expect(write.status).toBe(403);
    const list = await fetch(`${sandbox.endpoint}/prod-oidc-issuer`);
    expect(list.status).toBe(403);
  });
});
