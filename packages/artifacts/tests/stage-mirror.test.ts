// The stage mirror adapter against the sandbox, IAM enforced: stage roles with the policies core
// computes for them (what bootstrap deploys), CI/CD copies with the resource policies of the
// pipeline stack, an image and a bundle mirrored into two stages (one in another region); a second
// run only looks; a stage role reads no other pipeline's CI/CD copy and writes no other stage's.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  ECRClient,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import {
  isRampartError,
  nodeFileSystem,
  stagePolicies,
  stageRoleName,
  validateRepository,
  type PipelineModel,
} from '@rampart/core';
import type {
  CredentialsProvider,
  MirrorRequest,
  StageArtifactCopy,
  StageCredentials,
  StageTarget,
} from '@rampart/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStageArtifactMirror,
  type MirrorClientTarget,
  type StageMirrorEvent,
} from '../src/index.js';
import { registryLogin, basicHeaders } from './support/sandbox-access.js';
import { pushManifest, randomBlob, testImage, type TestManifest } from './support/test-images.js';

const CICD = '222222222222';
const DEV = '333333333333';
const PROD = '444444444444';
const organization = { slug: 'acme', cicd_account_id: CICD, cicd_account_region: 'us-east-1' };
const KEY = `arn:aws:kms:us-east-1:${CICD}:key/0b1c2d3e-0000-4000-8000-000000000001`;

const pipeline = (stages: string) => `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
${stages}
  steps:
    - name: Hello
      type: RAMPART:SCRIPT:RUN
      params: { command: echo }
  artifacts:
    API:
      type: DOCKER:BUILD
      params: { dockerfile: Dockerfile }
    Site:
      type: BUNDLE:BUILD
      params: { build_commands: make, file_path: site.zip }
    Tool:
      type: DOCKER:BUILD
      per_stage: true
      params: { dockerfile: Dockerfile }
`;

const WEB = pipeline(`    - name: dev
      account_id: "${DEV}"
      region: us-east-1
    - name: prod
      account_id: "${PROD}"
      region: us-west-2`);
const SHOP = pipeline(`    - name: dev
      account_id: "${DEV}"
      region: us-east-1`);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('createStageArtifactMirror against the sandbox (IAM enforced)', () => {
  let sandbox: Sandbox;
  let dir: string;
  let web: PipelineModel;
  let image: TestManifest;
  let shopImage: TestManifest;
  let bundle: Buffer;
  const roleCredentials = new Map<string, StageCredentials>();
  const events: StageMirrorEvent[] = [];

  const config = (region: string, credentials: MirrorClientTarget['credentials']) => ({
    endpoint: sandbox.endpoint,
    region,
    credentials,
    maxAttempts: 1,
    forcePathStyle: true,
  });
  const sdk = {
    s3: (t: MirrorClientTarget) => new S3Client(config(t.region, t.credentials)),
    ecr: (t: MirrorClientTarget) => new ECRClient(config(t.region, t.credentials)),
  };
  // The engine's provider: the session of the stage's role (the trust policy is not under test).
  const credentials: CredentialsProvider = {
    credentialsFor: (target: StageTarget) => {
      const found = roleCredentials.get(target.stage);
      if (found === undefined) return Promise.reject(new Error(`no role for ${target.stage}`));
      return Promise.resolve(found);
    },
  };
  const mirror = createStageArtifactMirror({
    credentials,
    sdk,
    retry: { sleep: () => Promise.resolve(), maxAttempts: 2 },
    onEvent: (event) => events.push(event),
  });

  const target = (stage: 'dev' | 'prod'): StageTarget => ({
    pipelineId: 'p-web',
    pipelineSlug: 'web',
    stage,
    accountId: stage === 'dev' ? DEV : PROD,
    region: stage === 'dev' ? 'us-east-1' : 'us-west-2',
    role: stageRoleName({ org: 'acme', slug: 'web', stage }),
  });
  // The copies the engine's plan carries for a stage of "web" (ids api, site, tool).
  const copies = (stage: 'dev' | 'prod', source = 'web'): StageArtifactCopy[] => {
    const t = target(stage);
    return [
      {
        name: 'API',
        id: 'api',
        kind: 'image',
        repository: `web-${stage}-api`,
        source: { accountId: CICD, region: 'us-east-1', repository: `${source}-api` },
      },
      {
        name: 'Site',
        id: 'site',
        kind: 'bundle',
        bucket: `${t.accountId}-web-${stage}-site`,
        source: { accountId: CICD, region: 'us-east-1', bucket: `${CICD}-${source}-site` },
      },
      { name: 'Tool', id: 'tool', kind: 'image', repository: `web-${stage}-tool` },
    ];
  };
  const sha = () => createHash('sha256').update(bundle).digest('hex');
  const sources = () => ({
    api: {
      image_url: `${new URL(sandbox.endpoint).host}/${CICD}/us-east-1/web-api@${image.digest}`,
      image_tag: 'rev-7',
      image_digest: image.digest,
    },
    site: {
      s3_url: `s3://${CICD}-web-site/web/site/abc123.zip`,
      s3_bucket: `${CICD}-web-site`,
      s3_key: 'web/site/abc123.zip',
      sha256: sha(),
    },
  });
  const request = (stage: 'dev' | 'prod', extra: Partial<MirrorRequest> = {}): MirrorRequest => ({
    target: target(stage),
    deploymentId: 'dep-7',
    revision: 7,
    commitSha: 'abc123',
    artifacts: copies(stage),
    sources: sources(),
    signal: new AbortController().signal,
    ...extra,
  });

  beforeAll(async () => {
    sandbox = await startSandbox();
    dir = mkdtempSync(join(tmpdir(), 'rampart-stage-mirror-'));
    for (const [slug, text] of [
      ['web', WEB],
      ['shop', SHOP],
    ] as const) {
      mkdirSync(join(dir, '.rampart', slug), { recursive: true });
      writeFileSync(join(dir, '.rampart', slug, 'pipeline.yaml'), text);
    }
    const validated = await validateRepository(dir, nodeFileSystem, { organization });
    const model = validated.pipelines.find((p) => p.model?.slug === 'web')?.model;
    if (model === undefined) throw new Error('the web pipeline does not validate');
    web = model;

    // Stage roles with exactly the policies bootstrap gives them, and their own stores.
    for (const stage of web.stages) {
      const admin = sandbox.credentialsFor(stage.accountId);
      const iam = new IAMClient(config(stage.region, admin));
      const computed = stagePolicies({
        model: web,
        stage,
        organization,
        issuerHost: 'rampart.test',
        kmsKeyArn: KEY,
      });
      await iam.send(
        new CreateRoleCommand({
          RoleName: computed.roleName,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${stage.accountId}:root` },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      );
      for (const policy of computed.policies) {
        await iam.send(
          new PutRolePolicyCommand({
            RoleName: computed.roleName,
            PolicyName: policy.name,
            PolicyDocument: JSON.stringify(policy.document),
          }),
        );
      }
      const { Credentials: c } = await new STSClient(config(stage.region, admin)).send(
        new AssumeRoleCommand({ RoleArn: computed.roleArn, RoleSessionName: 'mirror' }),
      );
      roleCredentials.set(stage.name, {
        accessKeyId: c?.AccessKeyId ?? '',
        secretAccessKey: c?.SecretAccessKey ?? '',
        sessionToken: c?.SessionToken ?? '',
      });
      const ecr = new ECRClient(config(stage.region, admin));
      for (const id of ['api', 'tool']) {
        await ecr.send(new CreateRepositoryCommand({ repositoryName: `web-${stage.name}-${id}` }));
      }
      await new S3Client(config(stage.region, admin)).send(
        new CreateBucketCommand({
          Bucket: `${stage.accountId}-web-${stage.name}-site`,
          ...(stage.region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }),
        }),
      );
    }

    // The CI/CD copies of "web" and of another pipeline, "shop", readable by the stage roles of
    // their own pipeline only (the pipeline stack's resource policies).
    const cicdAdmin = sandbox.credentialsFor(CICD);
    const cicdEcr = new ECRClient(config('us-east-1', cicdAdmin));
    const cicdS3 = new S3Client(config('us-east-1', cicdAdmin));
    const readers = (slug: string, stages: { name: string; account: string }[]) => ({
      Principal: { AWS: [...new Set(stages.map((s) => `arn:aws:iam::${s.account}:root`))] },
      Condition: {
        ArnEquals: {
          'aws:PrincipalArn': stages.map(
            (s) =>
              `arn:aws:iam::${s.account}:role/${stageRoleName({ org: 'acme', slug, stage: s.name })}`,
          ),
        },
      },
    });
    const webReaders = readers('web', [
      { name: 'dev', account: DEV },
      { name: 'prod', account: PROD },
    ]);
    const shopReaders = readers('shop', [{ name: 'dev', account: DEV }]);
    for (const [slug, who] of [
      ['web', webReaders],
      ['shop', shopReaders],
    ] as const) {
      await cicdEcr.send(new CreateRepositoryCommand({ repositoryName: `${slug}-api` }));
      await cicdEcr.send(
        new SetRepositoryPolicyCommand({
          repositoryName: `${slug}-api`,
          policyText: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'StageRolesPull',
                Effect: 'Allow',
                ...who,
                Action: [
                  'ecr:BatchCheckLayerAvailability',
                  'ecr:BatchGetImage',
                  'ecr:DescribeImages',
                  'ecr:GetDownloadUrlForLayer',
                ],
              },
            ],
          }),
        }),
      );
      const bucket = `${CICD}-${slug}-site`;
      await cicdS3.send(new CreateBucketCommand({ Bucket: bucket }));
      await cicdS3.send(
        new PutBucketPolicyCommand({
          Bucket: bucket,
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'StageRolesRead',
                Effect: 'Allow',
                ...who,
                Action: ['s3:GetObject'],
                Resource: `arn:aws:s3:::${bucket}/*`,
              },
            ],
          }),
        }),
      );
    }
    // What the build put there: an image, and a zip recording its SHA-256.
    image = testImage([randomBlob(150_000), randomBlob(40_000)]);
    const login = await registryLogin(sandbox, cicdAdmin);
    const registry = { base: sandbox.endpoint, headers: basicHeaders(login) };
    await pushManifest(registry, `${CICD}/us-east-1/web-api`, image, 'rev-7');
    shopImage = testImage([randomBlob(30_000)]);
    await pushManifest(registry, `${CICD}/us-east-1/shop-api`, shopImage, 'rev-7');
    bundle = randomBytes(120_000);
    for (const slug of ['web', 'shop']) {
      await cicdS3.send(
        new PutObjectCommand({
          Bucket: `${CICD}-${slug}-site`,
          Key: 'web/site/abc123.zip',
          Body: bundle,
          Metadata: { sha256: sha() },
        }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('mirrors the image and the bundle into both stages and returns the stage fields', async () => {
    const lines: string[] = [];
    const host = new URL(sandbox.endpoint).host;
    for (const stage of ['dev', 'prod'] as const) {
      const t = target(stage);
      const fields = await mirror.mirror(request(stage, { log: (line) => lines.push(line) }));
      expect(fields).toEqual({
        api: {
          image_url: `${host}/${t.accountId}/${t.region}/web-${stage}-api@${image.digest}`,
          image_tag: 'rev-7',
          image_digest: image.digest,
        },
        site: {
          s3_url: `s3://${t.accountId}-web-${stage}-site/web/site/abc123.zip`,
          s3_bucket: `${t.accountId}-web-${stage}-site`,
          s3_key: 'web/site/abc123.zip',
          sha256: sha(),
        },
      });
      // Tagged like the CI/CD copy, in the stage's account and region.
      const admin = sandbox.credentialsFor(t.accountId);
      const described = await new ECRClient(config(t.region, admin)).send(
        new DescribeImagesCommand({
          repositoryName: `web-${stage}-api`,
          imageIds: [{ imageTag: 'rev-7' }],
        }),
      );
      expect(described.imageDetails?.[0]?.imageDigest).toBe(image.digest);
      const object = await new S3Client(config(t.region, admin)).send(
        new GetObjectCommand({
          Bucket: `${t.accountId}-web-${stage}-site`,
          Key: 'web/site/abc123.zip',
        }),
      );
      expect(Buffer.from(await object.Body!.transformToByteArray()).equals(bundle)).toBe(true);
    }
    expect(events.filter((e) => e.type === 'image-mirrored').map((e) => e.skipped)).toEqual([
      false,
      false,
    ]);
    // Same region: S3 copies server-side; another region: streamed through the control plane.
    expect(events.flatMap((e) => (e.type === 'bundle-mirrored' ? [e.method] : []))).toEqual([
      'copy',
      'stream',
    ]);
    expect(events).toContainEqual({ type: 'artifact-not-mirrored', artifact: 'Tool' });
    expect(lines.filter((l) => l.startsWith('image "API": copied'))).toHaveLength(2);
    expect(lines).toContain('artifact "Tool": built for this stage, not mirrored');
  });

  it('a second run looks only: one manifest HEAD, no blob, the bundle skipped by checksum', async () => {
    await mirror.mirror(request('prod'));
    events.length = 0;
    sandbox.control.clearRequestLog();
    const lines: string[] = [];
    const fields = await mirror.mirror(request('prod', { log: (line) => lines.push(line) }));
    expect(fields['api']?.['image_digest']).toBe(image.digest);
    const registry = sandbox.control
      .requestLog({ service: 'ecr' })
      .filter((entry) => entry.action.startsWith('Registry'))
      .map((entry) => `${entry.action} ${entry.status}`);
    expect(registry).toEqual(['RegistryHeadManifest 200']);
    const s3 = sandbox.control.requestLog({ service: 's3' }).map((entry) => entry.action);
    expect(s3).toEqual(['HeadObject', 'HeadObject']);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'image-mirrored', skipped: true }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'bundle-mirrored', method: 'skipped', bytesCopied: 0 }),
    );
    expect(lines.some((l) => l.includes('nothing copied'))).toBe(true);
  });

  it("refuses to read another pipeline's CI/CD copy, naming the artifact and the stage", async () => {
    const [api, site] = copies('dev', 'shop');
    const imageError = await rejection(
      mirror.mirror(
        request('dev', {
          artifacts: [api as StageArtifactCopy],
          sources: { api: { image_tag: 'rev-7', image_digest: shopImage.digest } },
        }),
      ),
    );
    expect(isRampartError(imageError) && imageError.code).toBe('REGISTRY_DENIED');
    expect(String(imageError)).toContain(`mirroring image "API" into stage "dev" (account ${DEV}`);
    expect(String(imageError)).toContain(`${CICD}/us-east-1/shop-api`);
    const bundleError = await rejection(
      mirror.mirror(
        request('dev', {
          artifacts: [site as StageArtifactCopy],
          sources: { site: { ...sources().site, s3_bucket: `${CICD}-shop-site` } },
        }),
      ),
    );
    expect(isRampartError(bundleError) && bundleError.code).toBe('BUNDLE_ACCESS_DENIED');
    expect(String(bundleError)).toContain(`s3://${CICD}-shop-site/web/site/abc123.zip`);
  });

  it("refuses to push into another stage's repository or bucket", async () => {
    // The dev role's credentials aimed at prod's stores (as a confused plan would do).
    const confused = { ...target('prod'), stage: 'dev' };
    const [api, site] = copies('prod');
    const imageError = await rejection(
      mirror.mirror({
        ...request('prod'),
        target: confused,
        artifacts: [api as StageArtifactCopy],
      }),
    );
    expect(isRampartError(imageError) && imageError.code).toBe('REGISTRY_DENIED');
    expect(String(imageError)).toContain(`${PROD}/us-west-2/web-prod-api`);
    const bundleError = await rejection(
      mirror.mirror({
        ...request('prod'),
        target: confused,
        artifacts: [site as StageArtifactCopy],
      }),
    );
    expect(isRampartError(bundleError) && bundleError.code).toBe('BUNDLE_ACCESS_DENIED');
  });

  it('fails clearly when the build recorded no fields for a copy, and skips per_stage copies', async () => {
    const error = await rejection(mirror.mirror(request('dev', { sources: {} })));
    expect(isRampartError(error) && error.code).toBe('ARTIFACT_MIRROR_SOURCE_MISSING');
    expect(String(error)).toContain('artifact "API" (api)');
    const noDigest = await rejection(
      mirror.mirror(request('dev', { sources: { ...sources(), api: { image_tag: 'rev-7' } } })),
    );
    expect(isRampartError(noDigest) && noDigest.code).toBe('ARTIFACT_MIRROR_SOURCE_MISSING');
    const perStageOnly = copies('dev').filter((c) => c.source === undefined);
    sandbox.control.clearRequestLog();
    expect(await mirror.mirror(request('dev', { artifacts: perStageOnly }))).toEqual({});
    expect(sandbox.control.requestLog()).toEqual([]);
  });

  it('refuses a CI/CD bundle whose content no longer matches what the build recorded', async () => {
    const error = await rejection(
      mirror.mirror(
        request('dev', {
          artifacts: copies('dev').filter((c) => c.id === 'site'),
          sources: { site: { ...sources().site, sha256: '0'.repeat(64) } },
        }),
      ),
    );
    expect(isRampartError(error) && error.code).toBe('ARTIFACT_DIGEST_MISMATCH');
  });
});
