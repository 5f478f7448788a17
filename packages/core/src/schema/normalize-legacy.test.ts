import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../errors/index.js';
import type { PipelineValidation } from '../model/validate-pipeline.js';
import {
  codes,
  codesAt,
  pipelineYaml,
  positionOf,
  removeTempRepos,
  validateYaml,
} from '../test-support/pipeline-fixtures.js';

afterAll(removeTempRepos);

const STEPS = `
steps:
  - name: Hello
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo \${{ vars.greeting }}`;

/** Diagnostics other than the deprecation warnings, without file names (the two files differ). */
function others(v: PipelineValidation): string[] {
  return [...v.errors, ...v.warnings]
    .filter((d) => d.code !== 'SCHEMA_DEPRECATED')
    .map((d) => `${d.severity} ${d.code}: ${d.message}`);
}

function deprecation(v: PipelineValidation): Diagnostic {
  const found = v.warnings.filter((d) => d.code === 'SCHEMA_DEPRECATED');
  expect(found).toHaveLength(1);
  return found[0] as Diagnostic;
}

/** Validates both texts and checks they mean the same: same definition, same other diagnostics. */
async function expectSameAsModern(legacy: string, modern: string): Promise<PipelineValidation> {
  const [old, now] = await Promise.all([validateYaml(legacy), validateYaml(modern)]);
  expect(now.warnings).toEqual([]);
  expect(old.model?.definition).toBeDefined();
  expect(old.model?.definition).toEqual(now.model?.definition);
  expect(others(old)).toEqual(others(now));
  return old;
}

describe('older shapes are accepted with a warning showing the modern form', () => {
  it('stages[].deployment_target: {account_id, region}', async () => {
    const legacy = pipelineYaml(`
stages:
  - name: dev
    deployment_target:
      account_id: "111111111111"
      region: us-east-1
    vars: { greeting: hi }${STEPS}`);
    const modern = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { greeting: hi }${STEPS}`);
    const v = await expectSameAsModern(legacy, modern);
    const w = deprecation(v);
    expect(w).toMatchObject({ severity: 'warning', ...positionOf(legacy, 'deployment_target:') });
    expect(w.message).toContain('`deployment_target`');
    expect(w.hint).toBe(
      'Write `account_id: "111111111111"` and `region: "us-east-1"` directly on the stage.',
    );
  });

  it('pipeline.defaults with steps inside becomes stage_defaults + steps', async () => {
    const legacy = pipelineYaml(`
defaults:
  deployment_time_window: PACIFIC_WORKING_HOURS
  vars: { greeting: hi }
  steps:
    - name: Hello
      type: RAMPART:SCRIPT:RUN
      params:
        command: echo \${{ vars.greeting }}
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1`);
    const modern = pipelineYaml(`
stage_defaults:
  deployment_time_window: PACIFIC_WORKING_HOURS
  vars: { greeting: hi }
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1${STEPS}`);
    const v = await expectSameAsModern(legacy, modern);
    const w = deprecation(v);
    expect(w).toMatchObject(positionOf(legacy, 'defaults:'));
    expect(w.message).toContain('`pipeline.defaults`');
    expect(w.hint).toBe(
      'Write `pipeline.steps: [...]` and `pipeline.stage_defaults: { deployment_time_window, vars }` instead.',
    );
    expect(v.model?.stages[0]?.window.name).toBe('PACIFIC_WORKING_HOURS');
  });

  it('artifacts as a list of {name, type, ...} becomes a map from name to artifact', async () => {
    const stage = `
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { greeting: hi }
steps:
  - name: Hello
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo \${{ stage.artifacts["Web Image"].image_url }} \${{ vars.greeting }}`;
    const legacy = pipelineYaml(`${stage}
artifacts:
  - name: Web Image
    type: DOCKER:BUILD
    params: { dockerfile: Dockerfile }
  - name: Site
    type: BUNDLE:BUILD
    params: { build_commands: make, file_path: site.zip }`);
    const modern = pipelineYaml(`${stage}
artifacts:
  Web Image:
    type: DOCKER:BUILD
    params: { dockerfile: Dockerfile }
  Site:
    type: BUNDLE:BUILD
    params: { build_commands: make, file_path: site.zip }`);
    const v = await expectSameAsModern(legacy, modern);
    const w = deprecation(v);
    expect(w).toMatchObject(positionOf(legacy, 'artifacts:'));
    expect(w.hint).toBe(
      'Write a map from name to artifact: `artifacts: { "Web Image": { type: ..., params: ... } }`.',
    );
    expect(v.model?.artifacts.map((a) => a.id)).toEqual(['web-image', 'site']);
  });

  it('stages[].infrastructure is the older name of vars', async () => {
    const legacy = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    infrastructure: { greeting: hi }${STEPS}`);
    const modern = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { greeting: hi }${STEPS}`);
    const v = await expectSameAsModern(legacy, modern);
    const w = deprecation(v);
    expect(w).toMatchObject(positionOf(legacy, 'infrastructure:'));
    expect(w.hint).toContain('Rename `infrastructure:` to `vars:`');
  });

  it('infrastructure and vars without common keys are merged', async () => {
    const v = await validateYaml(
      pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { a: 1 }
    infrastructure: { greeting: hi }${STEPS}`),
    );
    expect(v.errors).toEqual([]);
    expect(v.model?.stages[0]?.vars).toEqual({ a: 1, greeting: 'hi' });
  });

  it('all four older shapes in one file: four warnings, and the same meaning as the modern file', async () => {
    const legacy = pipelineYaml(`
defaults:
  steps:
    - name: Hello
      type: RAMPART:SCRIPT:RUN
      params:
        command: echo \${{ vars.greeting }} \${{ stage.artifacts.web.image_url }}
stages:
  - name: dev
    deployment_target: { account_id: "111111111111", region: us-east-1 }
    infrastructure: { greeting: hi }
artifacts:
  - name: Web
    type: DOCKER:BUILD
    params: { dockerfile: Dockerfile }`);
    const modern = pipelineYaml(`
steps:
  - name: Hello
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo \${{ vars.greeting }} \${{ stage.artifacts.web.image_url }}
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { greeting: hi }
artifacts:
  Web:
    type: DOCKER:BUILD
    params: { dockerfile: Dockerfile }`);
    const [old, now] = await Promise.all([validateYaml(legacy), validateYaml(modern)]);
    expect(old.errors).toEqual([]);
    expect(codes(old.warnings)).toEqual([
      'SCHEMA_DEPRECATED',
      'SCHEMA_DEPRECATED',
      'SCHEMA_DEPRECATED',
      'SCHEMA_DEPRECATED',
    ]);
    expect(old.model?.definition).toEqual(now.model?.definition);
  });
});

describe('problems inside older shapes point at the older text', () => {
  it('an unknown region inside deployment_target', async () => {
    const text = pipelineYaml(`
stages:
  - name: dev
    deployment_target:
      account_id: "111111111111"
      region: us-est-1
    vars: { greeting: hi }${STEPS}`);
    const v = await validateYaml(text);
    expect(codesAt(v.errors)).toEqual([
      `REGION_UNKNOWN@${positionOf(text, 'us-est-1').line}:${positionOf(text, 'us-est-1').column}`,
    ]);
  });

  it('an expression error inside pipeline.defaults.steps', async () => {
    const text = pipelineYaml(`
defaults:
  steps:
    - name: Hello
      type: RAMPART:SCRIPT:RUN
      params:
        command: echo \${{ stage.nme }}
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1`);
    const v = await validateYaml(text);
    const pos = positionOf(text, 'nme');
    expect(codesAt(v.errors)).toEqual([`EXPR_UNKNOWN_KEY@${pos.line}:${pos.column}`]);
  });

  it('an unknown var read from infrastructure values', async () => {
    const text = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    infrastructure:
      greeting: \${{ stage.regoin }}${STEPS}`);
    const v = await validateYaml(text);
    const pos = positionOf(text, 'regoin');
    expect(codesAt(v.errors)).toEqual([`EXPR_UNKNOWN_KEY@${pos.line}:${pos.column}`]);
  });

  it('an unknown artifact type in the list form', async () => {
    const text = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { greeting: hi }${STEPS}
artifacts:
  - name: Web
    type: DOCKER:BUILT`);
    const v = await validateYaml(text);
    const pos = positionOf(text, 'DOCKER:BUILT');
    expect(codesAt(v.errors)).toEqual([`STEP_TYPE_UNKNOWN@${pos.line}:${pos.column}`]);
  });
});

describe('older and modern keys together conflict', () => {
  it('deployment_target.region and region: SCHEMA_CONFLICTING_KEYS at the older key', async () => {
    const text = pipelineYaml(`
stages:
  - name: dev
    region: us-east-1
    deployment_target:
      account_id: "111111111111"
      region: us-west-2
    vars: { greeting: hi }${STEPS}`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['SCHEMA_CONFLICTING_KEYS']);
    expect(v.errors[0]).toMatchObject(positionOf(text, 'region: us-west-2'));
    expect(v.errors[0]?.message).toBe('stage sets both region and deployment_target.region');
    expect(v.errors[0]?.hint).toBe('Keep only `region:` on the stage.');
  });

  it('pipeline.defaults.steps and pipeline.steps', async () => {
    const text = pipelineYaml(`
defaults:
  steps:
    - name: Other
      type: RAMPART:SCRIPT:RUN
      params: { command: x }
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { greeting: hi }${STEPS}`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['SCHEMA_CONFLICTING_KEYS']);
    expect(v.errors[0]).toMatchObject(positionOf(text, 'steps:'));
    expect(v.errors[0]?.message).toBe('both pipeline.steps and pipeline.defaults.steps are set');
  });

  it('pipeline.defaults and pipeline.stage_defaults', async () => {
    const text = pipelineYaml(`
defaults:
  vars: { greeting: hi }
stage_defaults:
  vars: { greeting: hello }
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1${STEPS}`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['SCHEMA_CONFLICTING_KEYS']);
    expect(v.errors[0]).toMatchObject(positionOf(text, 'defaults:'));
  });

  it('the same key in infrastructure and vars', async () => {
    const text = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { greeting: hi }
    infrastructure: { greeting: hello }${STEPS}`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['SCHEMA_CONFLICTING_KEYS']);
    expect(v.errors[0]).toMatchObject(positionOf(text, 'greeting: hello'));
    expect(v.errors[0]?.message).toBe('"greeting" is set in both vars and infrastructure');
  });

  it('malformed older shapes: a deployment_target that is not a map, an unknown key in it, an unnamed list artifact', async () => {
    const text = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    deployment_target: us-east-1
  - name: prod
    region: us-east-1
    deployment_target: { account_id: "111111111111", partition: aws }
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
artifacts:
  - type: DOCKER:BUILD
    params: { dockerfile: Dockerfile }`);
    const v = await validateYaml(text);
    expect(v.errors.map((d) => `${d.code}: ${d.message}`).sort()).toEqual([
      'SCHEMA_INVALID_TYPE: deployment_target must be a map with account_id and region',
      'SCHEMA_MISSING_KEY: artifact #1 in the list form needs a "name"',
      // Without a usable deployment_target, stage "dev" has no region.
      'SCHEMA_MISSING_KEY: missing required key "region" in pipeline.stages["dev"]',
      'SCHEMA_UNKNOWN_KEY: unknown key "partition" in deployment_target',
    ]);
    expect(v.errors.find((d) => d.code === 'SCHEMA_INVALID_TYPE')).toMatchObject(
      positionOf(text, 'us-east-1'),
    );
    expect(v.errors.find((d) => d.code === 'SCHEMA_UNKNOWN_KEY')).toMatchObject(
      positionOf(text, 'partition'),
    );
  });
});
