import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../errors/index.js';
import {
  codes,
  describeAll,
  modelOf,
  pipelineYaml,
  positionOf,
  removeTempRepos,
  validateYaml,
} from '../test-support/pipeline-fixtures.js';

afterAll(removeTempRepos);

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

/** The one diagnostic of `code` at the `nth` occurrence of `needle`; fails the test otherwise. */
function at(
  list: readonly Diagnostic[],
  code: string,
  text: string,
  needle: string,
  nth = 1,
): Diagnostic {
  const pos = positionOf(text, needle, nth);
  const found = list.filter(
    (d) => d.code === code && d.line === pos.line && d.column === pos.column,
  );
  expect(
    found,
    `${code} at ${pos.line}:${pos.column} ("${needle}") in:\n${describeAll(list)}`,
  ).toHaveLength(1);
  return found[0] as Diagnostic;
}

describe('stages', () => {
  it('duplicate stage names: STAGE_DUPLICATE at the second, naming the first line', async () => {
    const text = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
  - name: dev
    account_id: "111111111111"
    region: us-east-2${STEP}`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['STAGE_DUPLICATE']);
    const d = at(v.errors, 'STAGE_DUPLICATE', text, 'dev', 2);
    expect(d.message).toBe(
      `stage "dev" uses the name "dev" already used at line ${positionOf(text, 'dev').line}`,
    );
  });

  it.each([['Prod'], ['prod_1'], ['-prod'], ['prod-'], ['pröd']])(
    'stage name %j: STAGE_NAME_INVALID with a suggestion',
    async (name) => {
      const text = pipelineYaml(STAGE.replace('name: dev', `name: "${name}"`) + STEP);
      const v = await validateYaml(text);
      expect(codes(v.errors)).toEqual(['STAGE_NAME_INVALID']);
      const d = at(v.errors, 'STAGE_NAME_INVALID', text, `"${name}"`);
      expect(d.message).toBe(`stage name "${name}" must be lowercase letters, digits and hyphens`);
      expect(d.hint).toMatch(/^Rename it, e\.g\. "[a-z0-9-]+"\.$/);
    },
  );

  it('accepts lowercase names with digits and inner hyphens', async () => {
    const m = await modelOf(
      pipelineYaml(STAGE.replace('name: dev', 'name: prod-us-east-1') + STEP),
    );
    expect(m.stages.map((s) => s.name)).toEqual(['prod-us-east-1']);
  });

  it('an 11-digit and a 13-digit account id: ACCOUNT_ID_INVALID with the digit count', async () => {
    const text = pipelineYaml(`
stages:
  - name: a
    account_id: "12345678901"
    region: us-east-1
  - name: b
    account_id: "1234567890123"
    region: us-east-1
  - name: c
    account_id: "1234-5678-9012"
    region: us-east-1${STEP}`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual([
      'ACCOUNT_ID_INVALID',
      'ACCOUNT_ID_INVALID',
      'ACCOUNT_ID_INVALID',
    ]);
    const eleven = at(v.errors, 'ACCOUNT_ID_INVALID', text, '"12345678901"');
    expect(eleven.message).toBe(
      'stage "a" uses account "12345678901" (11 digits): an AWS account id is 12 digits',
    );
    expect(eleven.hint).toBe('Did you mean "012345678901"? Quote account ids in YAML.');
    expect(at(v.errors, 'ACCOUNT_ID_INVALID', text, '"1234567890123"').message).toContain(
      '(13 digits)',
    );
    expect(at(v.errors, 'ACCOUNT_ID_INVALID', text, '"1234-5678-9012"').message).toContain(
      '"1234-5678-9012"',
    );
  });

  it('an unquoted account id that lost its leading zero: an error naming the intended "0…" value', async () => {
    const text = pipelineYaml(STAGE.replace('"111111111111"', '012345678901') + STEP);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['ACCOUNT_ID_UNQUOTED']);
    const d = at(v.errors, 'ACCOUNT_ID_UNQUOTED', text, '012345678901');
    expect(d.message).toBe(
      'stage "dev" uses account 12345678901 (11 digits): YAML read the unquoted id as a number and dropped its leading zeros',
    );
    expect(d.hint).toBe('Quote account ids in YAML: account_id: "012345678901".');
  });

  it('an unquoted 11-digit number: the same error, guessing the leading zero', async () => {
    const text = pipelineYaml(STAGE.replace('"111111111111"', '12345678901') + STEP);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['ACCOUNT_ID_UNQUOTED']);
    expect(v.errors[0]?.hint).toBe('Quote account ids in YAML: account_id: "012345678901".');
  });

  it('an unquoted 12-digit id that lost nothing: only a warning, and the id is kept as text', async () => {
    const text = pipelineYaml(STAGE.replace('"111111111111"', '123456789012') + STEP);
    const v = await validateYaml(text);
    expect(v.errors).toEqual([]);
    expect(codes(v.warnings)).toEqual(['ACCOUNT_ID_UNQUOTED']);
    expect(v.warnings[0]).toMatchObject({
      severity: 'warning',
      ...positionOf(text, '123456789012'),
    });
    expect(v.warnings[0]?.message).toContain(
      'writes its account id as a YAML number (123456789012)',
    );
    expect(v.model?.stages[0]?.accountId).toBe('123456789012');
  });

  it('an unknown region: REGION_UNKNOWN with the nearest region', async () => {
    const text = pipelineYaml(`
stages:
  - name: a
    account_id: "111111111111"
    region: us-est-1
  - name: b
    account_id: "111111111111"
    region: EU_WEST_1
  - name: c
    account_id: "111111111111"
    region: mars-north-9${STEP}`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['REGION_UNKNOWN', 'REGION_UNKNOWN', 'REGION_UNKNOWN']);
    expect(at(v.errors, 'REGION_UNKNOWN', text, 'us-est-1').message).toBe(
      'stage "a" uses unknown region "us-est-1"; did you mean "us-east-1"?',
    );
    expect(at(v.errors, 'REGION_UNKNOWN', text, 'EU_WEST_1').message).toContain(
      'did you mean "eu-west-1"?',
    );
    expect(at(v.errors, 'REGION_UNKNOWN', text, 'mars-north-9').hint).toContain('us-east-1');
  });

  it('an unsupported version: VERSION_UNSUPPORTED at the value', async () => {
    const text = pipelineYaml(STAGE + STEP).replace('"1.0.0"', '"2.0.0"');
    const v = await validateYaml(text);
    expect(v.errors.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual([
      'VERSION_UNSUPPORTED@1:10',
    ]);
  });
});

describe('steps', () => {
  it('duplicate names, duplicate ids and an id equal to another name: STEP_DUPLICATE each', async () => {
    const text = pipelineYaml(`${STAGE}
steps:
  - name: Build
    id: build
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
  - name: Build
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
  - name: Test
    id: build
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
  - name: Ship
    id: Test
    type: RAMPART:SCRIPT:RUN
    params: { command: x }`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['STEP_DUPLICATE', 'STEP_DUPLICATE', 'STEP_DUPLICATE']);
    const first = positionOf(text, 'Build').line;
    expect(at(v.errors, 'STEP_DUPLICATE', text, 'Build', 2).message).toBe(
      `step name "Build" is already used by step "Build" (line ${first})`,
    );
    expect(at(v.errors, 'STEP_DUPLICATE', text, 'build', 2).message).toBe(
      `step id "build" is already used by step "Build" (line ${first})`,
    );
    expect(at(v.errors, 'STEP_DUPLICATE', text, 'Test', 2).message).toContain(
      'step id "Test" is already used by step "Test"',
    );
  });

  it('an id equal to its own name is fine', async () => {
    await expect(
      modelOf(
        pipelineYaml(`${STAGE}\n${STEP.replace('- name: Hello', '- name: hello\n    id: hello')}`),
      ),
    ).resolves.toBeDefined();
  });

  it('an id not usable in expressions: STEP_ID_INVALID', async () => {
    const text = pipelineYaml(`${STAGE}${STEP}\n    id: 9lives`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['STEP_ID_INVALID']);
    at(v.errors, 'STEP_ID_INVALID', text, '9lives');
  });

  it('goes_after an unknown step (with a suggestion), and a step after itself', async () => {
    const text = pipelineYaml(`${STAGE}
steps:
  - name: Build
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
  - name: Test
    type: RAMPART:SCRIPT:RUN
    goes_after: [Biuld, Test]
    params: { command: x }`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['STEP_REFERENCE_UNKNOWN', 'STEP_CYCLE']);
    const unknown = at(v.errors, 'STEP_REFERENCE_UNKNOWN', text, 'Biuld');
    expect(unknown.message).toBe(
      'step "Test" goes_after names unknown step "Biuld"; did you mean "Build"?',
    );
    expect(unknown.hint).toContain('Build, Test');
    expect(at(v.errors, 'STEP_CYCLE', text, 'Test]').message).toBe('step "Test" goes after itself');
  });

  it('a cycle through goes_after: STEP_CYCLE listing every step of the cycle in run order', async () => {
    const text = pipelineYaml(`${STAGE}
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    goes_after: [C]
    params: { command: x }
  - name: B
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
  - name: C
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
  - name: D
    type: RAMPART:SCRIPT:RUN
    params: { command: x }`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['STEP_CYCLE']);
    // A waits for C (goes_after), C for B and B for A (the steps above them).
    const d = at(v.errors, 'STEP_CYCLE', text, '[C]');
    expect(d.message).toBe('steps wait for each other in a cycle: "B" → "C" → "A" → "B"');
    expect(d.hint).toContain('steps without goes_after wait for the step above them');
  });

  it('goes_after by id, and parallel branches', async () => {
    const m = await modelOf(
      pipelineYaml(`${STAGE}
steps:
  - name: Build
    id: build
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
  - name: Left
    type: RAMPART:SCRIPT:RUN
    goes_after: [build]
    params: { command: x }
  - name: Right
    type: RAMPART:SCRIPT:RUN
    goes_after: [Build]
    params: { command: x }
  - name: Join
    type: RAMPART:SCRIPT:RUN
    goes_after: [Right, Left]
    params: { command: x }
  - name: First too
    type: RAMPART:SCRIPT:RUN
    goes_after: []
    params: { command: x }`),
    );
    expect(m.steps.map((s) => s.dependsOn)).toEqual([[], [0], [0], [1, 2], []]);
  });

  it('skip naming an unknown step: STEP_REFERENCE_UNKNOWN; skipping every step: a warning', async () => {
    const text = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    skip: [Helo]
  - name: prod
    account_id: "111111111111"
    region: us-east-1
    skip: [Hello]${STEP}`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['STEP_REFERENCE_UNKNOWN']);
    expect(at(v.errors, 'STEP_REFERENCE_UNKNOWN', text, 'Helo').message).toBe(
      'stage "dev" skip names unknown step "Helo"; did you mean "Hello"?',
    );
    expect(codes(v.warnings)).toEqual(['STAGE_ALL_STEPS_SKIPPED']);
    expect(v.warnings[0]?.message).toBe('stage "prod" skips every step');
  });

  it('skip by name or by id', async () => {
    const m = await modelOf(
      pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    skip: [bake, Test]
steps:
  - name: Test
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
  - name: Bake it
    id: bake
    type: RAMPART:APPROVAL:BAKE
    params: { duration_minutes: 5 }
  - name: Ship
    type: RAMPART:SCRIPT:RUN
    params: { command: x }`),
    );
    expect([...(m.stages[0]?.skipped ?? [])].sort()).toEqual([0, 1]);
  });
});

describe('step types and params', () => {
  it('an unknown type suggests the nearest; a lower-case custom suggests CUSTOM:', async () => {
    const text = pipelineYaml(`${STAGE}
steps:
  - name: A
    type: RAMPART:SCRIPT:RUNN
    params: { command: x }
  - name: B
    type: custom:my_step
  - name: C
    type: SCRIPT:RUN
    params: { command: x }`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual([
      'STEP_TYPE_UNKNOWN',
      'STEP_TYPE_UNKNOWN',
      'STEP_TYPE_UNKNOWN',
    ]);
    expect(at(v.errors, 'STEP_TYPE_UNKNOWN', text, 'RAMPART:SCRIPT:RUNN').message).toBe(
      'unknown step type "RAMPART:SCRIPT:RUNN"; did you mean "RAMPART:SCRIPT:RUN"?',
    );
    expect(at(v.errors, 'STEP_TYPE_UNKNOWN', text, 'custom:my_step').message).toContain(
      'did you mean "CUSTOM:my_step"?',
    );
    expect(at(v.errors, 'STEP_TYPE_UNKNOWN', text, 'SCRIPT:RUN', 2).message).toContain(
      'did you mean "RAMPART:SCRIPT:RUN"?',
    );
  });

  it('DEVRAMPS: ids are the same types as RAMPART: ones', async () => {
    const body = (prefix: string) =>
      pipelineYaml(`${STAGE}
steps:
  - name: Infra
    id: infra
    type: ${prefix}:TERRAFORM:SYNTHESIZE
    params: { source: infra }
  - name: Bake
    type: ${prefix}:APPROVAL:BAKE
    params: { duration_minutes: 5 }`);
    const [devramps, rampart] = await Promise.all([
      modelOf(body('DEVRAMPS')),
      modelOf(body('RAMPART')),
    ]);
    expect(devramps.steps.map((s) => s.type)).toEqual(rampart.steps.map((s) => s.type));
    expect(devramps.steps.map((s) => s.type)).toEqual([
      { kind: 'builtin', type: 'RAMPART:TERRAFORM:SYNTHESIZE' },
      { kind: 'builtin', type: 'RAMPART:APPROVAL:BAKE' },
    ]);
    expect(devramps.steps.map((s) => s.rawType)).toEqual([
      'DEVRAMPS:TERRAFORM:SYNTHESIZE',
      'DEVRAMPS:APPROVAL:BAKE',
    ]);
  });

  it('DEVRAMPS: types check their params like RAMPART: ones', async () => {
    const text = pipelineYaml(`${STAGE}
steps:
  - name: Bake
    type: DEVRAMPS:APPROVAL:BAKE
    params: { duration: 5 }`);
    const v = await validateYaml(text);
    expect(codes(v.errors).sort()).toEqual(['SCHEMA_MISSING_KEY', 'SCHEMA_UNKNOWN_KEY']);
  });

  it('CUSTOM: types are accepted with any params', async () => {
    const m = await modelOf(
      pipelineYaml(`${STAGE}
steps:
  - name: Notify
    type: CUSTOM:SLACK_NOTIFY
    params: { anything: [1, 2], nested: { deep: true }, text: "\${{ stage.name }}" }
  - name: Bare
    type: CUSTOM:NO_PARAMS`),
    );
    expect(m.steps.map((s) => s.type)).toEqual([
      { kind: 'custom', name: 'SLACK_NOTIFY' },
      { kind: 'custom', name: 'NO_PARAMS' },
    ]);
  });

  it('EKS types are planned: STEP_TYPE_PLANNED', async () => {
    const text = pipelineYaml(`${STAGE}
steps:
  - name: Deploy
    type: RAMPART:EKS:DEPLOY
  - name: Helm
    type: DEVRAMPS:EKS:HELM`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['STEP_TYPE_PLANNED', 'STEP_TYPE_PLANNED']);
    expect(at(v.errors, 'STEP_TYPE_PLANNED', text, 'RAMPART:EKS:DEPLOY').message).toBe(
      'step type RAMPART:EKS:DEPLOY is planned but not available yet',
    );
  });

  it('params per type: a missing required param, an unknown param with a suggestion, a wrong value', async () => {
    const text = pipelineYaml(`${STAGE}
steps:
  - name: Deploy
    type: RAMPART:ECS:DEPLOY
    params:
      cluster_name: main
      image_url: repo/app:1
      servce_name: web
  - name: Bake
    type: RAMPART:APPROVAL:BAKE
    params:
      duration_minutes: ten
  - name: Fn
    type: RAMPART:LAMBDA:INVOKE`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual([
      'SCHEMA_MISSING_KEY',
      'SCHEMA_UNKNOWN_KEY',
      'SCHEMA_INVALID_VALUE',
      'SCHEMA_MISSING_KEY',
    ]);
    // A missing param is reported at the `params:` key.
    const missing = at(v.errors, 'SCHEMA_MISSING_KEY', text, 'params:');
    expect(missing.message).toBe(
      'missing required key "service_name" in pipeline.steps["Deploy"].params',
    );
    expect(at(v.errors, 'SCHEMA_UNKNOWN_KEY', text, 'servce_name').message).toBe(
      'unknown key "servce_name" in pipeline.steps["Deploy"].params; did you mean "service_name"?',
    );
    expect(at(v.errors, 'SCHEMA_INVALID_VALUE', text, 'ten').message).toContain(
      'pipeline.steps["Bake"].params.duration_minutes',
    );
    // A step without params at all: the error sits on the step.
    expect(at(v.errors, 'SCHEMA_MISSING_KEY', text, 'name: Fn').message).toBe(
      'missing required key "function_name" in pipeline.steps["Fn"].params',
    );
  });

  it('a typed param may hold an expression instead', async () => {
    await expect(
      modelOf(
        pipelineYaml(`${STAGE}
    vars: { minutes: 5 }
steps:
  - name: Bake
    type: RAMPART:APPROVAL:BAKE
    params:
      duration_minutes: \${{ vars.minutes }}`),
      ),
    ).resolves.toBeDefined();
  });
});

describe('deployment time windows', () => {
  it('an unknown window name: WINDOW_UNKNOWN with the nearest name', async () => {
    const text = pipelineYaml(STAGE + '\n    deployment_time_window: PACIFIC_WORKING_HOUR' + STEP);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['WINDOW_UNKNOWN']);
    const d = at(v.errors, 'WINDOW_UNKNOWN', text, 'PACIFIC_WORKING_HOUR');
    expect(d.message).toBe(
      'unknown deployment time window "PACIFIC_WORKING_HOUR"; did you mean "PACIFIC_WORKING_HOURS"?',
    );
    expect(d.hint).toContain('NONE, PACIFIC_WORKING_HOURS, PACIFIC_WORKING_HOURS_REDUCED');
  });

  it('custom named windows: referenced by name, suggested when misspelt, a preset name refused', async () => {
    const text = pipelineYaml(`
deployment_time_windows:
  berlin-office:
    timezone: Europe/Berlin
    days: [MON, TUE, WED, THU, FRI]
    start: "09:00"
    end: "17:00"
  NONE:
    timezone: UTC
    days: [MON]
    start: "00:00"
    end: "01:00"
stages:
  - name: a
    account_id: "111111111111"
    region: eu-central-1
    deployment_time_window: berlin-office
  - name: b
    account_id: "111111111111"
    region: eu-central-1
    deployment_time_window: berlin-ofice${STEP}`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['WINDOW_INVALID', 'WINDOW_UNKNOWN']);
    expect(at(v.errors, 'WINDOW_INVALID', text, 'NONE:').message).toBe(
      'custom window "NONE" has the name of a preset',
    );
    expect(at(v.errors, 'WINDOW_UNKNOWN', text, 'berlin-ofice').message).toContain(
      'did you mean "berlin-office"?',
    );
  });

  it('a named window is the stage window; stage_defaults supplies it; the stage wins', async () => {
    const m = await modelOf(
      pipelineYaml(`
deployment_time_windows:
  office:
    timezone: Europe/Berlin
    days: [MON]
    start: "09:00"
    end: "17:00"
stage_defaults:
  deployment_time_window: office
stages:
  - name: a
    account_id: "111111111111"
    region: eu-central-1
  - name: b
    account_id: "111111111111"
    region: eu-central-1
    deployment_time_window: NONE
  - name: c
    account_id: "111111111111"
    region: eu-central-1
    deployment_time_window: { timezone: Asia/Tokyo, days: [SAT], start: "01:00", end: "02:00" }${STEP}`),
    );
    expect(m.stages.map((s) => [s.window.name, s.window.timezone])).toEqual([
      ['office', 'Europe/Berlin'],
      ['NONE', 'UTC'],
      ['inline', 'Asia/Tokyo'],
    ]);
  });

  it('a bad time zone and end before start, in named and inline windows, at the field', async () => {
    const text = pipelineYaml(`
deployment_time_windows:
  night:
    timezone: Europe/Berln
    days: [MON]
    start: "18:00"
    end: "09:00"
stages:
  - name: a
    account_id: "111111111111"
    region: us-east-1
    deployment_time_window: night
  - name: b
    account_id: "111111111111"
    region: us-east-1
    deployment_time_window:
      timezone: America/New_Yrok
      days: [MON]
      start: "09:00"
      end: "10:00"${STEP}`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['TIMEZONE_UNKNOWN', 'WINDOW_INVALID', 'TIMEZONE_UNKNOWN']);
    expect(at(v.errors, 'TIMEZONE_UNKNOWN', text, 'Europe/Berln').message).toContain(
      '"Europe/Berln"',
    );
    expect(at(v.errors, 'WINDOW_INVALID', text, '"09:00"').message).toContain(
      'end "09:00" is not after start "18:00"',
    );
    at(v.errors, 'TIMEZONE_UNKNOWN', text, 'America/New_Yrok');
  });
});

describe('ephemeral environments', () => {
  const env = (body: string) =>
    pipelineYaml(`${STAGE}${STEP}
ephemeral_environments:
  pr:
${body
  .replace(/^\n/, '')
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}`);

  it('become stages named ephemeral-<name> after the stages', async () => {
    const m = await modelOf(
      env(`
triggers:
  - on: pull_request
    target_branches: ["feat-*"]
release:
  - on: timeout
    after_idle_hours: 24
on_release: deploy_main
account_id: "222222222222"
region: us-west-2
slots: 2`),
    );
    expect(
      m.ephemeral.map((e) => [e.name, e.kind, e.index, e.accountId, e.region, e.ephemeral]),
    ).toEqual([
      [
        'ephemeral-pr',
        'ephemeral',
        1,
        '222222222222',
        'us-west-2',
        { envName: 'pr', slots: 2, onRelease: 'deploy_main' },
      ],
    ]);
  });

  it('pull_request without target_branches, timeout without after_idle_hours: EPHEMERAL_INVALID each', async () => {
    const text = env(`
triggers:
  - on: pull_request
release:
  - on: timeout
account_id: "222222222222"
region: us-west-2`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual(['EPHEMERAL_INVALID', 'EPHEMERAL_INVALID']);
    expect(at(v.errors, 'EPHEMERAL_INVALID', text, 'on: pull_request').message).toBe(
      'a pull_request trigger needs target_branches',
    );
    expect(at(v.errors, 'EPHEMERAL_INVALID', text, 'on: timeout').message).toBe(
      'a timeout release needs after_idle_hours',
    );
  });

  it('fields that do not fit their kind, and a kind listed twice', async () => {
    const text = env(`
triggers:
  - on: api
    target_branches: [main]
release:
  - on: api
    after_idle_hours: 3
  - on: api
account_id: "222222222222"
region: us-west-2`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual([
      'EPHEMERAL_INVALID',
      'EPHEMERAL_INVALID',
      'EPHEMERAL_INVALID',
    ]);
    expect(at(v.errors, 'EPHEMERAL_INVALID', text, 'target_branches').message).toContain(
      'pull_request triggers only',
    );
    expect(at(v.errors, 'EPHEMERAL_INVALID', text, 'after_idle_hours').message).toContain(
      'timeout releases only',
    );
    expect(at(v.errors, 'EPHEMERAL_INVALID', text, 'on: api', 3).message).toBe(
      'release "api" is listed twice',
    );
  });

  it('a name clashing with a stage, a bad name, a bad account and region', async () => {
    const text = pipelineYaml(`
stages:
  - name: ephemeral-pr
    account_id: "111111111111"
    region: us-east-1${STEP}
ephemeral_environments:
  pr:
    triggers: [{ on: api }]
    release: [{ on: api }]
    account_id: "111111111111"
    region: us-east-1
  PR_2:
    triggers: [{ on: api }]
    release: [{ on: api }]
    account_id: "1111"
    region: moon-1`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual([
      'STAGE_DUPLICATE',
      'STAGE_NAME_INVALID',
      'ACCOUNT_ID_INVALID',
      'REGION_UNKNOWN',
    ]);
    const duplicate = v.errors[0];
    expect(duplicate?.message).toBe(
      `ephemeral environment "pr" uses the name "ephemeral-pr" already used at line ${positionOf(text, 'ephemeral-pr').line}`,
    );
    expect(duplicate?.line).toBe(positionOf(text, 'pr:').line);
    at(v.errors, 'STAGE_NAME_INVALID', text, 'PR_2:');
    expect(at(v.errors, 'ACCOUNT_ID_INVALID', text, '"1111"').message).toContain(
      'ephemeral environment "PR_2"',
    );
    at(v.errors, 'REGION_UNKNOWN', text, 'moon-1');
  });

  it('a name clash points at the environment name', async () => {
    const text = pipelineYaml(`
stages:
  - name: ephemeral-pr
    account_id: "111111111111"
    region: us-east-1${STEP}
ephemeral_environments:
  pr:
    triggers: [{ on: api }]
    release: [{ on: api }]
    account_id: "111111111111"
    region: us-east-1`);
    const v = await validateYaml(text);
    at(v.errors, 'STAGE_DUPLICATE', text, 'pr:');
  });
});

describe('artifacts', () => {
  it('ids default to the name lowercased with runs of other characters as one -', async () => {
    const m = await modelOf(
      pipelineYaml(`${STAGE}${STEP}
artifacts:
  "Web  Image (arm)":
    type: DOCKER:BUILD
    params: { dockerfile: Dockerfile }
  Site:
    id: site-bundle
    type: RAMPART:BUNDLE:BUILD
    params: { build_commands: make, file_path: a.zip }`),
    );
    expect(m.artifacts.map((a) => [a.name, a.id, a.type, a.kind])).toEqual([
      ['Web  Image (arm)', 'web-image-arm', 'RAMPART:DOCKER:BUILD', 'image'],
      ['Site', 'site-bundle', 'RAMPART:BUNDLE:BUILD', 'bundle'],
    ]);
  });

  it('two artifacts with one id, an unknown type, missing params: each reported', async () => {
    const text = pipelineYaml(`${STAGE}${STEP}
artifacts:
  Web Image:
    type: DOCKER:BUILD
    params: { dockerfile: Dockerfile }
  web-image:
    type: DOCKER:BUILD
    params: { dockerfile: Dockerfile }
  Other:
    type: DOCKER:BILD
  Bundle:
    type: BUNDLE:BUILD
    params: { build_commands: make }`);
    const v = await validateYaml(text);
    expect(codes(v.errors)).toEqual([
      'ARTIFACT_DUPLICATE',
      'STEP_TYPE_UNKNOWN',
      'SCHEMA_MISSING_KEY',
    ]);
    expect(at(v.errors, 'ARTIFACT_DUPLICATE', text, 'web-image:').message).toBe(
      'artifacts "Web Image" and "web-image" both have the id "web-image"',
    );
    expect(at(v.errors, 'STEP_TYPE_UNKNOWN', text, 'DOCKER:BILD').message).toContain(
      'unknown artifact type "DOCKER:BILD"',
    );
    expect(v.errors[2]?.message).toBe(
      'missing required key "file_path" in pipeline.artifacts.Bundle.params',
    );
  });
});

describe('rollback alarms', () => {
  it('stage alarms win over stage_defaults; names and lists merge without duplicates', async () => {
    const m = await modelOf(
      pipelineYaml(`
stage_defaults:
  auto_rollback_alarm_name: default-alarm
stages:
  - name: a
    account_id: "111111111111"
    region: us-east-1
  - name: b
    account_id: "111111111111"
    region: us-east-1
    auto_rollback_alarm_name: b-5xx
    auto_rollback_alarm_names: [b-latency, b-5xx]${STEP}`),
    );
    expect(m.stages.map((s) => s.alarms)).toEqual([['default-alarm'], ['b-5xx', 'b-latency']]);
  });
});
