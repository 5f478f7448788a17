import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '@rampart/core';
import {
  pipelineFrom,
  removeTempRepos,
  type LoadedPipeline,
} from '../../test-support/pipelines.js';
import type { BootstrapSettings } from './bootstrap-settings.js';
import { pipelineTemplate } from './pipeline-template.js';

afterAll(removeTempRepos);

const settings: BootstrapSettings = {
  organization: { slug: 'acme', cicd_account_id: '111111111111', cicd_account_region: 'us-east-1' },
  issuerUrl: 'https://rampart.acme.example',
};

const STAGES = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: dev
      account_id: "222222222222"
      region: us-east-1
    - name: prod
      account_id: "333333333333"
      region: eu-west-1
  steps:
    - name: Hello
      type: RAMPART:SCRIPT:RUN
      params: { command: echo }
`;

let shop: LoadedPipeline;

beforeAll(async () => {
  shop = await pipelineFrom(
    settings,
    `${STAGES}  artifacts:
    Site:
      type: BUNDLE:BUILD
      params: { build_commands: make, file_path: site.zip }
    Tool:
      type: DOCKER:BUILD
      per_stage: true
      params: { dockerfile: Dockerfile }
`,
    { slug: 'shop' },
  );
});

describe('pipelineTemplate', () => {
  it('holds a bucket per bundle built once, readable by exactly the stage roles', () => {
    const t = pipelineTemplate(settings, shop.model);
    expect(Object.keys(t?.Resources ?? {})).toEqual([
      'BundleBucketSite',
      'BundleBucketPolicySite',
      'BuildRole',
    ]);
    expect(t?.Resources.BundleBucketSite?.Properties.BucketName).toBe('111111111111-shop-site');
    const policy = t?.Resources.BundleBucketPolicySite?.Properties.PolicyDocument as PolicyDocument;
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['DenyInsecureTransport', 'StageRolesRead']);
    expect(policy.Statement[1]).toEqual({
      Sid: 'StageRolesRead',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root'] },
      Condition: {
        ArnEquals: {
          'aws:PrincipalArn': [
            'arn:aws:iam::222222222222:role/rampart-acme-shop-dev',
            'arn:aws:iam::333333333333:role/rampart-acme-shop-prod',
          ],
        },
      },
      Action: ['s3:GetObject'],
      Resource: 'arn:aws:s3:::111111111111-shop-site/*',
    });
  });

  it('holds the build role: the pipeline build subject, its own CI/CD copies only', () => {
    const t = pipelineTemplate(settings, shop.model);
    const role = t?.Resources.BuildRole;
    expect(role?.Type).toBe('AWS::IAM::Role');
    expect(role?.Properties.RoleName).toBe('rampart-acme-shop-build');
    expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toContain(
      '"rampart.acme.example:sub":"org:acme/pipeline:shop/build"',
    );
    const [policy] = role?.Properties.Policies as {
      PolicyName: string;
      PolicyDocument: PolicyDocument;
    }[];
    expect(policy?.PolicyName).toBe('rampart-build');
    expect(policy?.PolicyDocument.Statement.map((s) => [s.Sid, s.Resource])).toEqual([
      ['BuildBundleList', ['arn:aws:s3:::111111111111-shop-site']],
      ['BuildBundleObjects', ['arn:aws:s3:::111111111111-shop-site/*']],
    ]);
    expect(t?.Outputs.BuildRoleArn?.Value).toEqual({ 'Fn::GetAtt': ['BuildRole', 'Arn'] });
  });

  it('is not needed when the pipeline builds nothing in the CI/CD account', async () => {
    const none = await pipelineFrom(settings, STAGES, { slug: 'plain' });
    expect(pipelineTemplate(settings, none.model)).toBeUndefined();
    const perStageOnly = await pipelineFrom(
      settings,
      `${STAGES}  artifacts:
    Tool:
      type: DOCKER:BUILD
      per_stage: true
      params: { dockerfile: Dockerfile }
`,
      { slug: 'tools' },
    );
    expect(pipelineTemplate(settings, perStageOnly.model)).toBeUndefined();
  });
});
