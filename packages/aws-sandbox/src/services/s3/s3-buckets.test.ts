import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  NoSuchBucket,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CICD, DEV, MANAGEMENT } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { rejection, s3Client, statusOf } from './test-support/s3-test-kit.js';

describe('S3 buckets', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const client = (accountId: string, region?: string) =>
    s3Client(sandbox, sandbox.credentialsFor(accountId), clock, region ? { region } : {});

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates buckets in a region, lists them per account and tells their location', async () => {
    const s3 = client(CICD);
    const eu = client(CICD, 'eu-west-1');
    const created = await s3.send(new CreateBucketCommand({ Bucket: 'cicd-artifacts' }));
    expect(created.Location).toBe('/cicd-artifacts');
    await eu.send(
      new CreateBucketCommand({
        Bucket: 'cicd-eu-state',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    const { Buckets, Owner } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([
      ['cicd-artifacts', 'us-east-1'],
      ['cicd-eu-state', 'eu-west-1'],
    ]);
    expect(Buckets?.[0]?.CreationDate).toEqual(new Date('2026-03-01T10:00:00Z'));
    expect(Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect((await client(DEV).send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: 'cicd-eu-state' }));
    expect(location.LocationConstraint).toBe('eu-west-1');
    expect(
      (await s3.send(new GetBucketLocationCommand({ Bucket: 'cicd-artifacts' })))
        .LocationConstraint,
    ).toBeUndefined();
    const head = await eu.send(new HeadBucketCommand({ Bucket: 'cicd-eu-state' }));
    expect(head.BucketRegion).toBe('eu-west-1');
  });

  it('keeps bucket names global across accounts', async () => {
    await client(MANAGEMENT).send(new CreateBucketCommand({ Bucket: 'taken-name' }));
    await expect(
      client(DEV).send(new CreateBucketCommand({ Bucket: 'taken-name' })),
    ).rejects.toBeInstanceOf(BucketAlreadyExists);
    // us-east-1 keeps AWS's legacy answer for the owner; other regions refuse.
    await client(MANAGEMENT).send(new CreateBucketCommand({ Bucket: 'taken-name' }));
    const eu = client(MANAGEMENT, 'eu-west-1');
    const config = { LocationConstraint: 'eu-west-1' as const };
    await eu.send(
      new CreateBucketCommand({ Bucket: 'mgmt-eu', CreateBucketConfiguration: config }),
    );
    const again = await rejection(
      eu.send(new CreateBucketCommand({ Bucket: 'mgmt-eu', CreateBucketConfiguration: config })),
    );
    expect(again).toBeInstanceOf(BucketAlreadyOwnedByYou);
    expect(statusOf(again)).toBe(409);
  });

  it('rejects bad names and location constraints', async () => {
    const s3 = client(DEV);
    for (const name of ['ab', 'Upper-Case', 'has_underscore', '192.168.1.1', 'dots..dots']) {
      const error = await rejection(s3.send(new CreateBucketCommand({ Bucket: name })));
      expect(error.name).toBe('InvalidBucketName');
      expect(statusOf(error)).toBe(400);
    }
    const explicitUsEast = await rejection(
      s3.send(
        new CreateBucketCommand({
          Bucket: 'dev-explicit',
          CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never },
        }),
      ),
    );
    expect(explicitUsEast.name).toBe('InvalidLocationConstraint');
    const mismatch = await rejection(
      client(DEV, 'eu-west-1').send(
        new CreateBucketCommand({
          Bucket: 'dev-elsewhere',
          CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' },
        }),
      ),
    );
    expect(mismatch.name).toBe('IllegalLocationConstraintException');
  });

  it('answers for missing buckets and requests signed for the wrong region', async () => {
    const s3 = client(DEV);
    await expect(
      s3.send(new GetBucketVersioningCommand({ Bucket: 'no-such-bucket' })),
    ).rejects.toBeInstanceOf(NoSuchBucket);
    const head = await rejection(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })));
    expect(head.name).toBe('NotFound');
    expect(statusOf(head)).toBe(404);
    const wrongRegion = await rejection(
      client(CICD).send(new GetBucketVersioningCommand({ Bucket: 'cicd-eu-state' })),
    );
    expect(wrongRegion.name).toBe('AuthorizationHeaderMalformed');
  });

  it('deletes only empty buckets and frees the name', async () => {
    const s3 = client(DEV);
    await s3.send(new CreateBucketCommand({ Bucket: 'dev-scratch' }));
    await s3.send(new PutObjectCommand({ Bucket: 'dev-scratch', Key: 'k', Body: 'x' }));
    const notEmpty = await rejection(s3.send(new DeleteBucketCommand({ Bucket: 'dev-scratch' })));
    expect(notEmpty).toBeInstanceOf(S3ServiceException);
    expect(notEmpty.name).toBe('BucketNotEmpty');
    expect(statusOf(notEmpty)).toBe(409);
    const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    await s3.send(new DeleteObjectCommand({ Bucket: 'dev-scratch', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'dev-scratch' }));
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'dev-scratch' }))).rejects.toMatchObject({
      name: 'NotFound',
    });
    await client(CICD).send(new CreateBucketCommand({ Bucket: 'dev-scratch' }));
  });

  it('stores bucket policies and validates them', async () => {
    const s3 = client(DEV);
    await s3.send(new CreateBucketCommand({ Bucket: 'dev-policy' }));
    await expect(
      s3.send(new GetBucketPolicyCommand({ Bucket: 'dev-policy' })),
    ).rejects.toMatchObject({
      name: 'NoSuchBucketPolicy',
    });
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${CICD}:root` },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::dev-policy/*',
        },
      ],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'dev-policy', Policy: policy }));
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: 'dev-policy' }))).Policy).toBe(
      policy,
    );
    const malformed = async (text: string): Promise<string> => {
      const error = await rejection(
        s3.send(new PutBucketPolicyCommand({ Bucket: 'dev-policy', Policy: text })),
      );
      expect(error.name).toBe('MalformedPolicy');
      return error.message;
    };
    await malformed('{not json');
    const statement = (overrides: Record<string, unknown>) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${CICD}:root` },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::dev-policy/*',
            ...overrides,
          },
        ],
      });
    expect(await malformed(statement({ Resource: 'arn:aws:s3:::other-bucket/*' }))).toBe(
      'Policy has invalid resource',
    );
    expect(
      await malformed(
        statement({ Principal: { AWS: `arn:aws:iam::${CICD}:role/does-not-exist` } }),
      ),
    ).toBe('Invalid principal in policy');
    expect(await malformed(statement({ Action: 'iam:CreateRole' }))).toBe(
      'Policy has invalid action',
    );
    await malformed(statement({ Effect: 'Maybe' }));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'dev-policy' }));
    await expect(
      s3.send(new GetBucketPolicyCommand({ Bucket: 'dev-policy' })),
    ).rejects.toMatchObject({
      name: 'NoSuchBucketPolicy',
    });
  });

  it('blocks public policies until the public access block is lifted', async () => {
    const s3 = client(DEV);
    await s3.send(new CreateBucketCommand({ Bucket: 'dev-public' }));
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'dev-public' }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const publicPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::dev-public/*',
        },
      ],
    });
    const blocked = await rejection(
      s3.send(new PutBucketPolicyCommand({ Bucket: 'dev-public', Policy: publicPolicy })),
    );
    expect(blocked.name).toBe('AccessDenied');
    expect(statusOf(blocked)).toBe(403);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'dev-public' }));
    await expect(
      s3.send(new GetPublicAccessBlockCommand({ Bucket: 'dev-public' })),
    ).rejects.toMatchObject({
      name: 'NoSuchPublicAccessBlockConfiguration',
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'dev-public', Policy: publicPolicy }));
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'dev-public',
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: false },
      }),
    );
    expect(
      (await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'dev-public' })))
        .PublicAccessBlockConfiguration,
    ).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
  });

  it('stores versioning, encryption, tags and lifecycle rules', async () => {
    const s3 = client(DEV);
    await s3.send(new CreateBucketCommand({ Bucket: 'dev-config' }));
    expect(
      (await s3.send(new GetBucketVersioningCommand({ Bucket: 'dev-config' }))).Status,
    ).toBeUndefined();
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'dev-config',
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'dev-config' }))).Status).toBe(
      'Enabled',
    );

    const defaults = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'dev-config' }));
    expect(
      defaults.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault
        ?.SSEAlgorithm,
    ).toBe('AES256');
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: 'dev-config',
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: `arn:aws:kms:us-east-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
              },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
    const rule = (await s3.send(new GetBucketEncryptionCommand({ Bucket: 'dev-config' })))
      .ServerSideEncryptionConfiguration?.Rules?.[0];
    expect(rule).toEqual({
      ApplyServerSideEncryptionByDefault: {
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: `arn:aws:kms:us-east-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      },
      BucketKeyEnabled: true,
    });

    await expect(
      s3.send(new GetBucketTaggingCommand({ Bucket: 'dev-config' })),
    ).rejects.toMatchObject({
      name: 'NoSuchTagSet',
    });
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: 'dev-config',
        Tagging: {
          TagSet: [
            { Key: 'team', Value: 'platform' },
            { Key: 'env', Value: 'dev' },
          ],
        },
      }),
    );
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: 'dev-config' }))).TagSet).toEqual([
      { Key: 'team', Value: 'platform' },
      { Key: 'env', Value: 'dev' },
    ]);
    const duplicate = await rejection(
      s3.send(
        new PutBucketTaggingCommand({
          Bucket: 'dev-config',
          Tagging: {
            TagSet: [
              { Key: 'a', Value: '1' },
              { Key: 'a', Value: '2' },
            ],
          },
        }),
      ),
    );
    expect(duplicate.name).toBe('InvalidTag');
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: 'dev-config' }));
    await expect(
      s3.send(new GetBucketTaggingCommand({ Bucket: 'dev-config' })),
    ).rejects.toMatchObject({
      name: 'NoSuchTagSet',
    });

    await expect(
      s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'dev-config' })),
    ).rejects.toMatchObject({ name: 'NoSuchLifecycleConfiguration' });
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'dev-config',
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'expire-old-versions',
              Status: 'Enabled',
              Filter: { Prefix: 'logs/' },
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            },
          ],
        },
      }),
    );
    const lifecycle = await s3.send(
      new GetBucketLifecycleConfigurationCommand({ Bucket: 'dev-config' }),
    );
    expect(lifecycle.Rules).toEqual([
      {
        ID: 'expire-old-versions',
        Status: 'Enabled',
        Filter: { Prefix: 'logs/' },
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      },
    ]);
  });
});
