import { afterAll, describe, expect, it } from 'vitest';
import { isRampartError, stagePolicies, type PolicyDocument } from '@rampart/core';
import {
  TEST_KEY_ARN,
  pipelineFrom,
  removeTempRepos,
  stageNamed,
} from '../../test-support/pipelines.js';
import type { BootstrapSettings } from './bootstrap-settings.js';
import { stageTemplate } from './stage-template.js';
import { checkTemplateReferences } from './template-references.js';

afterAll(removeTempRepos);

const settings: BootstrapSettings = {
  organization: { slug: 'acme', cicd_account_id: '111111111111', cicd_account_region: 'us-east-1' },
  issuerUrl: 'http://127.0.0.1:8080',
};

const PIPELINE = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: dev
      account_id: "222222222222"
      region: eu-west-1
  steps:
    - name: Infra
      type: RAMPART:TERRAFORM:SYNTHESIZE
      params: { source: infra }
  artifacts:
    Site:
      type: BUNDLE:BUILD
      params: { build_commands: make, file_path: site.zip }
  ephemeral_environments:
    pr:
      triggers: [{ on: api }]
      release: [{ on: api }]
      account_id: "555555555555"
      region: us-east-1
`;

/** `count` additional policy documents of about `chars` characters each. */
function additional(count: number, chars: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      Statement: {
        Sid: `Extra${i}`,
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${'b'.repeat(chars)}-${i}/*`,
      },
    })),
  );
}

describe('stageTemplate', () => {
  it('uses the same role, trust and policies as stagePolicies', async () => {
    const { model } = await pipelineFrom(settings, PIPELINE);
    const stage = stageNamed(model, 'dev');
    const t = stageTemplate(settings, { model, stage, kmsKeyArn: TEST_KEY_ARN });
    const expected = stagePolicies({
      model,
      stage,
      organization: settings.organization,
      issuerHost: '127.0.0.1:8080',
      kmsKeyArn: TEST_KEY_ARN,
    });
    const role = t.Resources.StageRole?.Properties;
    expect(role?.RoleName).toBe(expected.roleName);
    expect(role?.AssumeRolePolicyDocument).toEqual(expected.trustPolicy);
    expect(role?.Policies).toEqual(
      expected.policies.map((p) => ({ PolicyName: p.name, PolicyDocument: p.document })),
    );
    expect(role?.ManagedPolicyArns).toBeUndefined();
  });

  it('mirrors bundles into a private, TLS-only bucket of the stage account', async () => {
    const { model } = await pipelineFrom(settings, PIPELINE);
    const t = stageTemplate(settings, {
      model,
      stage: stageNamed(model, 'ephemeral-pr'),
      kmsKeyArn: TEST_KEY_ARN,
    });
    expect(t.Resources.BundleBucketSite?.Properties.BucketName).toBe(
      '555555555555-app-ephemeral-pr-site',
    );
    const policy = t.Resources.BundleBucketPolicySite?.Properties.PolicyDocument as PolicyDocument;
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['DenyInsecureTransport']);
    expect(t.Outputs.BundleBucketSiteName?.Value).toEqual({ Ref: 'BundleBucketSite' });
    expect(t.Resources.StageRole?.Properties.RoleName).toBe('rampart-acme-app-ephemeral-pr');
  });

  it('attaches managed policies when the inline total is over the role limit', async () => {
    const { model } = await pipelineFrom(settings, PIPELINE, { policies: additional(4, 3000) });
    const t = stageTemplate(settings, {
      model,
      stage: stageNamed(model, 'dev'),
      kmsKeyArn: TEST_KEY_ARN,
    });
    const role = t.Resources.StageRole?.Properties;
    expect(role?.Policies).toBeUndefined();
    const managed = Object.entries(t.Resources).filter(
      ([, r]) => r.Type === 'AWS::IAM::ManagedPolicy',
    );
    expect(managed.map(([id]) => id)).toEqual([
      'StageRolePolicyRampartSteps',
      'StageRolePolicyRampartStage',
      'StageRolePolicyAdditional1',
      'StageRolePolicyAdditional2',
      'StageRolePolicyAdditional3',
      'StageRolePolicyAdditional4',
    ]);
    expect(role?.ManagedPolicyArns).toEqual(managed.map(([id]) => ({ Ref: id })));
    expect(checkTemplateReferences(t)).toEqual([]);
  });

  it('refuses policies IAM would refuse', async () => {
    const { model } = await pipelineFrom(settings, PIPELINE, { policies: additional(1, 11_000) });
    let error: unknown;
    try {
      stageTemplate(settings, {
        model,
        stage: stageNamed(model, 'dev'),
        kmsKeyArn: TEST_KEY_ARN,
      });
    } catch (e) {
      error = e;
    }
    expect(isRampartError(error) && error.code).toBe('IAM_POLICY_TOO_LARGE');
    expect((error as Error).message).toContain('additional-1');
  });
});
