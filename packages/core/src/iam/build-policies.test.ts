import { afterAll, describe, expect, it } from 'vitest';
import { isRampartError } from '../errors/index.js';
import { buildOidcSubject, buildRoleName, stageRoleName } from '../naming/index.js';
import { modelOf, pipelineYaml, removeTempRepos } from '../test-support/pipeline-fixtures.js';
import { buildPolicies, type BuildPolicies } from './build-policies.js';
import { planBuildPolicies } from './plan-build-policies.js';
import type { PolicyDocumentStatement } from './policy-document.js';

afterAll(removeTempRepos);

const organization = {
  slug: 'acme',
  cicd_account_id: '111111111111',
  cicd_account_region: 'us-east-1',
};
const issuerHost = 'rampart.acme.example';

const PIPELINE = pipelineYaml(`
stages:
  - name: dev
    account_id: "222222222222"
    region: us-west-2
steps:
  - name: Hello
    type: RAMPART:SCRIPT:RUN
    params: { command: echo hi }
artifacts:
  API:
    type: DOCKER:BUILD
    params: { dockerfile: Dockerfile }
  Base:
    type: DOCKER:IMPORT
    params: { source_image_url: 999999999999.dkr.ecr.eu-west-1.amazonaws.com/base/images:1.2 }
  Public:
    type: DOCKER:IMPORT
    params: { source_image_url: public.ecr.aws/nginx/nginx:1.27 }
  Per Stage:
    type: DOCKER:BUILD
    per_stage: true
    params: { dockerfile: Dockerfile }
  Site:
    type: BUNDLE:BUILD
    params: { build_commands: make, file_path: site.zip }
  Vendor:
    type: BUNDLE:IMPORT
    params:
      source_account: "888888888888"
      source_region: us-east-2
      source_s3_url: s3://vendor-drops/lib/v1.zip
  Dynamic:
    type: BUNDLE:IMPORT
    params:
      source_account: "888888888888"
      source_region: us-east-2
      source_s3_url: s3://vendor-drops/\${{ trigger.sha }}.zip
`);

function statements(result: BuildPolicies | undefined): Map<string, PolicyDocumentStatement> {
  const document = result?.policies.find((p) => p.name === 'rampart-build')?.document;
  if (document === undefined) throw new Error('no rampart-build policy');
  return new Map(document.Statement.map((s) => [s.Sid ?? '', s]));
}

describe('buildRoleName and buildOidcSubject', () => {
  it('name the role after org and pipeline, cut like stage roles', () => {
    expect(buildRoleName({ org: 'acme', slug: 'shop' })).toBe('rampart-acme-shop-build');
    expect(buildRoleName({ slug: 'shop' })).toBe('rampart-shop-build');
    const long = buildRoleName({ org: 'acme', slug: 'a'.repeat(80) });
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^rampart-acme-a+-[0-9a-f]{6}$/);
  });

  it('pins the build subject, which no stage subject equals', () => {
    expect(buildOidcSubject({ org: 'acme', slug: 'shop' })).toBe('org:acme/pipeline:shop/build');
    for (const bad of [
      { org: 'acme', slug: 'shop/stage:x' },
      { org: '*', slug: 'shop' },
    ]) {
      let code: string | undefined;
      try {
        buildOidcSubject(bad);
      } catch (error) {
        code = isRampartError(error) ? error.code : 'other';
      }
      expect(code).toBe('RESOURCE_NAME_INVALID');
    }
  });
});

describe('buildPolicies', () => {
  it('trusts only the pipeline build subject from the CI/CD account provider', async () => {
    const model = await modelOf(PIPELINE, { slug: 'shop' });
    const build = buildPolicies({ model, organization, issuerHost });
    expect(build).toMatchObject({
      roleName: 'rampart-acme-shop-build',
      roleArn: 'arn:aws:iam::111111111111:role/rampart-acme-shop-build',
      accountId: '111111111111',
      subject: 'org:acme/pipeline:shop/build',
      notes: [],
    });
    expect(build?.trustPolicy.Statement).toEqual([
      {
        Sid: 'RampartBuildToken',
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/rampart.acme.example' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'rampart.acme.example:aud': 'sts.amazonaws.com',
            'rampart.acme.example:sub': 'org:acme/pipeline:shop/build',
          },
        },
      },
    ]);
  });

  it('pushes to the CI/CD repositories and buckets only, reading literal import sources', async () => {
    const model = await modelOf(PIPELINE, { slug: 'shop' });
    const s = statements(buildPolicies({ model, organization, issuerHost }));
    expect([...s.keys()]).toEqual([
      'BuildRegistryLogin',
      'BuildImageRepositories',
      'BuildImageImports',
      'BuildBundleList',
      'BuildBundleObjects',
      'BuildBundleImports',
    ]);
    expect(s.get('BuildRegistryLogin')?.Resource).toBe('*');
    // Not the per_stage artifact's repository: stage roles build that one.
    expect(s.get('BuildImageRepositories')?.Resource).toEqual([
      'arn:aws:ecr:us-east-1:111111111111:repository/shop-api',
      'arn:aws:ecr:us-east-1:111111111111:repository/shop-base',
      'arn:aws:ecr:us-east-1:111111111111:repository/shop-public',
    ]);
    expect(s.get('BuildImageRepositories')?.Action).toEqual(
      expect.arrayContaining(['ecr:PutImage', 'ecr:BatchGetImage']),
    );
    expect(s.get('BuildImageImports')).toMatchObject({
      Action: expect.not.arrayContaining(['ecr:PutImage']) as unknown,
      Resource: ['arn:aws:ecr:eu-west-1:999999999999:repository/base/images'],
    });
    expect(s.get('BuildBundleList')?.Resource).toEqual([
      'arn:aws:s3:::111111111111-shop-dynamic',
      'arn:aws:s3:::111111111111-shop-site',
      'arn:aws:s3:::111111111111-shop-vendor',
    ]);
    expect(s.get('BuildBundleObjects')?.Action).toEqual([
      's3:AbortMultipartUpload',
      's3:GetObject',
      's3:PutObject',
    ]);
    // The URL with an expression is known only at run time: no grant for it.
    expect(s.get('BuildBundleImports')?.Resource).toEqual(['arn:aws:s3:::vendor-drops/lib/v1.zip']);
    expect(JSON.stringify([...s.values()])).not.toMatch(/per-stage|222222222222/);
  });

  it('is absent when the pipeline builds nothing in the CI/CD account', async () => {
    const model = await modelOf(
      pipelineYaml(`
stages:
  - name: dev
    account_id: "222222222222"
    region: us-west-2
steps:
  - name: Hello
    type: RAMPART:SCRIPT:RUN
    params: { command: echo hi }
artifacts:
  API:
    type: DOCKER:BUILD
    per_stage: true
    params: { dockerfile: Dockerfile }
`),
      { slug: 'shop' },
    );
    expect(buildPolicies({ model, organization, issuerHost })).toBeUndefined();
  });

  it('refuses a stage named build in the CI/CD account, whose role would be the build role', async () => {
    const model = await modelOf(
      PIPELINE.replace('name: dev', 'name: build').replace('"222222222222"', '"111111111111"'),
      {
        slug: 'shop',
      },
    );
    expect(stageRoleName({ org: 'acme', slug: 'shop', stage: 'build' })).toBe(
      buildRoleName({ org: 'acme', slug: 'shop' }),
    );
    let error: unknown;
    try {
      buildPolicies({ model, organization, issuerHost });
    } catch (e) {
      error = e;
    }
    expect(isRampartError(error) && error.code).toBe('RESOURCE_NAME_INVALID');
    expect(String(error)).toContain('stage "build"');
  });

  it('plans without an issuer (placeholder host), and not without organization settings', async () => {
    const model = await modelOf(PIPELINE, { slug: 'shop' });
    const planned = planBuildPolicies({ model, organization });
    expect(JSON.stringify(planned?.trustPolicy)).toContain('<issuer-host>:sub');
    expect(planBuildPolicies({ model, organization: { slug: 'acme' } })).toBeUndefined();
  });
});

describe('planPipeline', () => {
  it('shows the build role beside the stages', async () => {
    const { planPipeline } = await import('../planner/plan-pipeline.js');
    const model = await modelOf(PIPELINE, { slug: 'shop' });
    const plan = planPipeline(model, {
      inputs: { organization: { ...organization, name: 'Acme' } },
    });
    expect(plan.build?.roleName).toBe('rampart-acme-shop-build');
    expect(planPipeline(model).build).toBeUndefined();
  });
});
