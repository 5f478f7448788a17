import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { pipelineJsonSchema } from './json-schema.js';

const examples = resolve(import.meta.dirname, '../../../../examples');
const files = [
  join(examples, 'minimal/.rampart/hello/pipeline.yaml'),
  join(examples, 'multi-account/.rampart/web/pipeline.yaml'),
  join(examples, 'devramps-compat/.devramps/storefront/pipeline.yaml'),
];

function validator() {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  return ajv.compile(pipelineJsonSchema());
}

describe('the JSON Schema for editors', () => {
  it.each(files)('accepts the bundled example %s', (file) => {
    const validate = validator();
    const ok = validate(parse(readFileSync(file, 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects an unknown key, a wrong param type and an unquoted account id', () => {
    const validate = validator();
    const base = parse(readFileSync(files[0] ?? '', 'utf8')) as {
      pipeline: { stages: Record<string, unknown>[]; steps: Record<string, unknown>[] };
    };
    const withUnknownKey = structuredClone(base);
    (withUnknownKey.pipeline.stages[0] ?? {}).variables = { a: 1 };
    expect(validate(withUnknownKey)).toBe(false);
    const badParam = structuredClone(base);
    badParam.pipeline.steps[0] = {
      name: 'Bake',
      type: 'RAMPART:APPROVAL:BAKE',
      params: { duration_minutes: 'soon' },
    };
    expect(validate(badParam)).toBe(false);
    const sameWithDevramps = structuredClone(badParam);
    (sameWithDevramps.pipeline.steps[0] ?? {}).type = 'DEVRAMPS:APPROVAL:BAKE';
    expect(validate(sameWithDevramps)).toBe(false);
    const unquoted = structuredClone(base);
    (unquoted.pipeline.stages[0] ?? {}).account_id = 12345678901;
    expect(validate(unquoted)).toBe(false);
  });

  it('accepts an expression where a number is expected, and the older shapes', () => {
    const validate = validator();
    const doc = {
      version: '1.0.0',
      pipeline: {
        cloud_provider: 'AWS',
        stages: [
          { name: 'dev', deployment_target: { account_id: '123456789012', region: 'us-east-1' } },
        ],
        defaults: {
          steps: [
            {
              name: 'Bake',
              type: 'RAMPART:APPROVAL:BAKE',
              params: { duration_minutes: '${{ vars.bake }}' },
            },
          ],
        },
        artifacts: [{ name: 'Api', type: 'DOCKER:BUILD', params: { dockerfile: 'Dockerfile' } }],
      },
    };
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});
