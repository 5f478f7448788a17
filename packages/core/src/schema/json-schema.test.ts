/**
 * The JSON Schema for editors, checked with Ajv's 2020-12 validator (compiled once). The bundled
 * examples are also checked in json-schema-examples.test.ts; here: its shape, every step type, the
 * older shapes, and what it must reject.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { STEP_TYPE_IDS } from '../step-types/index.js';
import { pipelineJsonSchema } from './json-schema.js';

type Schema = Record<string, unknown>;

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

function examplePipelines(): string[] {
  const examples = join(repoRoot, 'examples');
  const out: string[] = [];
  for (const name of readdirSync(examples)) {
    for (const folder of ['.rampart', '.devramps']) {
      const dir = join(examples, name, folder);
      if (!existsSync(dir)) continue;
      for (const slug of readdirSync(dir)) {
        const file = join(dir, slug, 'pipeline.yaml');
        if (existsSync(file)) out.push(file);
      }
    }
  }
  return out;
}

let validate: ValidateFunction;
beforeAll(() => {
  validate = new Ajv2020.default({ strict: false, allErrors: true }).compile(pipelineJsonSchema());
});

/** Ajv's complaints as `path: message`, or [] when the document validates. */
function check(data: unknown): string[] {
  validate(data);
  return (validate.errors ?? []).map(
    (e) =>
      `${e.instancePath || '/'}: ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` ${String(e.params.additionalProperty)}` : ''}`,
  );
}

describe('pipelineJsonSchema', () => {
  const schema = pipelineJsonSchema();

  it('is a JSON Schema 2020-12 document with an id and a title, serializable as JSON', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/^https:\/\/.+\.json$/);
    expect(schema.title).toBe('Rampart pipeline file');
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('returns a fresh object each call', () => {
    const a = pipelineJsonSchema();
    (a as { title: string }).title = 'changed';
    expect(pipelineJsonSchema().title).toBe('Rampart pipeline file');
  });

  it('attaches params for every step type, under both RAMPART: and DEVRAMPS: ids', () => {
    const pipeline = (schema.properties as Record<string, Schema>).pipeline as Schema;
    const steps = (pipeline.properties as Record<string, Schema>).steps as Schema;
    const allOf = (steps.items as Schema).allOf as Schema[];
    const ids = allOf.flatMap(
      (p) => ((p.if as Schema).properties as { type: { enum: string[] } }).type.enum,
    );
    for (const id of STEP_TYPE_IDS) {
      expect(ids).toContain(id);
      expect(ids).toContain(id.replace(/^RAMPART:/, 'DEVRAMPS:'));
    }
  });

  it('marks the older shapes deprecated', () => {
    const pipeline = (schema.properties as Record<string, Schema>).pipeline as Schema;
    const props = pipeline.properties as Record<string, Schema>;
    expect(props.defaults?.deprecated).toBe(true);
    const stage = (props.stages as Schema).items as Schema;
    const stageProps = stage.properties as Record<string, Schema>;
    expect(stageProps.deployment_target?.deprecated).toBe(true);
    expect(stageProps.infrastructure?.deprecated).toBe(true);
    expect(
      ((props.artifacts as Schema).anyOf as Schema[]).some(
        (s) => s.deprecated === true && s.type === 'array',
      ),
    ).toBe(true);
  });

  const examples = examplePipelines();

  it('finds the three bundled examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(examples.some((f) => f.includes('/.devramps/'))).toBe(true);
  });

  it.each(examples.map((f) => [f.slice(repoRoot.length)]))('accepts %s', (rel) => {
    const data: unknown = parse(readFileSync(join(repoRoot, rel), 'utf8'));
    expect(check(data)).toEqual([]);
  });

  it('rejects unknown keys on a stage, on a step and in step params, and a missing required key', () => {
    const data = {
      version: '1.0.0',
      pipeline: {
        cloud_provider: 'AWS',
        stages: [
          { name: 'dev', account_id: '111111111111', region: 'us-east-1', variables: { a: 1 } },
        ],
        steps: [
          { name: 'A', type: 'RAMPART:SCRIPT:RUN', goes_afer: [], params: { command: 'x' } },
          { name: 'B', type: 'DEVRAMPS:APPROVAL:BAKE', params: { duration_minute: 5 } },
        ],
      },
    };
    const problems = check(data);
    expect(problems).toContain('/pipeline/stages/0: must NOT have additional properties variables');
    expect(problems).toContain('/pipeline/steps/0: must NOT have additional properties goes_afer');
    expect(problems).toContain(
      "/pipeline/steps/1/params: must have required property 'duration_minutes'",
    );
    expect(problems).toContain(
      '/pipeline/steps/1/params: must NOT have additional properties duration_minute',
    );
  });

  it('accepts the older shapes an editor may still meet', () => {
    const data = {
      version: '1.0.0',
      pipeline: {
        cloud_provider: 'AWS',
        defaults: { steps: [{ name: 'A', type: 'RAMPART:SCRIPT:RUN', params: { command: 'x' } }] },
        stages: [
          {
            name: 'dev',
            deployment_target: { account_id: '111111111111', region: 'us-east-1' },
            infrastructure: { a: 1 },
          },
        ],
        artifacts: [{ name: 'Web', type: 'DOCKER:BUILD', params: { dockerfile: 'Dockerfile' } }],
      },
    };
    expect(check(data)).toEqual([]);
  });
});
