import {
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  SetRepositoryPolicyCommand,
  UploadLayerPartCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvalidParameterValueException,
  InvokeCommand,
  UpdateFunctionCodeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV, PROD } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  ecrClient,
  randomBlob,
  testImage,
  type TestImage,
} from '../ecr/test-support/ecr-sandbox.js';
import { createRole, lambdaClients, payloadText, rejection } from './test-support/lambda-kit.js';

describe('Lambda functions from container images', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let ecr: ECRClient;
  let lambda: LambdaClient;
  let role: string;
  let repositoryUri: string;
  const first = testImage([randomBlob(64)]);
  const second = testImage([randomBlob(64)]);

  async function push(image: TestImage, tag: string): Promise<void> {
    for (const blob of [image.config, ...image.layers]) {
      const { uploadId } = await ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'fn' }));
      await ecr.send(
        new UploadLayerPartCommand({
          repositoryName: 'fn',
          uploadId,
          partFirstByte: 0,
          partLastByte: blob.data.length - 1,
          layerPartBlob: blob.data,
        }),
      );
      await ecr.send(
        new CompleteLayerUploadCommand({
          repositoryName: 'fn',
          uploadId,
          layerDigests: [blob.digest],
        }),
      );
    }
    await ecr.send(
      new PutImageCommand({
        repositoryName: 'fn',
        imageManifest: image.manifest,
        imageManifestMediaType: image.mediaType,
        imageTag: tag,
      }),
    );
  }

  beforeAll(async () => {
    sandbox = await startSandbox({
      clock,
      tickIntervalMs: 0,
      delays: { 'lambda.create': 0, 'lambda.update': 0 },
    });
    ecr = ecrClient(sandbox, sandbox.credentialsFor(DEV), clock);
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'fn' }));
    repositoryUri = repository?.repositoryUri ?? '';
    await push(first, 'v1');
    await push(second, 'v2');
    const clients = lambdaClients(sandbox, sandbox.credentialsFor(DEV), clock);
    lambda = clients.lambda;
    role = await createRole(clients.iam);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates, updates and invokes an image function; its digest is its CodeSha256', async () => {
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'img',
        PackageType: 'Image',
        Role: role,
        Code: { ImageUri: `${repositoryUri}:v1` },
        Environment: { Variables: { SANDBOX_RESPONSE: '{"from":"image"}' } },
      }),
    );
    expect(created).toMatchObject({
      PackageType: 'Image',
      CodeSha256: first.digest.replace('sha256:', ''),
      CodeSize: 0,
    });
    expect(created.Runtime).toBeUndefined();
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'img' }));
    expect(got.Code).toEqual({
      RepositoryType: 'ECR',
      ImageUri: `${repositoryUri}:v1`,
      ResolvedImageUri: `${repositoryUri}@${first.digest}`,
    });
    const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'img' }));
    expect(JSON.parse(payloadText(invoked.Payload))).toEqual({ from: 'image' });

    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'img', ImageUri: `${repositoryUri}:v2` }),
    );
    expect(updated.CodeSha256).toBe(second.digest.replace('sha256:', ''));

    // An image digest marked unhealthy makes the function fail.
    sandbox.control.markUnhealthy({ imageDigest: second.digest });
    const failing = await lambda.send(new InvokeCommand({ FunctionName: 'img' }));
    expect(failing.FunctionError).toBe('Unhandled');
    sandbox.control.markHealthy({ imageDigest: second.digest });
  });

  it('rejects images that do not exist or that the account may not pull', async () => {
    const missing = await rejection(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'ghost',
          PackageType: 'Image',
          Role: role,
          Code: { ImageUri: `${repositoryUri}:nope` },
        }),
      ),
    );
    expect(missing).toBeInstanceOf(InvalidParameterValueException);
    expect(missing.message).toBe(
      `Source image ${repositoryUri}:nope does not exist. Provide a valid source image.`,
    );
    const zipOnly = await rejection(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'mixed',
          PackageType: 'Image',
          Runtime: 'nodejs20.x',
          Role: role,
          Code: { ImageUri: `${repositoryUri}:v1` },
        }),
      ),
    );
    expect(zipOnly).toBeInstanceOf(InvalidParameterValueException);

    const prod = lambdaClients(sandbox, sandbox.credentialsFor(PROD), clock);
    const prodRole = await createRole(prod.iam);
    const create = () =>
      prod.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'cross',
          PackageType: 'Image',
          Role: prodRole,
          Code: { ImageUri: `${repositoryUri}:v1` },
        }),
      );
    const refused = await rejection(create());
    expect(refused).toBeInstanceOf(InvalidParameterValueException);
    expect(refused.message).toContain('Lambda does not have permission to access the ECR image');
    await ecr.send(
      new SetRepositoryPolicyCommand({
        repositoryName: 'fn',
        policyText: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${PROD}:root` },
              Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            },
          ],
        }),
      }),
    );
    expect((await create()).CodeSha256).toBe(first.digest.replace('sha256:', ''));
  });
});
