import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isRampartError,
  nodeFileSystem,
  planPipeline,
  validateRepository,
  type PipelineModel,
} from '@rampart/core';
import { freezePlan, rollbackMode } from './freeze-plan.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

const PIPELINE = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  deployment_time_windows:
    office:
      timezone: America/New_York
      days: [MON, TUE, WED, THU, FRI]
      start: "09:00"
      end: "17:00"
  stages:
    - name: staging
      account_id: "222222222222"
      region: us-east-1
      auto_rollback_alarm_name: staging-5xx
      vars: { size: small }
    - name: prod
      account_id: "333333333333"
      region: eu-west-1
      deployment_time_window: office
      auto_rollback_alarm_names: [prod-5xx, prod-latency]
      skip: ["Smoke"]
  steps:
    - name: Infra
      id: infra
      type: DEVRAMPS:TERRAFORM:SYNTHESIZE
      params: { source: infra }
    - name: Deploy
      type: RAMPART:ECS:DEPLOY
      timeout_minutes: 20
      params:
        cluster_name: main
        service_name: api
        image_url: "\${{ stage.artifacts.api.image_url }}"
    - name: Smoke
      type: RAMPART:SCRIPT:RUN
      params: { command: "curl \${{ steps.infra.url }}" }
    - name: Bake
      type: RAMPART:APPROVAL:BAKE
      goes_after: ["Deploy"]
      params: { duration_minutes: 30 }
  artifacts:
    api:
      type: DOCKER:BUILD
      params: { dockerfile: Dockerfile }
`;

const ARTIFACTS_PIPELINE = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: "222222222222"
      region: us-east-1
      vars: { flavor: small }
  steps:
    - name: Run
      type: RAMPART:SCRIPT:RUN
      params:
        command: "echo \${{ pipeline.pre_mirror_artifacts.api.image_digest }} \${{ stage.artifacts.cfg.s3_key }}"
  artifacts:
    api:
      type: DOCKER:BUILD
      architecture: linux/arm64
      rebuild_when_changed: [api/]
      params: { dockerfile: Dockerfile, env: { A: from-params } }
      envs: { A: from-envs, B: "\${{ pipeline.slug }}" }
    cfg:
      type: BUNDLE:BUILD
      per_stage: true
      params: { build_commands: "make \${{ vars.flavor }}", file_path: c.zip }
`;

async function model(text = PIPELINE): Promise<PipelineModel> {
  const root = mkdtempSync(join(tmpdir(), 'rampart-engine-'));
  roots.push(root);
  mkdirSync(join(root, '.rampart', 'web'), { recursive: true });
  writeFileSync(join(root, '.rampart', 'web', 'pipeline.yaml'), text);
  const validation = await validateRepository(root, nodeFileSystem);
  const found = validation.pipelines[0]?.model;
  if (found === undefined) throw new Error(JSON.stringify(validation.pipelines[0]?.errors));
  return found;
}

describe('freezePlan', () => {
  it('freezes the planner output with windows, alarms, rollback modes and DAG', async () => {
    const m = await model();
    const frozen = freezePlan(m, planPipeline(m, { inputs: { trigger: { sha: 'abc' } } }));
    expect(frozen.pipelineSlug).toBe('web');
    const [staging, prod] = frozen.stages;
    expect(staging?.window.always).toBe(true);
    expect(prod?.window).toMatchObject({
      name: 'office',
      timezone: 'America/New_York',
      start: '09:00',
    });
    expect(prod?.alarms).toEqual(['prod-5xx', 'prod-latency']);
    expect(staging?.vars).toEqual({ size: 'small' });
    expect(prod?.accountId).toBe('333333333333');
    expect(prod?.region).toBe('eu-west-1');

    const steps = Object.fromEntries((prod?.steps ?? []).map((s) => [s.name, s]));
    expect(steps['Infra']).toMatchObject({
      key: 'infra',
      type: 'RAMPART:TERRAFORM:SYNTHESIZE',
      rollback: 'skip',
    });
    expect(steps['Deploy']).toMatchObject({
      key: 'Deploy',
      rollback: 'redeploy',
      timeoutMinutes: 20,
      dependsOn: ['Infra'],
    });
    expect(steps['Smoke']).toMatchObject({ skipped: true });
    expect(steps['Smoke']?.level).toBeUndefined();
    expect(steps['Bake']).toMatchObject({ rollback: 'none', dependsOn: ['Deploy'], level: 2 });
    // Stage-time values stay markers for the engine to fill.
    expect(steps['Deploy']?.params['image_url']).toBe('[ARTIFACT:api/image_url]');
    expect(staging?.steps.find((s) => s.name === 'Smoke')?.params['command']).toBe(
      'curl [OUTPUT:infra/url]',
    );

    expect(prod?.artifacts).toEqual([
      expect.objectContaining({
        id: 'api',
        kind: 'image',
        repository: expect.stringContaining('prod') as string,
      }),
    ]);
    expect(prod?.artifacts[0]?.source).toMatchObject({ repository: expect.any(String) as string });
    // JSON only: a stored copy reads back equal.
    expect(JSON.parse(JSON.stringify(frozen))).toEqual(frozen);
  });

  it('freezes built-once artifacts with their CI/CD destination, and per_stage builds per stage', async () => {
    const m = await model(ARTIFACTS_PIPELINE);
    const org = {
      name: 'Acme',
      slug: 'acme',
      cicd_account_id: '111111111111',
      cicd_account_region: 'us-east-1',
    };
    const frozen = freezePlan(m, planPipeline(m, { inputs: { organization: org } }));
    expect(frozen.artifacts).toEqual([
      {
        name: 'api',
        id: 'api',
        type: 'RAMPART:DOCKER:BUILD',
        kind: 'image',
        // envs merge into env; params.env wins where both name a variable.
        params: { dockerfile: 'Dockerfile', env: { A: 'from-params', B: 'web' } },
        architecture: 'linux/arm64',
        rebuildWhenChanged: ['api/'],
        destination: { accountId: '111111111111', region: 'us-east-1', repository: 'web-api' },
      },
    ]);
    const [api, cfg] = frozen.stages[0]?.artifacts ?? [];
    expect(api?.build).toBeUndefined();
    expect(api?.source).toEqual(frozen.artifacts?.[0]?.destination);
    expect(cfg?.source).toBeUndefined();
    expect(cfg?.build).toEqual({
      name: 'cfg',
      id: 'cfg',
      type: 'RAMPART:BUNDLE:BUILD',
      kind: 'bundle',
      params: { build_commands: 'make small', file_path: 'c.zip' },
      destination: { accountId: '222222222222', region: 'us-east-1', bucket: cfg?.bucket },
    });
    expect(frozen.stages[0]?.steps[0]?.params['command']).toBe(
      'echo [PRE_MIRROR_ARTIFACT:api/image_digest] [ARTIFACT:cfg/s3_key]',
    );
    expect(JSON.parse(JSON.stringify(frozen))).toEqual(frozen);
  });

  it('refuses a plan naming a stage the model lacks', async () => {
    const m = await model();
    const plan = planPipeline(m);
    const renamed = { ...plan, stages: plan.stages.map((s) => ({ ...s, name: `${s.name}-x` })) };
    let error: unknown;
    try {
      freezePlan(m, renamed);
    } catch (e) {
      error = e;
    }
    expect(isRampartError(error)).toBe(true);
    expect((error as Error).message).toMatch(/stage "staging-x"/);
  });

  it('refuses params that are not JSON', async () => {
    const m = await model();
    const plan = planPipeline(m);
    const first = plan.stages[0]?.steps[0];
    if (first === undefined) throw new Error('no step');
    first.params = { when: new Date(0) };
    expect(() => freezePlan(m, plan)).toThrow(/not JSON/);
  });

  it('takes rollback modes from the catalog; custom steps restore nothing', () => {
    expect(rollbackMode('RAMPART:ECS:DEPLOY')).toBe('redeploy');
    expect(rollbackMode('RAMPART:TERRAFORM:SYNTHESIZE')).toBe('skip');
    expect(rollbackMode('RAMPART:APPROVAL:BAKE')).toBe('none');
    expect(rollbackMode('CUSTOM:THING')).toBe('none');
  });
});
