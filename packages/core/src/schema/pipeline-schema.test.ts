import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../errors/index.js';
import { parsePipelineText } from '../model/load-pipeline.js';
import {
  codes,
  describeAll,
  pipelineYaml,
  positionOf,
  removeTempRepos,
  validateYaml,
} from '../test-support/pipeline-fixtures.js';

afterAll(removeTempRepos);

const F = 'p.yaml';

const STAGE = `
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1`;

const STEP = `
steps:
  - name: Hello
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo hi`;

function schemaErrors(text: string): Diagnostic[] {
  return parsePipelineText(text, F).diagnostics.filter((d) => d.severity === 'error');
}

/** Asserts one diagnostic of `code` sits at the `nth` occurrence of `needle`. */
function expectAt(
  list: readonly Diagnostic[],
  code: string,
  text: string,
  needle: string,
  nth = 1,
): Diagnostic {
  const pos = positionOf(text, needle, nth);
  const found = list.find((d) => d.code === code && d.line === pos.line && d.column === pos.column);
  expect(
    found,
    `${code} at ${pos.line}:${pos.column} ("${needle}") in:\n${describeAll(list)}`,
  ).toBeDefined();
  return found as Diagnostic;
}

describe('schema: unknown keys are errors with the nearest allowed key', () => {
  it('`variables` on a stage suggests `vars` (it would otherwise be lost silently)', () => {
    const text = pipelineYaml(`${STAGE}\n    variables: { a: 1 }${STEP}`);
    const errors = schemaErrors(text);
    expect(codes(errors)).toEqual(['SCHEMA_UNKNOWN_KEY']);
    const d = expectAt(errors, 'SCHEMA_UNKNOWN_KEY', text, 'variables:');
    expect(d.message).toBe(
      'unknown key "variables" in pipeline.stages["dev"]; did you mean "vars"?',
    );
    expect(d.hint).toContain('Rename "variables" to "vars"');
    expect(d.hint).toContain('Allowed keys here: name, account_id, region');
  });

  it('`goes_afer` on a step suggests `goes_after`, `parmas` suggests `params`', () => {
    const text = pipelineYaml(`${STAGE}
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    parmas: { command: x }
  - name: B
    type: RAMPART:SCRIPT:RUN
    goes_afer: [A]
    params: { command: y }`);
    const errors = schemaErrors(text);
    expect(expectAt(errors, 'SCHEMA_UNKNOWN_KEY', text, 'parmas:').message).toBe(
      'unknown key "parmas" in pipeline.steps["A"]; did you mean "params"?',
    );
    expect(expectAt(errors, 'SCHEMA_UNKNOWN_KEY', text, 'goes_afer:').message).toBe(
      'unknown key "goes_afer" in pipeline.steps["B"]; did you mean "goes_after"?',
    );
  });

  it('words from other tools map to ours: depends_on → goes_after, environment → vars', () => {
    const text = pipelineYaml(`${STAGE}
    environment: { a: 1 }
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    depends_on: []
    params: { command: x }`);
    const errors = schemaErrors(text);
    expect(expectAt(errors, 'SCHEMA_UNKNOWN_KEY', text, 'environment:').message).toContain(
      'did you mean "vars"?',
    );
    expect(expectAt(errors, 'SCHEMA_UNKNOWN_KEY', text, 'depends_on:').message).toContain(
      'did you mean "goes_after"?',
    );
  });

  it('unknown keys at every level: top, pipeline, stage_defaults, artifact, notifications, ephemeral environment, window', () => {
    const text =
      pipelineYaml(`
stage_default: {}
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    deployment_time_window: { timezone: UTC, days: [MON], start: "09:00", end: "10:00", ends: "x" }
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
artifacts:
  Web:
    type: DOCKER:BUILD
    per_stag: true
    params: { dockerfile: Dockerfile }
notifications:
  slack: { channel: "#d", event: [stage_failed] }
ephemeral_environments:
  pr:
    triggers: [{ on: api }]
    release: [{ on: api }]
    account_id: "111111111111"
    region: us-east-1
    slot: 2`) + 'pipelines: {}\n';
    const errors = schemaErrors(text);
    expect(codes(errors).every((c) => c === 'SCHEMA_UNKNOWN_KEY')).toBe(true);
    expect(expectAt(errors, 'SCHEMA_UNKNOWN_KEY', text, 'stage_default:').message).toContain(
      'did you mean "stage_defaults"?',
    );
    expect(expectAt(errors, 'SCHEMA_UNKNOWN_KEY', text, 'ends:').message).toContain(
      'did you mean "end"?',
    );
    expect(expectAt(errors, 'SCHEMA_UNKNOWN_KEY', text, 'per_stag:').message).toContain(
      'did you mean "per_stage"?',
    );
    expect(expectAt(errors, 'SCHEMA_UNKNOWN_KEY', text, 'event:').message).toContain(
      'did you mean "events"?',
    );
    expect(expectAt(errors, 'SCHEMA_UNKNOWN_KEY', text, 'slot:').message).toContain(
      'did you mean "slots"?',
    );
    expect(expectAt(errors, 'SCHEMA_UNKNOWN_KEY', text, 'pipelines:').message).toContain(
      'did you mean "pipeline"?',
    );
    expect(errors).toHaveLength(6);
  });

  it('a key with no near match: the hint lists the allowed keys instead', () => {
    const text = pipelineYaml(`${STAGE}\n    colour: blue${STEP}`);
    const d = expectAt(schemaErrors(text), 'SCHEMA_UNKNOWN_KEY', text, 'colour:');
    expect(d.message).toBe('unknown key "colour" in pipeline.stages["dev"]');
    expect(d.hint).toMatch(/^Remove it\. Allowed keys here: name, account_id, region, /);
  });

  it('an unknown key alone still lets the rest of the file be checked (semantic errors too)', async () => {
    const text = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-wst-2
    variables: {}
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    params: { command: x }`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['REGION_UNKNOWN', 'SCHEMA_UNKNOWN_KEY']);
  });

  it('a `__proto__` key is reported as an unknown key, not a crash', () => {
    const text = pipelineYaml(`__proto__: { polluted: true }${STAGE}${STEP}`);
    const errors = schemaErrors(text);
    expect(codes(errors)).toEqual(['SCHEMA_UNKNOWN_KEY']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a `constructor` key on a stage is reported as an unknown key, not a crash', () => {
    const text = pipelineYaml(`${STAGE}\n    constructor: x${STEP}`);
    expect(codes(schemaErrors(text))).toEqual(['SCHEMA_UNKNOWN_KEY']);
  });

  it('`__proto__` inside free-form vars pollutes nothing, not even the vars object', async () => {
    const text = pipelineYaml(`${STAGE}
    vars:
      __proto__: { polluted: true }
      plain: 1
steps:
  - name: Hello
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo \${{ vars.plain }} \${{ vars.polluted }}`);
    const v = await validateYaml(text);
    // The prototype's content is not readable as a var.
    expect(codes(v.errors)).toEqual(['EXPR_UNKNOWN_VAR']);
    expect(v.errors[0]?.message).toContain('"polluted"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('schema: missing keys, wrong types, values not allowed', () => {
  it('missing required keys name the key and the place, at the enclosing map', () => {
    const text = pipelineYaml(`
stages:
  - name: dev
    region: us-east-1
steps:
  - type: RAMPART:SCRIPT:RUN
    params: { command: x }`);
    const errors = schemaErrors(text);
    expect(codes(errors)).toEqual(['SCHEMA_MISSING_KEY', 'SCHEMA_MISSING_KEY']);
    expect(expectAt(errors, 'SCHEMA_MISSING_KEY', text, 'name: dev').message).toBe(
      'missing required key "account_id" in pipeline.stages["dev"]',
    );
    expect(expectAt(errors, 'SCHEMA_MISSING_KEY', text, 'type: RAMPART').message).toBe(
      'missing required key "name" in pipeline.steps[0]',
    );
    expect(errors[0]?.hint).toBe('Add `account_id:` (a string).');
  });

  it('a file without version, cloud_provider or steps, and with no stages, reports each', () => {
    const errors = schemaErrors('pipeline:\n  stages: []\n');
    expect(errors.map((d) => `${d.code}@${d.line}:${d.column} ${d.message}`).sort()).toEqual(
      [
        'SCHEMA_MISSING_KEY@1:1 missing required key "version" in the top level',
        'SCHEMA_MISSING_KEY@1:1 missing required key "cloud_provider" in pipeline',
        'SCHEMA_MISSING_KEY@1:1 missing required key "steps" in pipeline',
        'SCHEMA_INVALID_VALUE@2:11 pipeline.stages must have at least 1 item',
      ].sort(),
    );
  });

  it('wrong types name the expected type and the value found', () => {
    const text = pipelineYaml(`
tracks: [main]
stages:
  - name: 42
    account_id: "111111111111"
    region: us-east-1
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    timeout_minutes: ten
    goes_after: Other
    params: { command: x }`);
    const errors = schemaErrors(text);
    expect(codes(errors)).toEqual([
      'SCHEMA_INVALID_TYPE',
      'SCHEMA_INVALID_TYPE',
      'SCHEMA_INVALID_TYPE',
      'SCHEMA_INVALID_TYPE',
    ]);
    expect(expectAt(errors, 'SCHEMA_INVALID_TYPE', text, '[main]').message).toBe(
      'pipeline.tracks must be a string, not a list',
    );
    const name = expectAt(errors, 'SCHEMA_INVALID_TYPE', text, '42');
    expect(name.message).toBe('pipeline.stages[0].name must be a string, not the number 42');
    expect(name.hint).toBe('Quote the value: "42".');
    expect(expectAt(errors, 'SCHEMA_INVALID_TYPE', text, 'ten').message).toContain(
      'must be a number, not the string "ten"',
    );
    const after = expectAt(errors, 'SCHEMA_INVALID_TYPE', text, 'Other');
    expect(after.message).toBe(
      'pipeline.steps["A"].goes_after must be a list, not the string "Other"',
    );
    expect(after.hint).toBe('Write a list: ["Other"].');
  });

  it('a map where a list belongs, and a list where a map belongs', () => {
    const text = pipelineYaml(`
stages:
  dev: { account_id: "111111111111", region: us-east-1 }
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    params: [command, x]`);
    const errors = schemaErrors(text);
    // A block map starts at its first key.
    expect(expectAt(errors, 'SCHEMA_INVALID_TYPE', text, 'dev:').message).toBe(
      'pipeline.stages must be a list, not a map',
    );
    const params = expectAt(errors, 'SCHEMA_INVALID_TYPE', text, '[command');
    expect(params.message).toBe('pipeline.steps["A"].params must be a map, not a list');
    expect(params.hint).toContain('key: value');
  });

  it('values outside an enum list the allowed values and suggest the nearest', () => {
    const text = pipelineYaml(`
cloud_provider: AWS
pipeline_updates_require_approval: NEVR${STAGE}${STEP}
artifacts:
  Web:
    type: DOCKER:BUILD
    architecture: linux/amd46
    params: { dockerfile: Dockerfile }
notifications:
  slack: { channel: "#d", events: [stage_faild] }`).replace(
      '  cloud_provider: AWS\n  cloud_provider: AWS\n',
      '  cloud_provider: GCP\n',
    );
    const errors = schemaErrors(text);
    expect(codes(errors)).toEqual([
      'SCHEMA_INVALID_VALUE',
      'SCHEMA_INVALID_VALUE',
      'SCHEMA_INVALID_VALUE',
      'SCHEMA_INVALID_VALUE',
    ]);
    expect(expectAt(errors, 'SCHEMA_INVALID_VALUE', text, 'GCP').message).toBe(
      'pipeline.cloud_provider must be one of AWS, not the string "GCP"',
    );
    const approval = expectAt(errors, 'SCHEMA_INVALID_VALUE', text, 'NEVR');
    expect(approval.message).toBe(
      'pipeline.pipeline_updates_require_approval must be one of ALWAYS, NEVER, DESTRUCTIVE_CHANGES_ONLY, not the string "NEVR"; did you mean "NEVER"?',
    );
    expect(approval.hint).toBe('Use one of: ALWAYS, NEVER, DESTRUCTIVE_CHANGES_ONLY.');
    expect(expectAt(errors, 'SCHEMA_INVALID_VALUE', text, 'linux/amd46').message).toContain(
      'did you mean "linux/amd64"?',
    );
    expect(expectAt(errors, 'SCHEMA_INVALID_VALUE', text, 'stage_faild').message).toContain(
      'did you mean "stage_failed"?',
    );
  });

  it('numbers out of range', () => {
    const text = pipelineYaml(`${STAGE}
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    timeout_minutes: 0
    params: { command: x }`);
    const d = expectAt(schemaErrors(text), 'SCHEMA_INVALID_VALUE', text, '0\n');
    expect(d.message).toBe('pipeline.steps["A"].timeout_minutes must be greater than 0');
  });
});

describe('schema: every problem of a run is reported together', () => {
  it('a file with 5 different schema problems reports 5 errors', () => {
    const text = pipelineYaml(`
tracks: [main]
pipeline_updates_require_approval: SOMETIMES
stages:
  - name: dev
    region: us-east-1
    variables: {}
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    goes_afer: []
    params: { command: x }`);
    const errors = schemaErrors(text);
    expect(errors.map((d) => d.code).sort()).toEqual([
      'SCHEMA_INVALID_TYPE',
      'SCHEMA_INVALID_VALUE',
      'SCHEMA_MISSING_KEY',
      'SCHEMA_UNKNOWN_KEY',
      'SCHEMA_UNKNOWN_KEY',
    ]);
  });

  it('a file with 5 different semantic problems reports 5 errors', async () => {
    const v = await validateYaml(
      pipelineYaml(`
stages:
  - name: Dev
    account_id: "12345"
    region: us-est-1
    skip: [Nope]
steps:
  - name: A
    type: RAMPART:SCRIPT:RUNN
    params: { command: x }`),
    );
    expect(codes(v.errors)).toEqual([
      'STAGE_NAME_INVALID',
      'ACCOUNT_ID_INVALID',
      'REGION_UNKNOWN',
      'STEP_REFERENCE_UNKNOWN',
      'STEP_TYPE_UNKNOWN',
    ]);
  });

  it('schema and semantic problems of one file are reported in the same run', async () => {
    const v = await validateYaml(
      pipelineYaml(`
tracks: [main]
stages:
  - name: Dev
    account_id: "12345678901"
    region: us-est-1
steps:
  - name: A
    type: RAMPART:SCRIPT:RUNN
    params: { command: x }`),
    );
    expect(v.errors).toHaveLength(5);
  });
});
