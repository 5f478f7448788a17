import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../discovery/node-file-system.js';
import { isRampartError } from '../errors/index.js';
import type { PipelineModel, StageModel } from '../model/pipeline-model.js';
import type { ResolvedStage } from '../model/resolve-stage.js';
import { validateRepository } from '../model/validate-pipeline.js';
import { modelOf, pipelineYaml, removeTempRepos } from '../test-support/pipeline-fixtures.js';
import type { PolicyDocument, PolicyDocumentStatement } from './policy-document.js';
import { stagePolicies, type StagePolicies } from './stage-policies.js';

afterAll(removeTempRepos);

const organization = {
  slug: 'acme',
  cicd_account_id: '111111111111',
  cicd_account_region: 'us-east-1',
};
const issuerHost = 'rampart.acme.example';
const KEY = 'arn:aws:kms:us-east-1:111111111111:key/0b1c2d3e-0000-4000-8000-000000000001';

function stageOf(model: PipelineModel, name: string): StageModel {
  const stage = [...model.stages, ...model.ephemeral].find((s) => s.name === name);
  if (stage === undefined) throw new Error(`no stage ${name}`);
  return stage;
}

function policy(result: StagePolicies, name: string): PolicyDocument {
  const found = result.policies.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no policy ${name} in ${result.roleName}`);
  return found.document;
}

function statement(document: PolicyDocument, sid: string): PolicyDocumentStatement {
  const found = document.Statement.find((s) => s.Sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid}`);
  return found;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isRampartError(e) ? e.code : 'not a RampartError';
  }
  return undefined;
}

describe('stagePolicies: the multi-account example', () => {
  let model: PipelineModel;
  let resolved: ReadonlyMap<string, ResolvedStage>;
  const policiesOf = (name: string): StagePolicies =>
    stagePolicies({
      model,
      stage: stageOf(model, name),
      organization,
      issuerHost,
      kmsKeyArn: KEY,
      ...(resolved.has(name) ? { resolved: resolved.get(name) } : {}),
    });

  beforeAll(async () => {
    const root = new URL('../../../../examples/multi-account/', import.meta.url).pathname;
    const result = await validateRepository(root, nodeFileSystem, { organization });
    const [web] = result.pipelines;
    if (web?.model === undefined) throw new Error('the example does not validate');
    model = web.model;
    resolved = web.resolvedStages;
  });

  it('names the role and trusts only the stage subject with the STS audience', () => {
    const staging = policiesOf('staging');
    expect(staging.roleName).toBe('rampart-acme-web-staging');
    expect(staging.roleArn).toBe('arn:aws:iam::222222222222:role/rampart-acme-web-staging');
    expect(staging.trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'RampartStageToken',
          Effect: 'Allow',
          Principal: {
            Federated: 'arn:aws:iam::222222222222:oidc-provider/rampart.acme.example',
          },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'rampart.acme.example:aud': 'sts.amazonaws.com',
              'rampart.acme.example:sub': 'org:acme/pipeline:web/stage:staging',
            },
          },
        },
      ],
    });
  });

  it('grants Terraform state only under the stage prefix, with the org key', () => {
    const steps = policy(policiesOf('prod-us-west-2'), 'rampart-steps');
    expect(statement(steps, 'TerraformStateObjects').Resource).toBe(
      'arn:aws:s3:::111111111111-rampart-acme-tfstate/web/prod-us-west-2/*',
    );
    expect(statement(steps, 'TerraformStateList').Condition).toEqual({
      StringLike: { 's3:prefix': 'web/prod-us-west-2/*' },
    });
    expect(statement(steps, 'TerraformStateKey').Resource).toBe(KEY);
  });

  it('scopes step statements to the stage account, region and resolved names', () => {
    const steps = policy(policiesOf('prod-us-west-2'), 'rampart-steps');
    expect(statement(steps, 'EcsDeployService').Resource).toBe(
      'arn:aws:ecs:us-west-2:333333333333:service/*/web-prod-us-west-2',
    );
  });

  it('mirrors artifacts into its own repository only, reading the CI/CD copy', () => {
    const stage = policy(policiesOf('prod-us-west-2'), 'rampart-stage');
    expect(stage.Statement).toEqual([
      {
        Sid: 'ArtifactRegistryLogin',
        Effect: 'Allow',
        Action: ['ecr:GetAuthorizationToken'],
        Resource: '*',
      },
      {
        Sid: 'ArtifactImageMirrors',
        Effect: 'Allow',
        Action: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:BatchGetImage',
          'ecr:CompleteLayerUpload',
          'ecr:DescribeImages',
          'ecr:GetDownloadUrlForLayer',
          'ecr:InitiateLayerUpload',
          'ecr:PutImage',
          'ecr:UploadLayerPart',
        ],
        Resource: ['arn:aws:ecr:us-west-2:333333333333:repository/web-prod-us-west-2-web-image'],
      },
      {
        Sid: 'ArtifactImageSources',
        Effect: 'Allow',
        Action: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:BatchGetImage',
          'ecr:DescribeImages',
          'ecr:GetDownloadUrlForLayer',
        ],
        Resource: ['arn:aws:ecr:us-east-1:111111111111:repository/web-web-image'],
      },
      {
        Sid: 'ArtifactBundleMirrorList',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: ['arn:aws:s3:::333333333333-web-prod-us-west-2-static-site'],
      },
      {
        Sid: 'ArtifactBundleMirrors',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        Resource: ['arn:aws:s3:::333333333333-web-prod-us-west-2-static-site/*'],
      },
      {
        Sid: 'ArtifactBundleSources',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: ['arn:aws:s3:::111111111111-web-static-site/*'],
      },
      {
        Sid: 'StageRollbackAlarms',
        Effect: 'Allow',
        Action: ['cloudwatch:DescribeAlarms'],
        Resource: [
          'arn:aws:cloudwatch:us-west-2:333333333333:alarm:web-prod-5xx',
          'arn:aws:cloudwatch:us-west-2:333333333333:alarm:web-prod-latency',
        ],
      },
    ]);
  });

  it('adds the additional policies for all stages, and those naming the stage', () => {
    const staging = policiesOf('staging');
    const prod = policiesOf('prod-us-east-1');
    expect(staging.policies.map((p) => p.name)).toEqual([
      'rampart-steps',
      'rampart-stage',
      'additional-1',
    ]);
    expect(prod.policies.map((p) => p.name)).toEqual([
      'rampart-steps',
      'rampart-stage',
      'additional-1',
      'additional-2',
    ]);
    expect(policy(prod, 'additional-2')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ProdDnsRecords',
          Effect: 'Allow',
          Action: ['route53:ChangeResourceRecordSets'],
          Resource: ['arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ'],
        },
      ],
    });
    expect(prod.policies.every((p) => p.kind === 'inline')).toBe(true);
    expect(prod.notes).toEqual([]);
  });

  it('never names another stage in a stage role', () => {
    const text = JSON.stringify(policiesOf('staging'));
    expect(text).not.toMatch(/prod-us|333333333333/);
    const prod = JSON.stringify(policiesOf('prod-us-east-1'));
    expect(prod).not.toMatch(/staging|222222222222|us-west-2/);
  });

  it('is deterministic, with sorted actions and unique Sids', () => {
    const a = policiesOf('staging');
    expect(policiesOf('staging')).toEqual(a);
    expect(
      stagePolicies({
        model,
        stage: stageOf(model, 'staging'),
        organization,
        issuerHost,
        kmsKeyArn: KEY,
      }),
    ).toEqual(a);
    for (const p of a.policies) {
      const sids = p.document.Statement.map((s) => s.Sid);
      expect(new Set(sids).size).toBe(sids.length);
      for (const s of p.document.Statement) {
        const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
        expect(actions).toEqual([...new Set(actions)].sort());
      }
    }
  });

  it('shows the KMS key as a placeholder until the org stack gives its ARN', () => {
    const planned = stagePolicies({
      model,
      stage: stageOf(model, 'staging'),
      organization,
      issuerHost,
    });
    expect(statement(policy(planned, 'rampart-steps'), 'TerraformStateKey').Resource).toBe(
      '<organization-kms-key-arn>',
    );
  });
});

describe('stagePolicies: what a stage runs decides what it gets', () => {
  const PIPELINE = pipelineYaml(`
stages:
  - name: dev
    account_id: "222222222222"
    region: eu-west-1
    skip: [Infra, Upload]
  - name: prod
    account_id: "333333333333"
    region: eu-west-1
    auto_rollback_alarm_names: [a, a]
steps:
  - name: Infra
    type: RAMPART:TERRAFORM:SYNTHESIZE
    params: { source: infra }
  - name: Upload
    type: RAMPART:S3:UPLOAD
    params: { source: "\${{ stage.artifacts.site.s3_url }}", bucket: "site-\${{ stage.name }}" }
  - name: Script
    type: RAMPART:SCRIPT:RUN
    params: { command: make }
  - name: Custom
    type: CUSTOM:THING
    params: { anything: 1 }
artifacts:
  Site:
    id: site
    type: BUNDLE:BUILD
    params: { build_commands: make, file_path: site.zip }
  Tool:
    type: DOCKER:BUILD
    per_stage: true
    params: { dockerfile: Dockerfile }
`);

  it('a stage that skips every AWS step gets no step policy and no state access', async () => {
    const model = await modelOf(PIPELINE, { slug: 'shop' });
    const dev = stagePolicies({ model, stage: stageOf(model, 'dev'), organization, issuerHost });
    expect(dev.policies.map((p) => p.name)).toEqual(['rampart-stage']);
    expect(JSON.stringify(dev)).not.toMatch(
      /tfstate|kms:|s3:ListBucket"\],"Resource":"arn:aws:s3:::site/,
    );
  });

  it('a stage that runs them gets their statements', async () => {
    const model = await modelOf(PIPELINE, { slug: 'shop' });
    const prod = stagePolicies({ model, stage: stageOf(model, 'prod'), organization, issuerHost });
    const steps = policy(prod, 'rampart-steps');
    expect(steps.Statement.map((s) => s.Sid)).toEqual([
      'TerraformStateList',
      'TerraformStateObjects',
      'TerraformStateKey',
      'S3UploadList',
      'S3UploadObjects',
      'S3UploadSource',
    ]);
    expect(statement(steps, 'S3UploadObjects').Resource).toBe('arn:aws:s3:::site-prod/*');
  });

  it('per_stage artifacts are mirrored only in the stage; bundles use buckets', async () => {
    const model = await modelOf(PIPELINE, { slug: 'shop' });
    const prod = policy(
      stagePolicies({ model, stage: stageOf(model, 'prod'), organization, issuerHost }),
      'rampart-stage',
    );
    expect(statement(prod, 'ArtifactImageMirrors').Resource).toEqual([
      'arn:aws:ecr:eu-west-1:333333333333:repository/shop-prod-tool',
    ]);
    expect(prod.Statement.find((s) => s.Sid === 'ArtifactImageSources')).toBeUndefined();
    expect(statement(prod, 'ArtifactBundleMirrorList').Resource).toEqual([
      'arn:aws:s3:::333333333333-shop-prod-site',
    ]);
    expect(statement(prod, 'ArtifactBundleMirrors')).toMatchObject({
      Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      Resource: ['arn:aws:s3:::333333333333-shop-prod-site/*'],
    });
    expect(statement(prod, 'ArtifactBundleSources')).toMatchObject({
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::111111111111-shop-site/*'],
    });
    // An alarm listed twice is granted once.
    expect(statement(prod, 'StageRollbackAlarms').Resource).toEqual([
      'arn:aws:cloudwatch:eu-west-1:333333333333:alarm:a',
    ]);
  });

  it('a pipeline with no AWS steps, artifacts or alarms gets no policies', async () => {
    const model = await modelOf(
      pipelineYaml(`
stages:
  - name: dev
    account_id: "222222222222"
    region: us-east-1
steps:
  - name: Hello
    type: RAMPART:SCRIPT:RUN
    params: { command: echo }
`),
    );
    const dev = stagePolicies({ model, stage: stageOf(model, 'dev'), organization, issuerHost });
    expect(dev.policies).toEqual([]);
    expect(dev.roleName).toBe('rampart-acme-app-dev');
  });

  it('uses the partition of the stage region in every ARN', async () => {
    const model = await modelOf(
      pipelineYaml(`
stages:
  - name: gov
    account_id: "444444444444"
    region: us-gov-west-1
    auto_rollback_alarm_name: high
steps:
  - name: Infra
    type: RAMPART:TERRAFORM:SYNTHESIZE
    params: { source: infra }
`),
    );
    const gov = stagePolicies({
      model,
      stage: stageOf(model, 'gov'),
      organization: { ...organization, cicd_account_region: 'us-gov-west-1' },
      issuerHost,
    });
    const text = JSON.stringify({ ...gov, policies: gov.policies.map((p) => p.document) });
    expect(text).not.toMatch(/arn:aws:/);
    expect(gov.trustPolicy.Statement[0]?.Principal).toEqual({
      Federated: 'arn:aws-us-gov:iam::444444444444:oidc-provider/rampart.acme.example',
    });
  });

  it('covers ephemeral environments as stages named ephemeral-<name>', async () => {
    const model = await modelOf(
      pipelineYaml(`
stages:
  - name: dev
    account_id: "222222222222"
    region: us-east-1
steps:
  - name: Hello
    type: RAMPART:SCRIPT:RUN
    params: { command: echo }
ephemeral_environments:
  pr:
    triggers: [{ on: api }]
    release: [{ on: api }]
    account_id: "555555555555"
    region: us-east-1
`),
    );
    const pr = stagePolicies({
      model,
      stage: stageOf(model, 'ephemeral-pr'),
      organization,
      issuerHost,
    });
    expect(pr.subject).toBe('org:acme/pipeline:app/stage:ephemeral-pr');
    expect(pr.roleArn).toBe('arn:aws:iam::555555555555:role/rampart-acme-app-ephemeral-pr');
  });
});

describe('stagePolicies: bad inputs', () => {
  const body = pipelineYaml(`
stages:
  - name: dev
    account_id: "222222222222"
    region: us-east-1
steps:
  - name: Hello
    type: RAMPART:SCRIPT:RUN
    params: { command: echo }
`);

  it('rejects an issuer host with a scheme, wildcard, space or trailing slash', async () => {
    const model = await modelOf(body);
    const stage = stageOf(model, 'dev');
    for (const bad of ['https://rampart.acme.example', 'x*', 'a b', 'host/', '']) {
      expect(codeOf(() => stagePolicies({ model, stage, organization, issuerHost: bad }))).toBe(
        'CONFIG_INVALID',
      );
    }
  });

  it('rejects a KMS key ARN that is not a key', async () => {
    const model = await modelOf(body);
    const stage = stageOf(model, 'dev');
    for (const bad of ['alias/rampart-acme', 'arn:aws:kms:us-east-1:111111111111:alias/x']) {
      expect(
        codeOf(() => stagePolicies({ model, stage, organization, issuerHost, kmsKeyArn: bad })),
      ).toBe('INTERNAL');
    }
  });

  it('rejects an organization slug that could forge another subject', async () => {
    const model = await modelOf(body);
    const stage = stageOf(model, 'dev');
    expect(
      codeOf(() =>
        stagePolicies({ model, stage, organization: { ...organization, slug: 'a/b' }, issuerHost }),
      ),
    ).toBe('RESOURCE_NAME_INVALID');
  });
});
