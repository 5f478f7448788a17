import {
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryPolicyCommand,
  DescribeRepositoriesCommand,
  ECRServiceException,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  InvalidParameterException,
  InvalidTagParameterException,
  LifecyclePolicyNotFoundException,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
  RepositoryPolicyNotFoundException,
  SetRepositoryPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CICD, DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { verifyPassword } from './auth-token.js';
import { ecrClient, policyDocument } from './test-support/ecr-sandbox.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const LIFECYCLE = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: 'keep the last 30 images',
      selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
      action: { type: 'expire' },
    },
  ],
});

describe('ECR repositories', () => {
  let sandbox: Sandbox;
  let ecr: ECRClient;
  const clock = new ManualClock('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    ecr = ecrClient(sandbox, sandbox.credentialsFor(CICD), clock);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates a repository with its settings and returns its ARN and sandbox URI', async () => {
    const { repository } = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: 'team/web',
        imageTagMutability: 'IMMUTABLE',
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/images' },
        imageScanningConfiguration: { scanOnPush: true },
        tags: [{ Key: 'team', Value: 'web' }],
      }),
    );
    const host = new URL(sandbox.endpoint).host;
    expect(repository).toMatchObject({
      repositoryArn: `arn:aws:ecr:us-east-1:${CICD}:repository/team/web`,
      registryId: CICD,
      repositoryName: 'team/web',
      repositoryUri: `${host}/${CICD}/us-east-1/team/web`,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/images' },
    });
    expect(repository?.createdAt?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    const { tags } = await ecr.send(
      new ListTagsForResourceCommand({ resourceArn: repository?.repositoryArn }),
    );
    expect(tags).toEqual([{ Key: 'team', Value: 'web' }]);
  });

  it('refuses duplicates, bad names, bad settings and reserved tags', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'dup' }));
    expect(
      await rejection(ecr.send(new CreateRepositoryCommand({ repositoryName: 'dup' }))),
    ).toBeInstanceOf(RepositoryAlreadyExistsException);
    for (const repositoryName of ['UPPER', 'a', 'bad//name', '-lead', 'trail-']) {
      const error = await rejection(ecr.send(new CreateRepositoryCommand({ repositoryName })));
      expect(error, repositoryName).toBeInstanceOf(InvalidParameterException);
    }
    const mutability = await rejection(
      ecr.send(
        new CreateRepositoryCommand({
          repositoryName: 'bad-mutability',
          imageTagMutability: 'SOMETIMES' as 'MUTABLE',
        }),
      ),
    );
    expect(mutability).toBeInstanceOf(InvalidParameterException);
    const encryption = await rejection(
      ecr.send(
        new CreateRepositoryCommand({
          repositoryName: 'bad-encryption',
          encryptionConfiguration: { encryptionType: 'AES256', kmsKey: 'alias/x' },
        }),
      ),
    );
    expect(encryption).toBeInstanceOf(InvalidParameterException);
    const tags = await rejection(
      ecr.send(
        new CreateRepositoryCommand({
          repositoryName: 'bad-tags',
          tags: [{ Key: 'aws:owner', Value: 'x' }],
        }),
      ),
    );
    expect(tags).toBeInstanceOf(InvalidTagParameterException);
    // Nothing was created by the refused calls.
    const missing = await rejection(
      ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['bad-tags'] })),
    );
    expect(missing).toBeInstanceOf(RepositoryNotFoundException);
  });

  it('describes by name and pages through all repositories', async () => {
    const other = ecrClient(sandbox, sandbox.credentialsFor(DEV), clock);
    for (const name of ['p-1', 'p-2', 'p-3', 'p-4', 'p-5']) {
      await other.send(new CreateRepositoryCommand({ repositoryName: name }));
    }
    const named = await other.send(
      new DescribeRepositoriesCommand({ repositoryNames: ['p-4', 'p-2'] }),
    );
    expect(named.repositories?.map((r) => r.repositoryName)).toEqual(['p-4', 'p-2']);
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await other.send(new DescribeRepositoriesCommand({ maxResults: 2, nextToken }));
      seen.push(...(page.repositories ?? []).map((r) => r.repositoryName ?? ''));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(['p-1', 'p-2', 'p-3', 'p-4', 'p-5']);
    const notFound = await rejection(
      other.send(new DescribeRepositoriesCommand({ repositoryNames: ['p-1', 'nope'] })),
    );
    expect(notFound).toBeInstanceOf(RepositoryNotFoundException);
    expect(notFound.message).toBe(
      `The repository with name 'nope' does not exist in the registry with id '${DEV}'`,
    );
    const combined = await rejection(
      other.send(new DescribeRepositoriesCommand({ repositoryNames: ['p-1'], maxResults: 1 })),
    );
    expect(combined).toBeInstanceOf(InvalidParameterException);
    const badToken = await rejection(
      other.send(new DescribeRepositoriesCommand({ nextToken: 'not-a-token' })),
    );
    expect(badToken).toBeInstanceOf(InvalidParameterException);
    const badMax = await rejection(
      other.send(new DescribeRepositoriesCommand({ maxResults: 1001 })),
    );
    expect(badMax).toBeInstanceOf(InvalidParameterException);
  });

  it('deletes repositories (non-empty ones: ecr-images.test.ts)', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'to-delete' }));
    const { repository } = await ecr.send(
      new DeleteRepositoryCommand({ repositoryName: 'to-delete' }),
    );
    expect(repository?.repositoryName).toBe('to-delete');
    expect(
      await rejection(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'to-delete' }))),
    ).toBeInstanceOf(RepositoryNotFoundException);
  });

  it('sets, gets and deletes repository policies, validating them', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'with-policy' }));
    const none = await rejection(
      ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'with-policy' })),
    );
    expect(none).toBeInstanceOf(RepositoryPolicyNotFoundException);
    const policyText = policyDocument([
      {
        Sid: 'pull',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${DEV}:root` },
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      },
    ]);
    const set = await ecr.send(
      new SetRepositoryPolicyCommand({ repositoryName: 'with-policy', policyText }),
    );
    expect(set).toMatchObject({ registryId: CICD, repositoryName: 'with-policy', policyText });
    const got = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'with-policy' }));
    expect(got.policyText).toBe(policyText);
    for (const bad of ['{not json', '[]', policyDocument([{ Effect: 'Allow', Action: 'ecr:*' }])]) {
      const error = await rejection(
        ecr.send(
          new SetRepositoryPolicyCommand({ repositoryName: 'with-policy', policyText: bad }),
        ),
      );
      expect(error, bad).toBeInstanceOf(InvalidParameterException);
    }
    const deleted = await ecr.send(
      new DeleteRepositoryPolicyCommand({ repositoryName: 'with-policy' }),
    );
    expect(deleted.policyText).toBe(policyText);
    expect(
      await rejection(
        ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'with-policy' })),
      ),
    ).toBeInstanceOf(RepositoryPolicyNotFoundException);
  });

  it('stores lifecycle policies without applying them', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'with-lifecycle' }));
    expect(
      await rejection(
        ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'with-lifecycle' })),
      ),
    ).toBeInstanceOf(LifecyclePolicyNotFoundException);
    const put = await ecr.send(
      new PutLifecyclePolicyCommand({
        repositoryName: 'with-lifecycle',
        lifecyclePolicyText: LIFECYCLE,
      }),
    );
    expect(put.lifecyclePolicyText).toBe(LIFECYCLE);
    const got = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'with-lifecycle' }));
    expect(got).toMatchObject({ registryId: CICD, lifecyclePolicyText: LIFECYCLE });
    const bad = JSON.stringify({
      rules: [{ rulePriority: 0, selection: {}, action: {} }],
      padding: 'x'.repeat(100),
    });
    expect(
      await rejection(
        ecr.send(
          new PutLifecyclePolicyCommand({
            repositoryName: 'with-lifecycle',
            lifecyclePolicyText: bad,
          }),
        ),
      ),
    ).toBeInstanceOf(InvalidParameterException);
    await ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'with-lifecycle' }));
    expect(
      await rejection(
        ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'with-lifecycle' })),
      ),
    ).toBeInstanceOf(LifecyclePolicyNotFoundException);
  });

  it('changes tags, tag mutability and scanning settings', async () => {
    const { repository } = await ecr.send(
      new CreateRepositoryCommand({ repositoryName: 'settings', tags: [{ Key: 'a', Value: '1' }] }),
    );
    const resourceArn = repository?.repositoryArn;
    await ecr.send(
      new TagResourceCommand({
        resourceArn,
        tags: [
          { Key: 'a', Value: '2' },
          { Key: 'b', Value: '3' },
        ],
      }),
    );
    await ecr.send(new UntagResourceCommand({ resourceArn, tagKeys: ['b'] }));
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([
      { Key: 'a', Value: '2' },
    ]);
    const mutability = await ecr.send(
      new PutImageTagMutabilityCommand({
        repositoryName: 'settings',
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest*' }],
      }),
    );
    expect(mutability.imageTagMutability).toBe('IMMUTABLE_WITH_EXCLUSION');
    const scanning = await ecr.send(
      new PutImageScanningConfigurationCommand({
        repositoryName: 'settings',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
    expect(scanning.imageScanningConfiguration).toEqual({ scanOnPush: true });
    const described = await ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: ['settings'] }),
    );
    expect(described.repositories?.[0]).toMatchObject({
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest*' }],
      imageScanningConfiguration: { scanOnPush: true },
    });
    const badArn = await rejection(
      ecr.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:s3:::bucket' })),
    );
    expect(badArn).toBeInstanceOf(InvalidParameterException);
    const missingFilters = await rejection(
      ecr.send(
        new PutImageTagMutabilityCommand({
          repositoryName: 'settings',
          imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
        }),
      ),
    );
    expect(missingFilters).toBeInstanceOf(InvalidParameterException);
  });

  it('issues a 12-hour registry token naming the calling access key, not its secret', async () => {
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    expect(authorizationData).toHaveLength(1);
    const data = authorizationData?.[0];
    expect(data?.proxyEndpoint).toBe(sandbox.endpoint);
    expect(data?.expiresAt?.toISOString()).toBe(
      new Date(clock.now().getTime() + 12 * 3600 * 1000).toISOString(),
    );
    const decoded = Buffer.from(data?.authorizationToken ?? '', 'base64').toString('utf8');
    expect(decoded.startsWith('AWS:')).toBe(true);
    const password = decoded.slice(4);
    const { accessKeyId, secretAccessKey } = sandbox.credentialsFor(CICD);
    expect(password).not.toContain(secretAccessKey);
    const payload = JSON.parse(
      Buffer.from(password.split('.')[0] ?? '', 'base64url').toString('utf8'),
    ) as { k: string };
    expect(payload.k).toBe(accessKeyId);
    const snapshot = sandbox.control.snapshot();
    const verified = verifyPassword(snapshot.state, password, clock.now());
    expect('credential' in verified && verified.credential.accessKeyId).toBe(accessKeyId);
    const tampered = password.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(verifyPassword(snapshot.state, tampered, clock.now())).toEqual({
      rejected: 'bad-signature',
    });
    const later = new Date(clock.now().getTime() + 12 * 3600 * 1000);
    expect(verifyPassword(snapshot.state, password, later)).toEqual({ rejected: 'expired' });
    const several = await ecr.send(new GetAuthorizationTokenCommand({ registryIds: [CICD, DEV] }));
    expect(several.authorizationData).toHaveLength(2);
    const bad = await rejection(
      ecr.send(new GetAuthorizationTokenCommand({ registryIds: ['12'] })),
    );
    expect(bad).toBeInstanceOf(InvalidParameterException);
    expect(bad).toBeInstanceOf(ECRServiceException);
  });
});
