import {
  CreateStackCommand,
  DeleteStackCommand,
  UpdateStackCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import {
  BatchDeleteImageCommand,
  CompleteLayerUploadCommand,
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  InitiateLayerUploadCommand,
  ListTagsForResourceCommand,
  PutImageCommand,
  RepositoryNotFoundException,
  RepositoryPolicyNotFoundException,
  UploadLayerPartCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { ecrClient, randomBlob, testImage } from '../ecr/test-support/ecr-sandbox.js';
import { cfnClients, describeStack, stackEvents } from './test-support/cfn-sandbox.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const LIFECYCLE = (count: number) =>
  JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: 'keep recent images',
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: count },
        action: { type: 'expire' },
      },
    ],
  });

interface Version {
  name?: string;
  mutability?: 'MUTABLE' | 'IMMUTABLE';
  policy?: boolean;
  lifecycleCount?: number;
  emptyOnDelete?: boolean;
  tag?: string;
}

function template(v: Version = {}): string {
  const policy =
    (v.policy ?? true)
      ? `
      RepositoryPolicyText:
        Version: '2012-10-17'
        Statement:
          - Sid: workloads-pull
            Effect: Allow
            Principal: {AWS: 'arn:aws:iam::555555555555:root'}
            Action: [ecr:BatchGetImage, ecr:GetDownloadUrlForLayer]`
      : '';
  return `
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: ${v.name ?? 'team/web'}
      ImageTagMutability: ${v.mutability ?? 'IMMUTABLE'}
      ImageScanningConfiguration: {ScanOnPush: true}
      EmptyOnDelete: ${String(v.emptyOnDelete ?? false)}
      LifecyclePolicy:
        LifecyclePolicyText: '${LIFECYCLE(v.lifecycleCount ?? 10)}'
      Tags: [{Key: team, Value: ${v.tag ?? 'web'}}]${policy}
  Generated:
    Type: AWS::ECR::Repository
Outputs:
  Name: {Value: !Ref Repo}
  Arn: {Value: !GetAtt Repo.Arn}
  Uri: {Value: !GetAtt Repo.RepositoryUri}
  GeneratedName: {Value: !Ref Generated}
`;
}

describe('AWS::ECR::Repository', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let cfn: CloudFormationClient;
  let ecr: ECRClient;

  const outputs = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      ((await describeStack(cfn, 'images')).Outputs ?? []).map((o) => [
        o.OutputKey ?? '',
        o.OutputValue ?? '',
      ]),
    );

  async function pushSomething(repositoryName: string): Promise<void> {
    const image = testImage([randomBlob(50)]);
    for (const blob of [image.config, ...image.layers]) {
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
      new PutImageCommand({ repositoryName, imageManifest: image.manifest, imageTag: 'v1' }),
    );
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    ({ cfn } = cfnClients(sandbox, sandbox.credentialsFor(DEV), clock));
    ecr = ecrClient(sandbox, sandbox.credentialsFor(DEV), clock);
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates repositories with their settings, policies and tags', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'images',
        TemplateBody: template(),
        Tags: [{ Key: 'owner', Value: 'rampart' }],
      }),
    );
    expect((await describeStack(cfn, 'images')).StackStatus).toBe('CREATE_COMPLETE');
    const out = await outputs();
    const host = new URL(sandbox.endpoint).host;
    expect(out).toMatchObject({
      Name: 'team/web',
      Arn: `arn:aws:ecr:us-east-1:${DEV}:repository/team/web`,
      Uri: `${host}/${DEV}/us-east-1/team/web`,
    });
    expect(out['GeneratedName']).toMatch(/^images-generated-[a-z0-9]{12}$/);
    const { repositories } = await ecr.send(
      new DescribeRepositoriesCommand({
        repositoryNames: ['team/web', out['GeneratedName'] ?? ''],
      }),
    );
    expect(repositories?.[0]).toMatchObject({
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
    expect(repositories?.[1]?.imageTagMutability).toBe('MUTABLE');
    const policy = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'team/web' }));
    expect(JSON.parse(policy.policyText ?? '{}')).toMatchObject({
      Statement: [{ Sid: 'workloads-pull', Principal: { AWS: 'arn:aws:iam::555555555555:root' } }],
    });
    const lifecycle = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'team/web' }));
    expect(lifecycle.lifecyclePolicyText).toBe(LIFECYCLE(10));
    const { tags } = await ecr.send(new ListTagsForResourceCommand({ resourceArn: out['Arn'] }));
    expect(tags).toEqual(
      expect.arrayContaining([
        { Key: 'owner', Value: 'rampart' },
        { Key: 'team', Value: 'web' },
      ]),
    );
  });

  it('updates in place, replaces on rename and refuses to delete images unless told to', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'images', TemplateBody: template() }));
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'images',
        TemplateBody: template({
          mutability: 'MUTABLE',
          policy: false,
          lifecycleCount: 5,
          tag: 'api',
        }),
      }),
    );
    expect((await describeStack(cfn, 'images')).StackStatus).toBe('UPDATE_COMPLETE');
    const described = await ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: ['team/web'] }),
    );
    expect(described.repositories?.[0]?.imageTagMutability).toBe('MUTABLE');
    expect(
      await rejection(ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'team/web' }))),
    ).toBeInstanceOf(RepositoryPolicyNotFoundException);
    const lifecycle = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'team/web' }));
    expect(lifecycle.lifecyclePolicyText).toBe(LIFECYCLE(5));
    const arn = `arn:aws:ecr:us-east-1:${DEV}:repository/team/web`;
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { Key: 'team', Value: 'api' },
    ]);

    await cfn.send(
      new UpdateStackCommand({
        StackName: 'images',
        TemplateBody: template({ name: 'team/web-2' }),
      }),
    );
    expect((await outputs())['Name']).toBe('team/web-2');
    expect(
      await rejection(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['team/web'] }))),
    ).toBeInstanceOf(RepositoryNotFoundException);

    await pushSomething('team/web-2');
    await cfn.send(new DeleteStackCommand({ StackName: 'images' }));
    expect((await describeStack(cfn, 'images')).StackStatus).toBe('DELETE_FAILED');
    const failed = (await stackEvents(cfn, 'images')).find(
      (e) => e.ResourceStatus === 'DELETE_FAILED',
    );
    expect(failed?.ResourceStatusReason).toContain('still contains images');

    // Emptied by hand, it goes.
    await ecr.send(
      new BatchDeleteImageCommand({ repositoryName: 'team/web-2', imageIds: [{ imageTag: 'v1' }] }),
    );
    await cfn.send(new DeleteStackCommand({ StackName: 'images' }));
    expect(
      await rejection(
        ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['team/web-2'] })),
      ),
    ).toBeInstanceOf(RepositoryNotFoundException);
  });

  it('empties the repository on delete with EmptyOnDelete', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'images',
        TemplateBody: template({ emptyOnDelete: true }),
      }),
    );
    await pushSomething('team/web');
    await cfn.send(new DeleteStackCommand({ StackName: 'images' }));
    expect(
      await rejection(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['team/web'] }))),
    ).toBeInstanceOf(RepositoryNotFoundException);
  });

  it('fails the resource on a bad property, with ECR’s message', async () => {
    await cfn.send(
      new CreateStackCommand({ StackName: 'images', TemplateBody: template({ name: 'Bad_Name' }) }),
    );
    const stack = await describeStack(cfn, 'images');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    const failed = (await stackEvents(cfn, 'images')).find(
      (e) => e.ResourceStatus === 'CREATE_FAILED',
    );
    expect(failed?.LogicalResourceId).toBe('Repo');
    expect(failed?.ResourceStatusReason).toContain("Invalid parameter at 'repositoryName'");
  });
});
