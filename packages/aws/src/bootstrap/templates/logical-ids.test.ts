import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRampartError } from '@rampart/core';
import {
  TEST_KEY_ARN,
  multiAccountExample,
  pipelineFrom,
  removeTempRepos,
  stageNamed,
  type LoadedPipeline,
} from '../../test-support/pipelines.js';
import { accountTemplate } from './account-template.js';
import type { BootstrapSettings } from './bootstrap-settings.js';
import type { CfnTemplate } from './cfn-template.js';
import { artifactIdParts, logicalIdPart, managedPolicyLogicalIds } from './logical-ids.js';
import { organizationTemplate } from './organization-template.js';
import { pipelineTemplate } from './pipeline-template.js';
import { stageTemplate } from './stage-template.js';

afterAll(removeTempRepos);

let settings: BootstrapSettings;
let web: LoadedPipeline;
let store: LoadedPipeline;

beforeAll(async () => {
  ({ settings, web } = await multiAccountExample());
  store = await pipelineFrom(
    settings,
    `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: prod
      account_id: "333333333333"
      region: eu-west-1
  steps:
    - name: Hello
      type: RAMPART:SCRIPT:RUN
      params: { command: echo }
  artifacts:
    Site Bundle:
      type: BUNDLE:BUILD
      params: { build_commands: make, file_path: site.zip }
    Api:
      type: DOCKER:BUILD
      params: { dockerfile: Dockerfile }
`,
    { slug: 'store' },
  );
});

/** Logical id → type of the resources that hold state or identity. */
function stateful(template: CfnTemplate | undefined): Record<string, string> {
  const kinds = [
    'AWS::IAM::OIDCProvider',
    'AWS::IAM::Role',
    'AWS::KMS::Key',
    'AWS::KMS::Alias',
    'AWS::S3::Bucket',
    'AWS::ECR::Repository',
  ];
  return Object.fromEntries(
    Object.entries(template?.Resources ?? {})
      .filter(([, r]) => kinds.includes(r.Type))
      .map(([id, r]) => [id, r.Type]),
  );
}

// These ids must never change: CloudFormation would replace the resource, losing the state
// bucket, the key, a role or the images. Changing this test means breaking every installation.
describe('logical ids of stateful resources', () => {
  it('account stack', () => {
    expect(stateful(accountTemplate(settings))).toEqual({
      OidcProvider: 'AWS::IAM::OIDCProvider',
    });
  });

  it('org stack', () => {
    expect(stateful(organizationTemplate(settings, [web.model, store.model]))).toEqual({
      OrganizationKey: 'AWS::KMS::Key',
      OrganizationKeyAlias: 'AWS::KMS::Alias',
      TerraformStateBucket: 'AWS::S3::Bucket',
    });
  });

  it('pipeline stacks', () => {
    expect(stateful(pipelineTemplate(settings, web.model))).toEqual({
      BuildRole: 'AWS::IAM::Role',
      BundleBucketStaticSite: 'AWS::S3::Bucket',
      ImageRepositoryWebImage: 'AWS::ECR::Repository',
    });
    expect(stateful(pipelineTemplate(settings, store.model))).toEqual({
      BuildRole: 'AWS::IAM::Role',
      BundleBucketSiteBundle: 'AWS::S3::Bucket',
      ImageRepositoryApi: 'AWS::ECR::Repository',
    });
  });

  it('stage stacks', () => {
    const target = { kmsKeyArn: TEST_KEY_ARN };
    const webStage = { ...target, model: web.model, stage: stageNamed(web.model, 'staging') };
    expect(stateful(stageTemplate(settings, webStage))).toEqual({
      StageRole: 'AWS::IAM::Role',
      BundleBucketStaticSite: 'AWS::S3::Bucket',
      ImageRepositoryWebImage: 'AWS::ECR::Repository',
    });
    const storeStage = { ...target, model: store.model, stage: stageNamed(store.model, 'prod') };
    expect(stateful(stageTemplate(settings, storeStage))).toEqual({
      StageRole: 'AWS::IAM::Role',
      BundleBucketSiteBundle: 'AWS::S3::Bucket',
      ImageRepositoryApi: 'AWS::ECR::Repository',
    });
  });
});

describe('logical ids of alarm push', () => {
  it('stage stacks with public_url add exactly these ids', () => {
    const pushing = {
      ...settings,
      alarmPush: { publicUrl: 'https://rampart.acme.example', token: 'x'.repeat(32) },
    };
    const stage = { model: web.model, stage: stageNamed(web.model, 'staging') };
    const without = stageTemplate(settings, { ...stage, kmsKeyArn: TEST_KEY_ARN });
    const withPush = stageTemplate(pushing, { ...stage, kmsKeyArn: TEST_KEY_ARN });
    const added = Object.entries(withPush.Resources)
      .filter(([id]) => without.Resources[id] === undefined)
      .map(([id, r]) => [id, r.Type]);
    expect(Object.fromEntries(added)).toEqual({
      AlarmPushConnection: 'AWS::Events::Connection',
      AlarmPushDestination: 'AWS::Events::ApiDestination',
      AlarmPushRole: 'AWS::IAM::Role',
      AlarmPushRule: 'AWS::Events::Rule',
    });
    expect(Object.keys(withPush.Parameters ?? {})).toEqual(['AlarmPushToken']);
  });
});

describe('logical id rules', () => {
  it('turns ids into PascalCase runs of letters and digits', () => {
    expect(logicalIdPart('web-image')).toBe('WebImage');
    expect(logicalIdPart('web-image-2')).toBe('WebImage2');
    expect(logicalIdPart('3d-assets')).toBe('3dAssets');
    expect(logicalIdPart('--a__b--')).toBe('AB');
  });

  it('refuses two artifacts that would share a logical id', () => {
    const model = {
      slug: 'shop',
      artifacts: [{ id: 'web-1' }, { id: 'web1' }],
    } as Parameters<typeof artifactIdParts>[0];
    let error: unknown;
    try {
      artifactIdParts(model);
    } catch (e) {
      error = e;
    }
    expect(isRampartError(error) && error.code).toBe('RESOURCE_NAME_INVALID');
    expect(String((error as Error).message)).toContain('"web-1" and "web1"');
  });

  it('gives clashing managed policy names distinct, stable ids', () => {
    const ids = managedPolicyLogicalIds(['rampart-steps', 'additional-11', 'additional-1-1']);
    expect(ids[0]).toBe('StageRolePolicyRampartSteps');
    expect(ids[1]).toMatch(/^StageRolePolicyAdditional11[0-9a-f]{6}$/);
    expect(ids[2]).toMatch(/^StageRolePolicyAdditional11[0-9a-f]{6}$/);
    expect(ids[1]).not.toBe(ids[2]);
    expect(managedPolicyLogicalIds(['additional-11', 'additional-1-1'])).toEqual(ids.slice(1));
  });
});
