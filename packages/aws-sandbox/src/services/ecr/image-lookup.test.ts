import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { SandboxRuntime } from '../../framework/runtime.js';
import { createInitialState, DEFAULT_ACCOUNTS } from '../../state/accounts.js';
import { ecrState, repositoryArn, type EcrRepository } from './ecr-state.js';
import { mayPull, parseImageUri, resolveImage } from './image-lookup.js';
import { linkLayer, putManifest } from './image-store.js';
import { OCI_INDEX } from './manifests.js';
import { policyDocument, randomBlob, testImage, testIndex } from './test-support/ecr-sandbox.js';

const CICD = '222222222222';
const DEV = '333333333333';
const PROD = '555555555555';

function world() {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const runtime = new SandboxRuntime({
    state: createInitialState(DEFAULT_ACCOUNTS, clock),
    clock,
    services: [],
    dataDir: '/nonexistent',
  });
  runtime.endpoint = 'http://127.0.0.1:4566';
  const repository: EcrRepository = {
    name: 'team/web',
    arn: repositoryArn('us-east-1', CICD, 'team/web'),
    registryId: CICD,
    region: 'us-east-1',
    createdAt: clock.now().toISOString(),
    imageTagMutability: 'MUTABLE',
    imageTagMutabilityExclusionFilters: [],
    scanOnPush: false,
    encryptionType: 'AES256',
    tags: [],
    images: {},
    imageTags: {},
    layers: {},
  };
  ecrState(runtime, CICD, 'us-east-1').repositories[repository.name] = repository;
  const image = testImage([randomBlob(10)]);
  for (const blob of [image.config, ...image.layers])
    linkLayer(repository, blob.digest, blob.data.length);
  putManifest(repository, { bytes: Buffer.from(image.manifest), tag: 'v1', now: clock.now() });
  const index = testIndex([{ image, architecture: 'amd64' }]);
  putManifest(repository, { bytes: Buffer.from(index.manifest), tag: 'latest', now: clock.now() });
  return { runtime, repository, image, index };
}

describe('image lookup', () => {
  it('parses sandbox and canonical ECR image URIs', () => {
    expect(parseImageUri('127.0.0.1:4566/222222222222/us-east-1/team/web:v1')).toEqual({
      accountId: CICD,
      region: 'us-east-1',
      repositoryName: 'team/web',
      tag: 'v1',
    });
    expect(parseImageUri('222222222222.dkr.ecr.eu-west-1.amazonaws.com/app')).toEqual({
      accountId: CICD,
      region: 'eu-west-1',
      repositoryName: 'app',
      tag: 'latest',
    });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageUri(`localhost:5000/222222222222/us-east-1/app:v1@${digest}`)).toMatchObject({
      digest,
    });
    for (const bad of [
      'nginx:latest',
      'docker.io/library/nginx',
      '127.0.0.1:4566/2222/us-east-1/app',
      '127.0.0.1:4566/222222222222/nowhere/app',
      '127.0.0.1:4566/222222222222/us-east-1/UPPER',
      `127.0.0.1:4566/222222222222/us-east-1/app@sha256:short`,
      '127.0.0.1:4566/222222222222/us-east-1/app:bad!tag',
    ]) {
      expect(parseImageUri(bad), bad).toBeUndefined();
    }
  });

  it('resolves tags and digests to the stored manifest, and nothing else', () => {
    const { runtime, image, index } = world();
    const byTag = resolveImage(runtime, `127.0.0.1:4566/${CICD}/us-east-1/team/web:v1`);
    expect(byTag).toEqual({
      accountId: CICD,
      region: 'us-east-1',
      repositoryName: 'team/web',
      repositoryArn: `arn:aws:ecr:us-east-1:${CICD}:repository/team/web`,
      digest: image.digest,
      mediaType: image.mediaType,
    });
    expect(resolveImage(runtime, `${CICD}.dkr.ecr.us-east-1.amazonaws.com/team/web`)).toMatchObject(
      {
        digest: index.digest,
        mediaType: OCI_INDEX,
      },
    );
    expect(
      resolveImage(runtime, `${CICD}.dkr.ecr.us-east-1.amazonaws.com/team/web@${image.digest}`)
        ?.digest,
    ).toBe(image.digest);
    expect(resolveImage(runtime, `127.0.0.1:4566/${CICD}/us-east-1/team/web:v2`)).toBeUndefined();
    expect(
      resolveImage(runtime, `127.0.0.1:4566/${CICD}/us-east-1/team/web@${randomBlob(1).digest}`),
    ).toBeUndefined();
    expect(resolveImage(runtime, `127.0.0.1:4566/${CICD}/eu-west-1/team/web:v1`)).toBeUndefined();
    expect(resolveImage(runtime, `127.0.0.1:4566/${DEV}/us-east-1/team/web:v1`)).toBeUndefined();
    expect(
      resolveImage(runtime, `127.0.0.1:4566/999999999999/us-east-1/team/web:v1`),
    ).toBeUndefined();
    // Lookups never create state.
    expect(runtime.state.accounts[DEV]?.services['ecr']).toBeUndefined();
  });

  it('lets the owner pull, and other accounts only through the repository policy', () => {
    const { runtime, repository } = world();
    const image = resolveImage(runtime, `127.0.0.1:4566/${CICD}/us-east-1/team/web:v1`);
    if (!image) throw new Error('image not found');
    expect(mayPull(runtime, image, CICD)).toBe(true);
    expect(mayPull(runtime, image, DEV)).toBe(false);
    repository.policyText = policyDocument([
      {
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${DEV}:root`] },
        Action: 'ecr:BatchGet*',
      },
      {
        Effect: 'Allow',
        Principal: { AWS: PROD },
        Action: 'ecr:BatchGetImage',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-x' } },
      },
    ]);
    expect(mayPull(runtime, image, DEV)).toBe(true);
    // A conditional allow is not evaluated outside a request, so it does not count.
    expect(mayPull(runtime, image, PROD)).toBe(false);
    repository.policyText = policyDocument([
      { Effect: 'Allow', Principal: '*', Action: 'ecr:*' },
      {
        Effect: 'Deny',
        Principal: { AWS: `arn:aws:iam::${DEV}:root` },
        Action: 'ecr:BatchGetImage',
      },
    ]);
    expect(mayPull(runtime, image, PROD)).toBe(true);
    expect(mayPull(runtime, image, DEV)).toBe(false);
    repository.policyText = policyDocument([
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: 'ecr:PutImage' },
    ]);
    expect(mayPull(runtime, image, DEV)).toBe(false);
  });
});
