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
import type { PipelineModel } from './pipeline-model.js';
import { resolveArtifact, resolveStage } from './resolve-stage.js';

afterAll(removeTempRepos);

const STAGE = `
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1`;

/** A pipeline with one stage and one script step whose command is `command`. */
const scriptPipeline = (command: string, extra = '') =>
  pipelineYaml(`${STAGE}
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params:
      command: ${command}${extra}`);

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

function resolved(model: PipelineModel, stageName: string, inputs = {}) {
  const stage = [...model.stages, ...model.ephemeral].find((s) => s.name === stageName);
  if (stage === undefined) throw new Error(`no stage ${stageName}`);
  const problems: Diagnostic[] = [];
  const r = resolveStage(model, stage, inputs, (d) => problems.push(d));
  expect(problems).toEqual([]);
  return r;
}

describe('vars', () => {
  const text = pipelineYaml(`
stage_defaults:
  vars: { service: web, replicas: 3, region_label: "\${{ stage.region }}" }
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { replicas: 1, only_dev: true }
  - name: prod
    account_id: "222222222222"
    region: eu-west-1
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo \${{ vars.service }}
      timeout_minutes: \${{ vars.replicas }}
      env:
        LABEL: \${{ vars.region_label }}-\${{ stage.name }}`);

  it('stage_defaults vars merge key by key; the stage wins; a lone expression keeps its type', async () => {
    const m = await modelOf(text);
    const dev = resolved(m, 'dev');
    expect(dev.vars).toEqual({
      service: 'web',
      replicas: 1,
      region_label: 'us-east-1',
      only_dev: true,
    });
    expect(dev.steps[0]?.params).toEqual({
      command: 'echo web',
      timeout_minutes: 1,
      env: { LABEL: 'us-east-1-dev' },
    });
    const prod = resolved(m, 'prod');
    expect(prod.vars).toEqual({ service: 'web', replicas: 3, region_label: 'eu-west-1' });
    expect(prod.steps[0]?.params).toMatchObject({
      timeout_minutes: 3,
      env: { LABEL: 'eu-west-1-prod' },
    });
  });

  it('a var defined in one stage only: EXPR_UNKNOWN_VAR once, naming the stage that lacks it', async () => {
    const t = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { only_dev: x }
  - name: prod
    account_id: "111111111111"
    region: us-east-1
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo \${{ vars.only_dev }}`);
    const v = await validateYaml(t);
    expect(codes(v.errors)).toEqual(['EXPR_UNKNOWN_VAR']);
    const d = at(v.errors, 'EXPR_UNKNOWN_VAR', t, 'only_dev', 2);
    expect(d.message).toBe('unknown var "only_dev" in stage "prod"');
    expect(d.hint).toContain('stage "prod"');
  });

  it('a var missing in every stage is one error at its place, counting the stages', async () => {
    const t = pipelineYaml(`
stages:
  - name: a
    account_id: "111111111111"
    region: us-east-1
  - name: b
    account_id: "111111111111"
    region: us-east-1
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo \${{ vars.nope }}`);
    const v = await validateYaml(t);
    expect(v.errors.map((d) => d.message)).toEqual([
      'unknown var "nope" in stage "a" (and in 1 more stage)',
    ]);
  });

  it('vars cannot read other vars', async () => {
    const t = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { a: x, b: "\${{ vars.a }}" }
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params: { command: x }`);
    const v = await validateYaml(t);
    expect(codes(v.errors)).toEqual(['EXPR_NOT_ALLOWED']);
    expect(at(v.errors, 'EXPR_NOT_ALLOWED', t, 'vars.a').message).toContain(
      'a var cannot read other vars',
    );
  });

  it('a mistake in a stage_defaults var is reported once, not once per stage', async () => {
    const t = pipelineYaml(`
stage_defaults:
  vars: { a: x, b: "\${{ vars.a }}" }
stages:
  - name: one
    account_id: "111111111111"
    region: us-east-1
  - name: two
    account_id: "111111111111"
    region: us-east-1
  - name: three
    account_id: "111111111111"
    region: us-east-1
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params: { command: x }`);
    const v = await validateYaml(t);
    expect(v.errors).toHaveLength(1);
  });
});

describe('stage.artifacts', () => {
  const artifacts = `
artifacts:
  Web Image:
    type: DOCKER:BUILD
    params: { dockerfile: Dockerfile }
  Site Bundle:
    type: BUNDLE:BUILD
    params: { build_commands: make, file_path: site.zip }`;

  it('by name or id, with dot or brackets; unknown values are markers', async () => {
    const m = await modelOf(
      pipelineYaml(`${STAGE}
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params:
      command: run
      env:
        A: \${{ stage.artifacts["Web Image"].image_url }}
        B: \${{ stage.artifacts["web-image"]["image_tag"] }}
        C: \${{ stage.artifacts.web-image.image_digest }}
        D: \${{ stage.artifacts['Site Bundle'].s3_url }}
        E: \${{ stage.artifacts.site-bundle.s3_bucket }}${artifacts}`),
    );
    expect(resolved(m, 'dev').steps[0]?.params.env).toEqual({
      A: '[ARTIFACT:web-image/image_url]',
      B: '[ARTIFACT:web-image/image_tag]',
      C: '[ARTIFACT:web-image/image_digest]',
      D: '[ARTIFACT:site-bundle/s3_url]',
      // The bucket name is known at plan time.
      E: '111111111111-app-dev-site-bundle',
    });
  });

  it('an unknown artifact: EXPR_UNKNOWN_ARTIFACT listing the known ones; a field of the other kind: EXPR_UNKNOWN_KEY', async () => {
    const t = pipelineYaml(`${STAGE}
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params:
      command: run
      env:
        A: \${{ stage.artifacts["Web Imag"].image_url }}
        B: \${{ stage.artifacts["Web Image"].s3_url }}${artifacts}`);
    const v = await validateYaml(t);
    expect(codes(v.errors)).toEqual(['EXPR_UNKNOWN_ARTIFACT', 'EXPR_UNKNOWN_KEY']);
    const unknown = at(v.errors, 'EXPR_UNKNOWN_ARTIFACT', t, '"Web Imag"');
    expect(unknown.message).toContain('unknown artifact "Web Imag"');
    expect(unknown.hint).toContain('Web Image, Site Bundle');
    const field = at(v.errors, 'EXPR_UNKNOWN_KEY', t, 's3_url');
    expect(field.message).toBe('unknown field "s3_url" in artifact "Web Image"');
    expect(field.hint).toContain('image_url, image_tag, image_digest');
  });
});

describe('steps.<id> outputs', () => {
  const steps = `
  - name: Infra
    id: infra
    type: RAMPART:TERRAFORM:SYNTHESIZE
    params: { source: infra }
  - name: Deploy
    id: deploy
    type: RAMPART:ECS:DEPLOY
    params:
      cluster_name: \${{ steps.infra.cluster }}
      service_name: web
      image_url: repo/app:1
  - name: Check
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo \${{ steps.infra.anything }} \${{ steps.deploy.service_arn }}
  - name: Side
    type: RAMPART:SCRIPT:RUN
    goes_after: [infra]
    params:
      command: echo \${{ steps.Check.x }}`;

  it('upstream steps directly and through a chain resolve to output markers', async () => {
    const t = pipelineYaml(`${STAGE}\nsteps:${steps.replace('${{ steps.Check.x }}', 'ok')}`);
    const m = await modelOf(t);
    const r = resolved(m, 'dev');
    expect(r.steps.map((s) => s.params)).toEqual([
      { source: 'infra' },
      { cluster_name: '[OUTPUT:infra/cluster]', service_name: 'web', image_url: 'repo/app:1' },
      { command: 'echo [OUTPUT:infra/anything] [OUTPUT:deploy/service_arn]' },
      { command: 'echo ok' },
    ]);
    expect(r.steps[2]?.markers).toEqual(['[OUTPUT:infra/anything]', '[OUTPUT:deploy/service_arn]']);
  });

  it('a parallel branch is not upstream: EXPR_STEP_NOT_UPSTREAM naming both steps and the stage', async () => {
    const t = pipelineYaml(`${STAGE}\nsteps:${steps}`);
    const v = await validateYaml(t);
    expect(codes(v.errors)).toEqual(['EXPR_STEP_NOT_UPSTREAM']);
    const d = at(v.errors, 'EXPR_STEP_NOT_UPSTREAM', t, 'Check.x');
    expect(d.message).toBe(
      'step "Side" reads the outputs of step "Check", which does not run before it (in stage "dev")',
    );
    expect(d.hint).toBe(
      'Add "Check" to the goes_after of "Side" (directly or through a step in between).',
    );
  });

  it('a later step and the step itself are not upstream', async () => {
    const t = pipelineYaml(`${STAGE}
steps:
  - name: First
    id: first
    type: RAMPART:SCRIPT:RUN
    params: { command: "echo \${{ steps.second.x }} \${{ steps.first.y }}" }
  - name: Second
    id: second
    type: RAMPART:SCRIPT:RUN
    params: { command: x }`);
    const v = await validateYaml(t);
    expect(v.errors.map((d) => d.message)).toEqual([
      'step "First" reads the outputs of step "Second", which does not run before it (in stage "dev")',
      'step "First" reads its own outputs (in stage "dev")',
    ]);
  });

  it('reading a step the stage skips: an error in that stage only', async () => {
    const t = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
  - name: prod
    account_id: "111111111111"
    region: us-east-1
    skip: [infra]
steps:${steps.replace('${{ steps.Check.x }}', 'ok')}`);
    const v = await validateYaml(t);
    expect(v.errors.map((d) => `${d.code}: ${d.message}`)).toEqual([
      'EXPR_STEP_NOT_UPSTREAM: step "Deploy" reads the outputs of step "Infra", which stage "prod" skips',
      'EXPR_STEP_NOT_UPSTREAM: step "Check" reads the outputs of step "Infra", which stage "prod" skips',
    ]);
    expect(v.errors[1]?.hint).toBe(
      'Remove "Infra" from the skip list of stage "prod", or skip "Check" too.',
    );
  });

  it('an unknown step, and an output a fixed-output type does not produce', async () => {
    const t = pipelineYaml(`${STAGE}
steps:
  - name: Deploy
    id: deploy
    type: RAMPART:ECS:DEPLOY
    params: { cluster_name: c, service_name: s, image_url: i }
  - name: Invoke
    id: invoke
    type: RAMPART:LAMBDA:INVOKE
    params: { function_name: f }
  - name: Check
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo \${{ steps.deploy.service_url }} \${{ steps.invoke.status_code }} \${{ steps.deplyo.x }}`);
    const v = await validateYaml(t);
    expect(codes(v.errors)).toEqual(['EXPR_UNKNOWN_OUTPUT', 'EXPR_UNKNOWN_STEP']);
    const output = at(v.errors, 'EXPR_UNKNOWN_OUTPUT', t, 'service_url');
    expect(output.message).toBe(
      'unknown output "service_url" in the outputs of step "Deploy"; did you mean "service_arn"?',
    );
    expect(output.hint).toContain('task_definition_arn, previous_task_definition_arn, service_arn');
    expect(at(v.errors, 'EXPR_UNKNOWN_STEP', t, 'deplyo').message).toContain(
      'unknown step "deplyo"',
    );
  });

  it('known step outputs and stage-time inputs replace the markers', async () => {
    const t = pipelineYaml(`${STAGE}\nsteps:${steps.replace('${{ steps.Check.x }}', 'ok')}`);
    const m = await modelOf(t);
    const r = resolved(m, 'dev', {
      stepOutputs: (s: { key: string }) =>
        s.key === 'infra' ? { cluster: 'main', anything: 7 } : undefined,
    });
    expect(r.steps[1]?.params.cluster_name).toBe('main');
    expect(r.steps[2]?.params.command).toBe('echo 7 [OUTPUT:deploy/service_arn]');
  });
});

describe('secrets and other objects', () => {
  it('secret() and stage_secret() become markers; secret values appear only when supplied', async () => {
    const t = scriptPipeline(
      'echo ${{ secret("API_KEY") }} ${{ stage_secret("DB_PASSWORD") }} ${{ organization.secrets["X"] }} ${{ stage.secrets.Y }}',
    );
    const m = await modelOf(t);
    const plain = resolved(m, 'dev');
    expect(plain.steps[0]?.params.command).toBe(
      'echo [SECRET:API_KEY] [STAGE_SECRET:DB_PASSWORD] [SECRET:X] [STAGE_SECRET:Y]',
    );
    expect(plain.steps[0]?.markers).toEqual([
      '[SECRET:API_KEY]',
      '[STAGE_SECRET:DB_PASSWORD]',
      '[SECRET:X]',
      '[STAGE_SECRET:Y]',
    ]);
    const withSecrets = resolved(m, 'dev', {
      secret: (scope: string, name: string) => `${scope}:${name}`,
    });
    expect(withSecrets.steps[0]?.params.command).toBe(
      'echo organization:API_KEY stage:DB_PASSWORD organization:X stage:Y',
    );
  });

  it('bad secret arguments and unknown functions', async () => {
    const t = scriptPipeline("\"${{ secret(42) }} ${{ secret('no spaces') }} ${{ secrte('A') }}\"");
    const v = await validateYaml(t);
    expect(codes(v.errors)).toEqual([
      'EXPR_BAD_ARGUMENTS',
      'EXPR_BAD_ARGUMENTS',
      'EXPR_UNKNOWN_FUNCTION',
    ]);
    expect(v.errors[1]?.message).toBe('"no spaces" is not a valid secret name');
    at(v.errors, 'EXPR_UNKNOWN_FUNCTION', t, 'secrte');
  });

  it('pipeline, organization and trigger values: known from inputs, else markers', async () => {
    const t = scriptPipeline(
      '"${{ pipeline.name }}/${{ pipeline.slug }}/${{ organization.slug }}/${{ trigger.sha }}"',
    );
    const m = await modelOf(t, { slug: 'shop' });
    expect(resolved(m, 'dev').steps[0]?.params.command).toBe(
      'shop/shop/[ORGANIZATION:slug]/[TRIGGER:sha]',
    );
    expect(
      resolved(m, 'dev', { organization: { slug: 'acme' }, trigger: { sha: 'abc123' } }).steps[0]
        ?.params.command,
    ).toBe('shop/shop/acme/abc123');
  });

  it('an unknown object and an unknown key: errors listing what exists', async () => {
    const t = scriptPipeline('"${{ stag.name }} ${{ stage.nmae }}"');
    const v = await validateYaml(t);
    expect(codes(v.errors)).toEqual(['EXPR_UNKNOWN_OBJECT', 'EXPR_UNKNOWN_KEY']);
    expect(at(v.errors, 'EXPR_UNKNOWN_OBJECT', t, 'stag.name').hint).toContain(
      'stage, pipeline, organization, trigger, vars, steps',
    );
    expect(at(v.errors, 'EXPR_UNKNOWN_KEY', t, 'nmae').message).toBe(
      'unknown key "nmae" in stage "dev"; did you mean "name"?',
    );
  });
});

describe('artifacts built once or per stage', () => {
  it('stage.* and vars.* in an artifact built once: EXPR_NOT_ALLOWED, with per_stage as the fix', async () => {
    const t = pipelineYaml(`${STAGE}
    vars: { api: x }
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
artifacts:
  Site:
    type: BUNDLE:BUILD
    params:
      build_commands: make \${{ stage.name }}
      file_path: site.zip
    envs:
      API: \${{ vars.api }}
      KEY: \${{ stage_secret("K") }}`);
    const v = await validateYaml(t);
    expect(codes(v.errors)).toEqual(['EXPR_NOT_ALLOWED', 'EXPR_NOT_ALLOWED', 'EXPR_NOT_ALLOWED']);
    const stage = at(v.errors, 'EXPR_NOT_ALLOWED', t, 'stage.name');
    expect(stage.message).toBe(
      'stage cannot be read in artifact "Site": it is built once for every stage',
    );
    expect(stage.hint).toContain('per_stage: true');
    expect(at(v.errors, 'EXPR_NOT_ALLOWED', t, 'vars.api').message).toContain(
      'vars cannot be read in artifact "Site"',
    );
    expect(at(v.errors, 'EXPR_NOT_ALLOWED', t, 'stage_secret').message).toContain(
      'stage_secret() cannot be used in artifact "Site"',
    );
  });

  it('with per_stage: true the same artifact resolves per stage', async () => {
    const t = pipelineYaml(`${STAGE}
    vars: { api: https://dev.example }
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
artifacts:
  Site:
    type: BUNDLE:BUILD
    per_stage: true
    params:
      build_commands: make \${{ stage.name }}
      file_path: site.zip
    envs:
      API: \${{ vars.api }}
      KEY: \${{ stage_secret("K") }}`);
    const m = await modelOf(t);
    const stage = m.stages[0];
    const artifact = m.artifacts[0];
    if (stage === undefined || artifact === undefined) throw new Error('model incomplete');
    const problems: Diagnostic[] = [];
    const r = resolveArtifact(m, artifact, stage, resolved(m, 'dev').vars, {}, (d) =>
      problems.push(d),
    );
    expect(problems).toEqual([]);
    expect(r.params).toEqual({ build_commands: 'make dev', file_path: 'site.zip' });
    expect(r.envs).toEqual({ API: 'https://dev.example', KEY: '[STAGE_SECRET:K]' });
  });

  it('an artifact cannot read artifacts', async () => {
    const t = pipelineYaml(`${STAGE}
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params: { command: x }
artifacts:
  Site:
    type: BUNDLE:BUILD
    per_stage: true
    params:
      build_commands: make \${{ stage.artifacts.other.s3_url }}
      file_path: site.zip
  Other:
    type: BUNDLE:BUILD
    params: { build_commands: make, file_path: other.zip }`);
    const v = await validateYaml(t);
    expect(codes(v.errors)).toEqual(['EXPR_NOT_ALLOWED']);
    at(v.errors, 'EXPR_NOT_ALLOWED', t, 'artifacts.other');
  });
});

describe('positions of errors inside expressions', () => {
  it('plain, double-quoted (with escapes), single-quoted, literal and folded block scalars, flow lists', async () => {
    const t = pipelineYaml(`${STAGE}
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo \${{ nope1 }}
      working_directory: "say \\"hi\\" \\t \${{ nope2 }}"
      env:
        SINGLE: 'it''s \${{ nope3 }}'
        LITERAL: |
          line one
            indented \${{ nope4 }}
        FOLDED: >-
          first
          \${{ stage.nope5 }}
        LIST: ["a", "b \${{ nope6 }}"]`);
    const v = await validateYaml(t);
    expect(v.errors).toHaveLength(6);
    for (const needle of ['nope1', 'nope2', 'nope3', 'nope4', 'nope6'])
      at(v.errors, 'EXPR_UNKNOWN_OBJECT', t, needle);
    at(v.errors, 'EXPR_UNKNOWN_KEY', t, 'nope5');
  });

  it('the second of two identical expressions on one line', async () => {
    const t = pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    vars: { a: 1 }
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params:
      command: "\${{ vars.a }} \\u0041 \${{ vars.b }}"`);
    const v = await validateYaml(t);
    expect(codes(v.errors)).toEqual(['EXPR_UNKNOWN_VAR']);
    at(v.errors, 'EXPR_UNKNOWN_VAR', t, 'b }}');
  });

  it('syntax errors, an unterminated ${{ and a 100 KB expression: one clear error each, at the expression', async () => {
    const long = 'a'.repeat(100_000);
    const t = pipelineYaml(`${STAGE}
steps:
  - name: Run
    type: RAMPART:SCRIPT:RUN
    params:
      command: echo \${{ stage.name }} \${{ stage..name }}
      working_directory: dir-\${{ stage.name
      env:
        LONG: x \${{ ${long} }}`);
    const v = await validateYaml(t);
    expect(codes(v.errors)).toEqual(['EXPR_SYNTAX', 'EXPR_UNTERMINATED', 'EXPR_TOO_LONG']);
    expect(v.errors[0]?.line).toBe(positionOf(t, 'stage..name').line);
    const unterminated = at(v.errors, 'EXPR_UNTERMINATED', t, '${{ stage.name\n');
    expect(unterminated.message).toContain('}}');
    const tooLong = at(v.errors, 'EXPR_TOO_LONG', t, `\${{ ${long.slice(0, 10)}`);
    expect(tooLong.message).toContain('the limit is 4096');
    expect(tooLong.message.length).toBeLessThan(200);
  });
});
