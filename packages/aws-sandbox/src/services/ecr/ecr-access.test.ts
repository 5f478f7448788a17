import {
  BatchGetImageCommand,
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRServiceException,
  GetAuthorizationTokenCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  SetRepositoryPolicyCommand,
  UploadLayerPartCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CICD, DEV, PROD } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  ecrClient,
  policyDocument,
  randomBlob,
  testImage,
  userWithPolicy,
  type TestImage,
} from './test-support/ecr-sandbox.js';

async function accessDenied(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error('expected AccessDeniedException');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ECRServiceException);
  expect((error as ECRServiceException).name).toBe('AccessDeniedException');
  return (error as Error).message;
}

describe('ECR authorization', () => {
  let sandbox: Sandbox;
  let owner: ECRClient;
  let image: TestImage;
  const clock = new ManualClock('2026-03-01T10:00:00Z');

  async function push(ecr: ECRClient, repositoryName: string, pushed: TestImage, tag: string) {
    for (const blob of [pushed.config, ...pushed.layers]) {
      const { uploadId } = await ecr.send(new InitiateLayerUploadCommand({ repositoryName }));
      await ecr.send(
        new UploadLayerPartCommand({
          repositoryName,
          uploadId,
          partFirstByte: 0,
          partLastByte: blob.data.length - 1,
          layerPartBlob: blob.data,
        }),
      );
      await ecr.send(
        new CompleteLayerUploadCommand({ repositoryName, uploadId, layerDigests: [blob.digest] }),
      );
    }
    await ecr.send(
      new PutImageCommand({ repositoryName, imageManifest: pushed.manifest, imageTag: tag }),
    );
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    owner = ecrClient(sandbox, sandbox.credentialsFor(CICD), clock);
    for (const repositoryName of ['team/api', 'other', 'shared', 'tagged']) {
      await owner.send(
        new CreateRepositoryCommand({
          repositoryName,
          ...(repositoryName === 'tagged' ? { tags: [{ Key: 'team', Value: 'web' }] } : {}),
        }),
      );
    }
    image = testImage([randomBlob(100)]);
    await push(owner, 'shared', image, 'v1');
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('denies what identity policies do not allow, naming the repository ARN', async () => {
    const reader = ecrClient(
      sandbox,
      await userWithPolicy(sandbox, clock, CICD, 'reader', [
        {
          Effect: 'Allow',
          Action: ['ecr:DescribeImages', 'ecr:DescribeRepositories'],
          Resource: `arn:aws:ecr:us-east-1:${CICD}:repository/team/*`,
        },
      ]),
      clock,
    );
    await reader.send(new DescribeImagesCommand({ repositoryName: 'team/api' }));
    const message = await accessDenied(
      reader.send(new DescribeImagesCommand({ repositoryName: 'other' })),
    );
    expect(message).toBe(
      `User: arn:aws:iam::${CICD}:user/reader is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:us-east-1:${CICD}:repository/other because no identity-based policy allows the ecr:DescribeImages action`,
    );
    await accessDenied(reader.send(new CreateRepositoryCommand({ repositoryName: 'team/new' })));
    await reader.send(new DescribeRepositoriesCommand({ repositoryNames: ['team/api'] }));
    await accessDenied(reader.send(new GetAuthorizationTokenCommand({})));
  });

  it('evaluates resource tags and request tags', async () => {
    const webOnly = ecrClient(
      sandbox,
      await userWithPolicy(sandbox, clock, CICD, 'web-only', [
        {
          Effect: 'Allow',
          Action: 'ecr:DescribeImages',
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceTag/team': 'web' } },
        },
        {
          Effect: 'Allow',
          Action: 'ecr:CreateRepository',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestTag/team': 'web' } },
        },
      ]),
      clock,
    );
    await webOnly.send(new DescribeImagesCommand({ repositoryName: 'tagged' }));
    await accessDenied(webOnly.send(new DescribeImagesCommand({ repositoryName: 'other' })));
    await webOnly.send(
      new CreateRepositoryCommand({
        repositoryName: 'web-new',
        tags: [{ Key: 'team', Value: 'web' }],
      }),
    );
    await accessDenied(
      webOnly.send(new CreateRepositoryCommand({ repositoryName: 'untagged-new' })),
    );
  });

  it('reaches another account only through the repository policy, and only where it allows', async () => {
    const dev = ecrClient(sandbox, sandbox.credentialsFor(DEV), clock);
    const get = () =>
      dev.send(
        new BatchGetImageCommand({
          registryId: CICD,
          repositoryName: 'shared',
          imageIds: [{ imageTag: 'v1' }],
        }),
      );
    const before = await accessDenied(get());
    expect(before).toContain(`on resource: arn:aws:ecr:us-east-1:${CICD}:repository/shared`);
    expect(before).toContain(
      'because no resource-based policy allows the ecr:BatchGetImage action',
    );
    await owner.send(
      new SetRepositoryPolicyCommand({
        repositoryName: 'shared',
        policyText: policyDocument([
          {
            Sid: 'pull',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${DEV}:root` },
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:DescribeImages'],
          },
        ]),
      }),
    );
    const { images } = await get();
    expect(images?.[0]?.imageManifest).toBe(image.manifest);
    const described = await dev.send(
      new DescribeImagesCommand({ registryId: CICD, repositoryName: 'shared' }),
    );
    expect(described.imageDetails?.[0]?.imageDigest).toBe(image.digest);
    // The policy grants pulls, not pushes.
    await accessDenied(
      dev.send(
        new PutImageCommand({
          registryId: CICD,
          repositoryName: 'shared',
          imageManifest: image.manifest,
          imageTag: 'x',
        }),
      ),
    );
    // Another account is still refused.
    const prod = ecrClient(sandbox, sandbox.credentialsFor(PROD), clock);
    await accessDenied(
      prod.send(
        new BatchGetImageCommand({
          registryId: CICD,
          repositoryName: 'shared',
          imageIds: [{ imageTag: 'v1' }],
        }),
      ),
    );
    // Cross account, both sides must allow: a DEV user without ECR rights stays out.
    const nobody = ecrClient(
      sandbox,
      await userWithPolicy(sandbox, clock, DEV, 'nobody', [
        { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
      ]),
      clock,
    );
    const identity = await accessDenied(
      nobody.send(
        new BatchGetImageCommand({
          registryId: CICD,
          repositoryName: 'shared',
          imageIds: [{ imageTag: 'v1' }],
        }),
      ),
    );
    expect(identity).toContain('because no identity-based policy allows');
  });

  it('cannot create repositories in another account', async () => {
    const dev = ecrClient(sandbox, sandbox.credentialsFor(DEV), clock);
    await accessDenied(
      dev.send(new CreateRepositoryCommand({ registryId: CICD, repositoryName: 'sneaky' })),
    );
  });
});
