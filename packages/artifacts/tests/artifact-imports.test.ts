// DOCKER:IMPORT and BUNDLE:IMPORT against the sandbox, IAM enforced: the source lives in another
// account (a vendor) that lets the CI/CD build role read it; the builder waits for it on a manual
// clock (it appears after two polls), copies it into the CI/CD repository or bucket under the
// revision's tag or key, and gives up with ARTIFACT_IMPORT_TIMEOUT after timeout_minutes.
import {
  CreateRepositoryCommand,
  ECRClient,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ECR_PULL_ACTIONS } from '@rampart/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArtifactBuilder, SHA256_METADATA_KEY } from '../src/index.js';
import {
  BUCKET,
  CICD,
  REGION,
  REPOSITORY,
  rejection,
  startBuildHarness,
  type BuildHarness,
} from './support/build-harness.js';
import { basicHeaders, policy, registryLogin, sdkConfig } from './support/sandbox-access.js';
import { pushManifest, randomBlob, readManifest, testImage } from './support/test-images.js';

const VENDOR = '444444444444';
const BUILD_ROLE = `arn:aws:iam::${CICD}:role/rampart-web-build`;

describe('artifact imports', () => {
  let h: BuildHarness;
  let host: string;
  let vendorS3: S3Client;
  let vendorLogin: { username: string; password: string };

  beforeAll(async () => {
    h = await startBuildHarness([
      {
        Effect: 'Allow',
        Action: ECR_PULL_ACTIONS,
        Resource: `arn:aws:ecr:${REGION}:${VENDOR}:repository/vendor/agent`,
      },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::vendor-drops/*' },
    ]);
    await h.repo.commit({ 'README.md': 'imports only\n' });
    host = new URL(h.sandbox.endpoint).host;
    const vendor = h.sandbox.credentialsFor(VENDOR);
    const ecr = new ECRClient(sdkConfig(h.sandbox, vendor));
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'vendor/agent' }));
    await ecr.send(
      new SetRepositoryPolicyCommand({
        repositoryName: 'vendor/agent',
        policyText: policy([
          { Effect: 'Allow', Principal: { AWS: BUILD_ROLE }, Action: ECR_PULL_ACTIONS },
        ]),
      }),
    );
    vendorLogin = await registryLogin(h.sandbox, vendor);
    vendorS3 = new S3Client(sdkConfig(h.sandbox, vendor));
    await vendorS3.send(new CreateBucketCommand({ Bucket: 'vendor-drops' }));
    await vendorS3.send(
      new PutBucketPolicyCommand({
        Bucket: 'vendor-drops',
        Policy: policy([
          {
            Effect: 'Allow',
            Principal: { AWS: BUILD_ROLE },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::vendor-drops/*',
          },
        ]),
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('DOCKER:IMPORT waits for the source image, then copies it under the revision tag', async () => {
    const image = testImage([randomBlob(50_000)]);
    h.clock.waits = 0;
    h.clock.onWait = async () => {
      if (h.clock.waits === 2) {
        await pushManifest(
          { base: h.sandbox.endpoint, headers: basicHeaders(vendorLogin) },
          `${VENDOR}/${REGION}/vendor/agent`,
          image,
          'v7',
        );
      }
    };
    const request = h.request({
      type: 'DOCKER:IMPORT',
      params: {
        source_image_url: `${host}/${VENDOR}/${REGION}/vendor/agent:v7`,
        timeout_minutes: 1,
      },
    });
    const result = await createArtifactBuilder(h.options).build(request);
    h.clock.onWait = undefined;
    const tag = `1-${request.commitSha.slice(0, 7)}`;
    expect(h.clock.waits).toBe(2);
    expect(result.fields).toEqual({
      image_url: `${host}/${CICD}/${REGION}/${REPOSITORY}@${image.digest}`,
      image_tag: tag,
      image_digest: image.digest,
    });
    const cicdLogin = await registryLogin(h.sandbox, h.sandbox.credentialsFor(CICD));
    const copy = await readManifest(
      { base: h.sandbox.endpoint, headers: basicHeaders(cicdLogin) },
      `${CICD}/${REGION}/${REPOSITORY}`,
      tag,
    );
    expect(copy.bytes.equals(image.bytes)).toBe(true);
    expect(request.captured.text()).toContain('does not exist yet; looking again every 15 s');
  });

  it('DOCKER:IMPORT gives up after timeout_minutes, and at once without one', async () => {
    h.clock.waits = 0;
    const url = `${host}/${VENDOR}/${REGION}/vendor/agent:never`;
    const error = await rejection(
      createArtifactBuilder(h.options).build(
        h.request(
          { type: 'DOCKER:IMPORT', params: { source_image_url: url, timeout_minutes: 1 } },
          { revision: 2 },
        ),
      ),
    );
    expect(error.code).toBe('ARTIFACT_IMPORT_TIMEOUT');
    expect(error.message).toContain(`${url} does not exist after waiting 1 min`);
    expect(h.clock.waits).toBe(4);

    h.clock.waits = 0;
    const now = await rejection(
      createArtifactBuilder(h.options).build(
        h.request({ type: 'DOCKER:IMPORT', params: { source_image_url: url } }, { revision: 3 }),
      ),
    );
    expect(now.code).toBe('ARTIFACT_IMPORT_TIMEOUT');
    expect(h.clock.waits).toBe(0);
  });

  it('BUNDLE:IMPORT waits for the source object, then copies it with its sha256', async () => {
    const body = Buffer.from('PK\x03\x04 pretend zip');
    h.clock.waits = 0;
    h.clock.onWait = async () => {
      if (h.clock.waits === 2) {
        await vendorS3.send(
          new PutObjectCommand({ Bucket: 'vendor-drops', Key: 'agent/1.2.zip', Body: body }),
        );
      }
    };
    const request = h.request({
      type: 'BUNDLE:IMPORT',
      params: {
        source_account: VENDOR,
        source_region: REGION,
        source_s3_url: 's3://vendor-drops/agent/1.2.zip',
        timeout_minutes: 5,
      },
    });
    const result = await createArtifactBuilder(h.options).build(request);
    h.clock.onWait = undefined;
    expect(h.clock.waits).toBe(2);
    const key = `1-${request.commitSha.slice(0, 7)}.zip`;
    const { createHash } = await import('node:crypto');
    const sha256 = createHash('sha256').update(body).digest('hex');
    expect(result.fields).toEqual({
      s3_url: `s3://${BUCKET}/${key}`,
      s3_bucket: BUCKET,
      s3_key: key,
      sha256,
    });
    const head = await h.admin.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.Metadata?.[SHA256_METADATA_KEY]).toBe(sha256);
  });

  it('BUNDLE:IMPORT gives up after timeout_minutes', async () => {
    h.clock.waits = 0;
    const error = await rejection(
      createArtifactBuilder(h.options).build(
        h.request(
          {
            type: 'BUNDLE:IMPORT',
            params: {
              source_account: VENDOR,
              source_region: REGION,
              source_s3_url: 's3://vendor-drops/agent/9.9.zip',
              timeout_minutes: 2,
            },
          },
          { revision: 4 },
        ),
      ),
    );
    expect(error.code).toBe('ARTIFACT_IMPORT_TIMEOUT');
    expect(h.clock.waits).toBe(8);
  });
});
