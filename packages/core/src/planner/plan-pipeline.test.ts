import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseControlPlaneConfig } from '../config/control-plane-config.js';
import type { PipelineModel } from '../model/pipeline-model.js';
import {
  modelOf,
  pipelineYaml,
  removeTempRepos,
  validateYaml,
} from '../test-support/pipeline-fixtures.js';
import { planPipeline } from './plan-pipeline.js';
import type { StagePlan } from './pipeline-plan.js';

afterAll(removeTempRepos);

const PIPELINE = pipelineYaml(`
pipeline_updates_require_approval: ALWAYS
stage_defaults:
  deployment_time_window: PACIFIC_WORKING_HOURS
  auto_rollback_alarm_name: default-5xx
  vars: { replicas: 3, service: web }
stages:
  - name: staging
    account_id: "111111111111"
    region: us-east-1
    deployment_time_window: NONE
    skip: [Bake]
    vars: { replicas: 1 }
  - name: prod
    account_id: "222222222222"
    region: eu-west-1
    skip: [Deploy]
steps:
  - name: Infra
    id: infra
    type: RAMPART:TERRAFORM:SYNTHESIZE
    params:
      source: infra
      variables:
        replicas: \${{ vars.replicas }}
        token: \${{ secret("API_TOKEN") }}
        db: \${{ stage_secret("DB_PASSWORD") }}
        org: \${{ organization.slug }}
  - name: Bake
    type: RAMPART:APPROVAL:BAKE
    params:
      duration_minutes: \${{ vars.replicas }}
  - name: Deploy
    type: RAMPART:ECS:DEPLOY
    params:
      cluster_name: \${{ steps.infra.cluster }}
      service_name: \${{ vars.service }}
      image_url: \${{ stage.artifacts["Web Image"].image_url }}
  - name: Smoke
    type: RAMPART:SCRIPT:RUN
    goes_after: [Infra]
    params: { command: ./smoke.sh }
  - name: Done
    type: RAMPART:SCRIPT:RUN
    goes_after: [Deploy, Smoke]
    params: { command: echo done }
artifacts:
  Web Image:
    type: DOCKER:BUILD
    params: { dockerfile: Dockerfile }
  Site:
    type: BUNDLE:BUILD
    params: { build_commands: make, file_path: site.zip }
  Per Stage:
    type: BUNDLE:BUILD
    per_stage: true
    params: { build_commands: "make \${{ stage.name }}", file_path: p.zip }
ephemeral_environments:
  pr:
    triggers: [{ on: api }]
    release: [{ on: api }]
    account_id: "333333333333"
    region: us-west-2
`);

let model: PipelineModel;
beforeAll(async () => {
  model = await modelOf(PIPELINE, { slug: 'shop' });
});

function stage(plan: { stages: StagePlan[] }, name: string): StagePlan {
  const found = plan.stages.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no stage ${name} in plan`);
  return found;
}

describe('planPipeline: stages', () => {
  it('lists stages in pipeline order, then ephemeral environments', () => {
    const plan = planPipeline(model);
    expect(plan.stages.map((s) => [s.name, s.kind, s.accountId, s.region])).toEqual([
      ['staging', 'stage', '111111111111', 'us-east-1'],
      ['prod', 'stage', '222222222222', 'eu-west-1'],
      ['ephemeral-pr', 'ephemeral', '333333333333', 'us-west-2'],
    ]);
    expect(plan).toMatchObject({ slug: 'shop', tracks: 'main', updatesRequireApproval: 'ALWAYS' });
  });

  it('--stage keeps only the named stages, still in pipeline order', () => {
    expect(planPipeline(model, { stages: ['prod', 'staging'] }).stages.map((s) => s.name)).toEqual([
      'staging',
      'prod',
    ]);
    expect(planPipeline(model, { stages: ['ephemeral-pr'] }).stages.map((s) => s.name)).toEqual([
      'ephemeral-pr',
    ]);
    expect(planPipeline(model, { stages: ['nope'] }).stages).toEqual([]);
  });

  it('the effective window and alarms: stage, else stage_defaults (ephemeral environments do not inherit them)', () => {
    const plan = planPipeline(model);
    expect(plan.stages.map((s) => [s.name, s.window.name, s.alarms])).toEqual([
      ['staging', 'NONE', ['default-5xx']],
      ['prod', 'PACIFIC_WORKING_HOURS', ['default-5xx']],
      ['ephemeral-pr', 'NONE', []],
    ]);
    expect(stage(plan, 'prod').window.description).toBe('Mon–Fri 09:00–17:00 America/Los_Angeles');
    expect(stage(plan, 'prod').window.open).toBeUndefined();
  });

  it('with `at`: whether each window is open, and when a closed one opens', () => {
    // Monday 2026-03-02 04:00 in Los Angeles (UTC-8).
    const closed = planPipeline(model, { at: new Date('2026-03-02T12:00:00Z') });
    expect(closed.at).toBe('2026-03-02T12:00:00.000Z');
    expect(stage(closed, 'staging').window).toMatchObject({ name: 'NONE', open: true });
    expect(stage(closed, 'prod').window).toMatchObject({
      open: false,
      reason: 'outside-hours',
      opensAt: '2026-03-02T17:00:00.000Z',
    });
    // Monday 10:00 in Los Angeles: open until 17:00.
    const open = planPipeline(model, { at: new Date('2026-03-02T18:00:00Z') });
    expect(stage(open, 'prod').window).toMatchObject({
      open: true,
      closesAt: '2026-03-03T01:00:00.000Z',
    });
    // Saturday: opens Monday 09:00 (after the DST change on 8 March: UTC-7).
    const weekend = planPipeline(model, { at: new Date('2026-03-07T18:00:00Z') });
    expect(stage(weekend, 'prod').window).toMatchObject({
      open: false,
      opensAt: '2026-03-09T16:00:00.000Z',
    });
  });
});

describe('planPipeline: steps', () => {
  it('DAG levels with parallel branches', () => {
    const plan = planPipeline(model);
    expect(stage(plan, 'ephemeral-pr').levels).toEqual([
      ['Infra'],
      ['Bake', 'Smoke'],
      ['Deploy'],
      ['Done'],
    ]);
  });

  it('a skipped step is marked, has no level, and the step after it waits for its upstream', () => {
    const staging = stage(planPipeline(model), 'staging');
    expect(staging.skipped).toEqual(['Bake']);
    expect(staging.levels).toEqual([['Infra'], ['Deploy', 'Smoke'], ['Done']]);
    const byName = new Map(staging.steps.map((s) => [s.name, s]));
    expect(byName.get('Bake')).toMatchObject({ skipped: true, dependsOn: [] });
    expect(byName.get('Bake')?.level).toBeUndefined();
    expect(byName.get('Deploy')).toMatchObject({ skipped: false, level: 1, dependsOn: ['Infra'] });

    const prod = stage(planPipeline(model), 'prod');
    expect(prod.skipped).toEqual(['Deploy']);
    // Done waited for Deploy and Smoke; Deploy waited for Bake.
    expect(prod.steps.find((s) => s.name === 'Done')?.dependsOn).toEqual(['Bake', 'Smoke']);
  });

  it('params are resolved with their types; unknown values are markers listed in pending', () => {
    const staging = stage(planPipeline(model), 'staging');
    const infra = staging.steps.find((s) => s.name === 'Infra');
    expect(infra).toMatchObject({
      id: 'infra',
      type: 'RAMPART:TERRAFORM:SYNTHESIZE',
      outputs: 'any',
    });
    expect(infra?.params).toEqual({
      source: 'infra',
      variables: {
        replicas: 1,
        token: '[SECRET:API_TOKEN]',
        db: '[STAGE_SECRET:DB_PASSWORD]',
        org: '[ORGANIZATION:slug]',
      },
    });
    expect(infra?.pending).toEqual([
      '[SECRET:API_TOKEN]',
      '[STAGE_SECRET:DB_PASSWORD]',
      '[ORGANIZATION:slug]',
    ]);
    const deploy = staging.steps.find((s) => s.name === 'Deploy');
    expect(deploy?.params).toEqual({
      cluster_name: '[OUTPUT:infra/cluster]',
      service_name: 'web',
      image_url: '[ARTIFACT:web-image/image_url]',
    });
    expect(deploy?.outputs).toEqual([
      'task_definition_arn',
      'previous_task_definition_arn',
      'service_arn',
    ]);
    expect(stage(planPipeline(model), 'prod').steps.find((s) => s.name === 'Bake')?.params).toEqual(
      { duration_minutes: 3 },
    );
    expect(staging.vars).toEqual({ replicas: 1, service: 'web' });
  });

  it('no secret value appears in a plan made without a secret resolver', () => {
    const json = JSON.stringify(
      planPipeline(model, { inputs: { organization: { slug: 'acme' }, trigger: { sha: 'abc' } } }),
    );
    expect(json).toContain('[SECRET:API_TOKEN]');
    expect(json).toContain('[STAGE_SECRET:DB_PASSWORD]');
  });

  it('secret values stay markers even when the inputs can resolve them', () => {
    const json = JSON.stringify(
      planPipeline(model, { inputs: { secret: (_scope, name) => `s3cr3t-${name}` } }),
    );
    expect(json).not.toContain('s3cr3t');
  });

  it('DEVRAMPS: types appear under their canonical RAMPART: id', async () => {
    const m = await modelOf(
      pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
steps:
  - name: Bake
    type: DEVRAMPS:APPROVAL:BAKE
    params: { duration_minutes: 5 }
  - name: Custom
    type: CUSTOM:NOTIFY`),
    );
    expect(planPipeline(m).stages[0]?.steps.map((s) => [s.type, s.rollback])).toEqual([
      ['RAMPART:APPROVAL:BAKE', 'not applicable'],
      ['CUSTOM:NOTIFY', 'none'],
    ]);
  });
});

describe('planPipeline: artifacts', () => {
  it('stage copies: image repository <slug>-<stage>-<id>, bundle bucket <account>-<slug>-<stage>-<id>', () => {
    const staging = stage(planPipeline(model), 'staging');
    expect(staging.artifacts).toEqual([
      {
        name: 'Web Image',
        id: 'web-image',
        kind: 'image',
        perStage: false,
        accountId: '111111111111',
        region: 'us-east-1',
        repository: 'shop-staging-web-image',
      },
      {
        name: 'Site',
        id: 'site',
        kind: 'bundle',
        perStage: false,
        accountId: '111111111111',
        region: 'us-east-1',
        bucket: '111111111111-shop-staging-site',
      },
      {
        name: 'Per Stage',
        id: 'per-stage',
        kind: 'bundle',
        perStage: true,
        accountId: '111111111111',
        region: 'us-east-1',
        bucket: '111111111111-shop-staging-per-stage',
        build: {
          params: { build_commands: 'make staging', file_path: 'p.zip' },
          envs: {},
          pending: [],
        },
      },
    ]);
  });

  it('per_stage copies carry their build, resolved with that stage (vars and secrets too)', async () => {
    const m = await modelOf(
      pipelineYaml(`
stages:
  - name: staging
    account_id: "111111111111"
    region: us-east-1
    vars: { flavor: small }
  - name: prod
    account_id: "222222222222"
    region: eu-west-1
    vars: { flavor: large }
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
artifacts:
  Api:
    type: DOCKER:BUILD
    per_stage: true
    architecture: linux/arm64
    params: { dockerfile: "\${{ vars.flavor }}.Dockerfile" }
    envs:
      REGION: \${{ stage.region }}
      TOKEN: \${{ secret("NPM") }}`),
      { slug: 'shop' },
    );
    const plan = planPipeline(m);
    expect(plan.stages.map((s) => s.artifacts[0]?.build)).toEqual([
      {
        params: { dockerfile: 'small.Dockerfile' },
        envs: { REGION: 'us-east-1', TOKEN: '[SECRET:NPM]' },
        pending: ['[SECRET:NPM]'],
      },
      {
        params: { dockerfile: 'large.Dockerfile' },
        envs: { REGION: 'eu-west-1', TOKEN: '[SECRET:NPM]' },
        pending: ['[SECRET:NPM]'],
      },
    ]);
    expect(plan.artifacts[0]).toMatchObject({ perStage: true, architecture: 'linux/arm64' });
    expect(plan.artifacts[0]?.cicd).toBeUndefined();
  });

  it('built-once artifacts carry architecture, rebuild_when_changed and resolved envs', async () => {
    const m = await modelOf(
      pipelineYaml(`
stages:
  - name: staging
    account_id: "111111111111"
    region: us-east-1
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
artifacts:
  Site:
    type: BUNDLE:BUILD
    rebuild_when_changed: [site/, package.json]
    params: { build_commands: make, file_path: site.zip }
    envs: { SLUG: "\${{ pipeline.slug }}" }
  Plain:
    type: BUNDLE:BUILD
    params: { build_commands: make, file_path: p.zip }`),
      { slug: 'shop' },
    );
    const plan = planPipeline(m);
    const [site, plain] = plan.artifacts;
    expect(site).toMatchObject({
      rebuildWhenChanged: ['site/', 'package.json'],
      envs: { SLUG: 'shop' },
    });
    expect(site?.architecture).toBeUndefined();
    expect(plain?.rebuildWhenChanged).toBeUndefined();
    expect(plain?.envs).toBeUndefined();
    // Built once: the stage copies are mirrored, not built.
    expect(plan.stages[0]?.artifacts.map((c) => c.build)).toEqual([undefined, undefined]);
  });

  it('CI/CD copies: placeholders without organization settings, names with them; none for per_stage', () => {
    const bare = planPipeline(model);
    expect(bare.organization).toEqual({
      name: '[ORGANIZATION:name]',
      slug: '[ORGANIZATION:slug]',
      cicd_account_id: '[ORGANIZATION:cicd_account_id]',
      cicd_account_region: '[ORGANIZATION:cicd_account_region]',
    });
    expect(bare.artifacts.map((a) => [a.id, a.cicd])).toEqual([
      [
        'web-image',
        {
          accountId: '[ORGANIZATION:cicd_account_id]',
          region: '[ORGANIZATION:cicd_account_region]',
          repository: 'shop-web-image',
        },
      ],
      [
        'site',
        {
          accountId: '[ORGANIZATION:cicd_account_id]',
          region: '[ORGANIZATION:cicd_account_region]',
          bucket: '[ORGANIZATION:cicd_account_id]-shop-site',
        },
      ],
      ['per-stage', undefined],
    ]);
    const org = {
      name: 'Acme',
      slug: 'acme',
      cicd_account_id: '999999999999',
      cicd_account_region: 'us-east-1',
    };
    const known = planPipeline(model, { inputs: { organization: org } });
    expect(known.organization).toEqual(org);
    expect(known.artifacts[1]?.cicd).toEqual({
      accountId: '999999999999',
      region: 'us-east-1',
      bucket: '999999999999-shop-site',
    });
  });

  it('a name over the S3 limit is cut to 63 characters ending in - and a 6-character hash', async () => {
    const m = await modelOf(
      pipelineYaml(`
stages:
  - name: production-europe-central-one
    account_id: "111111111111"
    region: eu-central-1
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
artifacts:
  A Very Long Bundle Name For The Storefront:
    type: BUNDLE:BUILD
    params: { build_commands: make, file_path: a.zip }`),
      { slug: 'storefront-web-application' },
    );
    const bucket = planPipeline(m).stages[0]?.artifacts[0]?.bucket ?? '';
    expect(bucket).toHaveLength(63);
    expect(bucket.startsWith('111111111111-storefront-web-application-production-')).toBe(true);
    expect(bucket).toMatch(/-[a-z0-9]{6}$/);
  });
});

describe('planPipeline: IAM and roles', () => {
  it('each stage lists the actions its steps need; a skipped step grants nothing', () => {
    const plan = planPipeline(model);
    const staging = stage(plan, 'staging');
    const prod = stage(plan, 'prod');
    expect(staging.iam.actions).toContain('ecs:UpdateService');
    expect(staging.iam.actions).toContain('s3:GetObject');
    // prod skips the ECS deploy.
    expect(prod.iam.actions.some((a) => a.startsWith('ecs:'))).toBe(false);
    expect(prod.iam.actions).toContain('s3:GetObject');
    expect(staging.iam.actions).toEqual([...staging.iam.actions].sort());
    const service = staging.iam.statements.find((s) => s.Action.includes('ecs:UpdateService'));
    expect(service?.Resource).toBe('arn:aws:ecs:us-east-1:111111111111:service/*/web');
  });

  it('the stage role name includes the organization slug when it is known', () => {
    expect(stage(planPipeline(model), 'prod').role).toBe('rampart-shop-prod');
    expect(
      stage(planPipeline(model, { inputs: { organization: { slug: 'acme' } } }), 'prod').role,
    ).toBe('rampart-acme-shop-prod');
  });

  it('organization settings from the control-plane config (file + RAMPART_* env) flow into the plan', () => {
    const config = parseControlPlaneConfig({
      text: 'organization:\n  name: Acme\n  slug: acme\n  cicd_account_id: "999999999999"\n  cicd_account_region: us-east-1\n',
      env: { RAMPART_ORGANIZATION_SLUG: 'acme-eu' },
    });
    const plan = planPipeline(model, { inputs: { organization: config.organization ?? {} } });
    expect(plan.organization.slug).toBe('acme-eu');
    expect(stage(plan, 'staging').steps[0]?.params).toMatchObject({
      variables: { org: 'acme-eu' },
    });
    expect(stage(plan, 'staging').steps[0]?.pending).not.toContain('[ORGANIZATION:slug]');
  });
});

describe('planPipeline: validation and planning agree', () => {
  it('the plan of a valid pipeline reports no expression problems', async () => {
    const v = await validateYaml(PIPELINE);
    const problems: unknown[] = [];
    if (v.model === undefined) throw new Error('invalid');
    planPipeline(v.model, {}, (d) => problems.push(d));
    expect(problems).toEqual([]);
  });
});
