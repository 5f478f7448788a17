import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument, PolicyDocumentStatement } from '@rampart/core';
import {
  multiAccountExample,
  pipelineFrom,
  removeTempRepos,
  type LoadedPipeline,
} from '../../test-support/pipelines.js';
import type { BootstrapSettings } from './bootstrap-settings.js';
import { BUCKET_POLICY_LIMIT, organizationTemplate } from './organization-template.js';

afterAll(removeTempRepos);

let settings: BootstrapSettings;
let web: LoadedPipeline;
let api: LoadedPipeline;

beforeAll(async () => {
  ({ settings, web } = await multiAccountExample());
  api = await pipelineFrom(
    settings,
    `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: dev
      account_id: "444444444444"
      region: eu-west-1
  steps:
    - name: Hello
      type: RAMPART:SCRIPT:RUN
      params: { command: echo }
`,
    { slug: 'api' },
  );
});

function bucketPolicy(pipelines: LoadedPipeline[]): PolicyDocument {
  const t = organizationTemplate(
    settings,
    pipelines.map((p) => p.model),
  );
  return t.Resources.TerraformStateBucketPolicy?.Properties.PolicyDocument as PolicyDocument;
}

function sid(document: PolicyDocument, name: string): PolicyDocumentStatement | undefined {
  return document.Statement.find((s) => s.Sid === name);
}

describe('organizationTemplate', () => {
  it('confines each stage role of every pipeline to its own state prefix', () => {
    const policy = bucketPolicy([web, api]);
    expect(sid(policy, 'StateObjectsApiDev')).toEqual({
      Sid: 'StateObjectsApiDev',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::444444444444:root'] },
      Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      Resource: 'arn:aws:s3:::111111111111-rampart-acme-tfstate/api/dev/*',
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::444444444444:role/rampart-acme-api-dev'] },
      },
    });
    expect(sid(policy, 'StateListWebStaging')?.Condition).toEqual({
      ArnEquals: {
        'aws:PrincipalArn': ['arn:aws:iam::222222222222:role/rampart-acme-web-staging'],
      },
      StringLike: { 's3:prefix': 'web/staging/*' },
    });
    expect(policy.Statement[0]).toMatchObject({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(policy.Statement).toHaveLength(1 + 2 * 4);
  });

  it('lets exactly the stage roles use the key', () => {
    const t = organizationTemplate(settings, [web.model, api.model]);
    const key = t.Resources.OrganizationKey?.Properties.KeyPolicy as PolicyDocument;
    expect(sid(key, 'StageRolesUseKey')).toMatchObject({
      Principal: {
        AWS: [
          'arn:aws:iam::222222222222:root',
          'arn:aws:iam::333333333333:root',
          'arn:aws:iam::444444444444:root',
        ],
      },
      Condition: {
        ArnEquals: {
          'aws:PrincipalArn': [
            'arn:aws:iam::222222222222:role/rampart-acme-web-staging',
            'arn:aws:iam::333333333333:role/rampart-acme-web-prod-us-east-1',
            'arn:aws:iam::333333333333:role/rampart-acme-web-prod-us-west-2',
            'arn:aws:iam::444444444444:role/rampart-acme-api-dev',
          ],
        },
      },
    });
    expect(sid(key, 'AccountAdministersKey')?.Principal).toEqual({
      AWS: 'arn:aws:iam::111111111111:root',
    });
  });

  it('does not depend on the order pipelines are given in', () => {
    expect(JSON.stringify(organizationTemplate(settings, [api.model, web.model]))).toBe(
      JSON.stringify(organizationTemplate(settings, [web.model, api.model])),
    );
  });

  it('with no pipelines, only the CI/CD account may use the key and bucket', () => {
    const t = organizationTemplate(settings, []);
    const key = t.Resources.OrganizationKey?.Properties.KeyPolicy as PolicyDocument;
    expect(key.Statement.map((s) => s.Sid)).toEqual(['AccountAdministersKey']);
    expect(bucketPolicy([]).Statement.map((s) => s.Sid)).toEqual(['DenyInsecureTransport']);
  });

  it('falls back to one statement for all roles when per-role ones pass the size limit', async () => {
    const stages = Array.from(
      { length: 40 },
      (_, i) => `    - name: stage-number-${i}
      account_id: "${String(500000000000 + i)}"
      region: us-east-1`,
    ).join('\n');
    const big = await pipelineFrom(
      settings,
      `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
${stages}
  steps:
    - name: Hello
      type: RAMPART:SCRIPT:RUN
      params: { command: echo }
`,
      { slug: 'big' },
    );
    const policy = bucketPolicy([big]);
    expect(JSON.stringify(policy).length).toBeLessThanOrEqual(BUCKET_POLICY_LIMIT);
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      'DenyInsecureTransport',
      'StageRolesState',
    ]);
    const roles = (policy.Statement[1]?.Condition?.ArnEquals as Record<string, string[]>)[
      'aws:PrincipalArn'
    ];
    expect(roles).toHaveLength(40);
  });
});
