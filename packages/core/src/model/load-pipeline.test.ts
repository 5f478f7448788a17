import { describe, expect, it } from 'vitest';
import { MINIMAL_PIPELINE, codesAt, pipelineYaml } from '../test-support/pipeline-fixtures.js';
import { parsePipelineText } from './load-pipeline.js';

const F = 'pipeline.yaml';

describe('parsePipelineText', () => {
  it('returns the checked definition and positions for a valid file', () => {
    const r = parsePipelineText(MINIMAL_PIPELINE, F);
    expect(r.diagnostics).toEqual([]);
    expect(r.definition?.pipeline.stages.map((s) => s.name)).toEqual(['dev']);
    expect(r.positions.locate(['pipeline', 'stages', 0, 'name'])).toEqual({
      file: F,
      line: 5,
      column: 13,
    });
  });

  it.each([
    ['an empty file', ''],
    ['only whitespace', '\n\n   \n'],
    ['only comments', '# a pipeline\n# comes here\n'],
    ['an empty document marker', '---\n'],
  ])('%s: FILE_EMPTY at 1:1 with a fix', (_, text) => {
    const r = parsePipelineText(text, F);
    expect(r.definition).toBeUndefined();
    expect(codesAt(r.diagnostics)).toEqual(['FILE_EMPTY@1:1']);
    expect(r.diagnostics[0]?.message).toBe(`${F} is empty`);
    expect(r.diagnostics[0]?.hint).toContain('rampart init');
  });

  it('a top-level list: YAML_NOT_A_MAPPING', () => {
    const r = parsePipelineText('- version: "1.0.0"\n- pipeline: {}\n', F);
    expect(codesAt(r.diagnostics)).toEqual(['YAML_NOT_A_MAPPING@1:1']);
    expect(r.diagnostics[0]?.message).toBe(`the top level of ${F} must be a map, not a list`);
  });

  it('a top-level scalar: YAML_NOT_A_MAPPING', () => {
    const r = parsePipelineText('just some text\n', F);
    expect(codesAt(r.diagnostics)).toEqual(['YAML_NOT_A_MAPPING@1:1']);
    expect(r.diagnostics[0]?.message).toContain('not a single value');
  });

  it('YAML problems stop before the schema: no schema errors on top of them', () => {
    const r = parsePipelineText('version: "1.0.0"\nversion: "1.0.0"\n', F);
    expect(codesAt(r.diagnostics)).toEqual(['YAML_DUPLICATE_KEY@2:1']);
    expect(r.definition).toBeUndefined();
  });

  it('with only unknown keys wrong, the definition is still returned (without them) for further checks', () => {
    const r = parsePipelineText(
      pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    colour: blue
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    params: { command: x }`),
      F,
    );
    expect(codesAt(r.diagnostics)).toEqual(['SCHEMA_UNKNOWN_KEY@8:7']);
    expect(r.definition?.pipeline.stages[0]).toEqual({
      name: 'dev',
      account_id: '111111111111',
      region: 'us-east-1',
    });
  });

  it('with other schema errors, no definition', () => {
    const r = parsePipelineText(
      MINIMAL_PIPELINE.replace('region: us-east-1', 'region: [us-east-1]'),
      F,
    );
    expect(codesAt(r.diagnostics)).toEqual(['SCHEMA_INVALID_TYPE@7:15']);
    expect(r.definition).toBeUndefined();
  });
});
