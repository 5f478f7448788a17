// mirrorImage against the sandbox's ECR registry, IAM enforced: a stage role pushes only to its
// own repositories and reads only the CI/CD copy it mirrors; re-mirrors cost one HEAD per side;
// faults are retried with backoff, and a copy that failed at the last step resumes.
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { isRampartError } from '@rampart/core';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorImage, type MirrorEvent } from '../src/index.js';
import { basicHeaders, ecr, policy, registryLogin, roleSession } from './support/sandbox-access.js';
import {
  pushManifest,
  randomBlob,
  readManifest,
  testImage,
  type TestManifest,
} from './support/test-images.js';

const CICD = '222222222222';
const DEV = '333333333333';
const instantRetry = { sleep: () => Promise.resolve(), random: () => 0.5 };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('mirrorImage against the sandbox registry (IAM enforced)', () => {
  let sandbox: Sandbox;
  let host: string;
  let image: TestManifest;
  let stage: { username: string; password: string };
  const cicdRepo = (name: string) => `${host}/${CICD}/us-east-1/${name}`;
  const devRepo = (name: string) => `${host}/${DEV}/us-east-1/${name}`;

  beforeAll(async () => {
    sandbox = await startSandbox();
    host = new URL(sandbox.endpoint).host;
    const cicd = ecr(sandbox, sandbox.credentialsFor(CICD));
    const dev = ecr(sandbox, sandbox.credentialsFor(DEV));
    for (const name of ['web/app', 'secret/app']) {
      await cicd.send(new CreateRepositoryCommand({ repositoryName: name }));
    }
    for (const name of ['web/app', 'web/retry', 'web/resume', 'other/app']) {
      await dev.send(new CreateRepositoryCommand({ repositoryName: name }));
    }
    // The stage role of "web" in dev: push to its own repositories, read the CI/CD copy.
    const session = await roleSession(sandbox, DEV, 'web-dev-stage', [
      { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'ecr:BatchGetImage',
          'ecr:BatchCheckLayerAvailability',
          'ecr:InitiateLayerUpload',
          'ecr:UploadLayerPart',
          'ecr:CompleteLayerUpload',
          'ecr:PutImage',
        ],
        Resource: `arn:aws:ecr:us-east-1:${DEV}:repository/web/*`,
      },
      {
        Effect: 'Allow',
        Action: [
          'ecr:BatchGetImage',
          'ecr:GetDownloadUrlForLayer',
          'ecr:BatchCheckLayerAvailability',
        ],
        Resource: `arn:aws:ecr:us-east-1:${CICD}:repository/web/app`,
      },
    ]);
    await cicd.send(
      new SetRepositoryPolicyCommand({
        repositoryName: 'web/app',
        policyText: policy([
          {
            Sid: 'stage-pulls',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${DEV}:role/web-dev-stage` },
            Action: [
              'ecr:BatchGetImage',
              'ecr:GetDownloadUrlForLayer',
              'ecr:BatchCheckLayerAvailability',
            ],
          },
        ]),
      }),
    );
    stage = await registryLogin(sandbox, session);
    const cicdLogin = await registryLogin(sandbox, sandbox.credentialsFor(CICD));
    image = testImage([randomBlob(200_000), randomBlob(600_000), randomBlob(30_000)]);
    const registry = { base: sandbox.endpoint, headers: basicHeaders(cicdLogin) };
    await pushManifest(registry, `${CICD}/us-east-1/web/app`, image, 'v1');
    await pushManifest(registry, `${CICD}/us-east-1/secret/app`, image, 'v1');
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  const mirror = (
    source: string,
    destination: string,
    extra: Partial<Parameters<typeof mirrorImage>[0]> = {},
  ) =>
    mirrorImage({
      source,
      destination,
      sourceAuth: stage,
      destinationAuth: stage,
      insecure: true,
      ...extra,
    });

  it('lets a stage role mirror the CI/CD copy into its own repository, mounting across accounts', async () => {
    const result = await mirror(cicdRepo('web/app:v1'), devRepo('web/app:v1'));
    expect(result).toMatchObject({
      digest: image.digest,
      skipped: false,
      blobsMounted: 4,
      blobsCopied: 0,
    });
    const { imageDetails } = await ecr(sandbox, sandbox.credentialsFor(DEV)).send(
      new DescribeImagesCommand({ repositoryName: 'web/app', imageIds: [{ imageTag: 'v1' }] }),
    );
    expect(imageDetails?.[0]?.imageDigest).toBe(image.digest);
    const copied = await readManifest(
      { base: sandbox.endpoint, headers: basicHeaders(stage) },
      `${DEV}/us-east-1/web/app`,
      'v1',
    );
    expect(copied.bytes.equals(image.bytes)).toBe(true);
  });

  it('re-mirrors an unchanged image with one manifest HEAD per registry side, by digest with one', async () => {
    await mirror(cicdRepo('web/app:v1'), devRepo('web/app:v1'));
    sandbox.control.clearRequestLog();
    const byTag = await mirror(cicdRepo('web/app:v1'), devRepo('web/app:v1'));
    expect(byTag.skipped).toBe(true);
    const log = sandbox.control.requestLog({ service: 'ecr' });
    expect(log.map((entry) => `${entry.action} ${entry.status}`)).toEqual([
      'RegistryHeadManifest 200',
      'RegistryHeadManifest 200',
    ]);
    sandbox.control.clearRequestLog();
    const byDigest = await mirror(cicdRepo(`web/app@${image.digest}`), devRepo('web/app:v1'));
    expect(byDigest.skipped).toBe(true);
    expect(sandbox.control.requestLog({ service: 'ecr' })).toHaveLength(1);
  });

  it('refuses to push into a repository that is not the stage role’s, naming the permissions', async () => {
    const error = await rejection(mirror(cicdRepo('web/app:v1'), devRepo('other/app:v1')));
    expect(isRampartError(error) && error.code).toBe('REGISTRY_DENIED');
    expect(String(error)).toContain(`${DEV}/us-east-1/other/app`);
    expect(isRampartError(error) && error.hint).toContain('ecr:PutImage');
  });

  it('refuses to read a CI/CD repository the stage role does not mirror', async () => {
    const error = await rejection(mirror(cicdRepo('secret/app:v1'), devRepo('web/app:secret')));
    expect(isRampartError(error) && error.code).toBe('REGISTRY_DENIED');
    expect(String(error)).toContain(`${CICD}/us-east-1/secret/app`);
    expect(isRampartError(error) && error.hint).toContain('ecr:BatchGetImage');
  });

  it('refuses a bad registry password as REGISTRY_UNAUTHORIZED', async () => {
    const error = await rejection(
      mirror(cicdRepo('web/app:v1'), devRepo('web/app:v1'), {
        sourceAuth: { username: 'AWS', password: 'not-a-token' },
      }),
    );
    expect(isRampartError(error) && error.code).toBe('REGISTRY_UNAUTHORIZED');
  });

  it('retries 503s with backoff and finishes', async () => {
    sandbox.control.injectFault({
      service: 'ecr',
      action: 'RegistryStartUpload',
      kind: 'unavailable',
      times: 2,
    });
    const events: MirrorEvent[] = [];
    const delays: number[] = [];
    const result = await mirror(cicdRepo('web/app:v1'), devRepo('web/retry:v1'), {
      retry: { ...instantRetry, sleep: (ms) => (delays.push(ms), Promise.resolve()) },
      onProgress: (event) => events.push(event),
    });
    expect(result).toMatchObject({ skipped: false, blobsMounted: 4 });
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries).toHaveLength(2);
    expect(retries.every((e) => e.type === 'retry' && e.code === 'REGISTRY_UNAVAILABLE')).toBe(
      true,
    );
    // Full jitter at 0.5 of the first ceiling (250 ms).
    expect(delays).toEqual([125, 125]);
  });

  it('gives up on a registry that keeps throttling after a bounded number of attempts', async () => {
    const fault = sandbox.control.injectFault({
      service: 'ecr',
      action: 'RegistryHeadManifest',
      kind: 'throttle',
      times: 'always',
    });
    const delays: number[] = [];
    const error = await rejection(
      mirror(cicdRepo('web/app:v1'), devRepo('web/app:v1'), {
        retry: {
          ...instantRetry,
          maxAttempts: 3,
          sleep: (ms) => (delays.push(ms), Promise.resolve()),
        },
      }),
    );
    sandbox.control.clearFaults(fault.id);
    expect(isRampartError(error) && error.code).toBe('REGISTRY_THROTTLED');
    // Two HEADs (source and destination), each retried twice with doubling ceilings.
    expect(delays.sort((x, y) => x - y)).toEqual([125, 125, 250, 250]);
  });

  it('resumes after a failure at the last step without copying a blob again', async () => {
    const fault = sandbox.control.injectFault({
      service: 'ecr',
      action: 'RegistryPutManifest',
      kind: 'internal-error',
      times: 'always',
    });
    const error = await rejection(
      mirror(cicdRepo('web/app:v1'), devRepo('web/resume:v1'), {
        retry: { ...instantRetry, maxAttempts: 2 },
      }),
    );
    sandbox.control.clearFaults(fault.id);
    expect(isRampartError(error) && error.code).toBe('REGISTRY_UNAVAILABLE');
    const resumed = await mirror(cicdRepo('web/app:v1'), devRepo('web/resume:v1'));
    expect(resumed).toMatchObject({
      skipped: false,
      blobsSkipped: 4,
      blobsMounted: 0,
      blobsCopied: 0,
      manifestsPushed: 1,
    });
  });
});
