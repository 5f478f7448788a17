import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../discovery/node-file-system.js';
import {
  MINIMAL_PIPELINE,
  codes,
  codesAt,
  describeAll,
  makeTempRepo,
  pipelineYaml,
  removeTempRepos,
  validateYaml,
} from '../test-support/pipeline-fixtures.js';
import { validateRepository } from './validate-pipeline.js';

afterAll(removeTempRepos);

const examplesDir = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const examples = readdirSync(examplesDir).filter(
  (name) =>
    existsSync(join(examplesDir, name, '.rampart')) ||
    existsSync(join(examplesDir, name, '.devramps')),
);

describe('validateRepository: the bundled examples', () => {
  it('there are at least three, one in .devramps/', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(examples.some((name) => existsSync(join(examplesDir, name, '.devramps')))).toBe(true);
  });

  it.each(examples)('examples/%s is valid, without warnings', async (name) => {
    const v = await validateRepository(join(examplesDir, name), nodeFileSystem);
    const all = v.pipelines.flatMap((p) => [...p.errors, ...p.warnings]);
    expect(all, describeAll(all)).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.pipelines.every((p) => p.model !== undefined)).toBe(true);
  });
});

describe('validateRepository: results', () => {
  it('valid with warnings only; the model is present', async () => {
    const v = await validateYaml(MINIMAL_PIPELINE.replace('"111111111111"', '111111111111'));
    expect(v.errors).toEqual([]);
    expect(codes(v.warnings)).toEqual(['ACCOUNT_ID_UNQUOTED']);
    expect(v.model).toBeDefined();
  });

  it('invalid: no model; errors sorted by line and column whatever the check that found them', async () => {
    const v = await validateYaml(
      pipelineYaml(`
stages:
  - name: dev
    account_id: "111111111111"
    region: us-east-1
    skip: [Nope]
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    params:
      command: \${{ nope }}
  - name: B
    type: RAMPART:SCRIPT:RUNN
    params: { command: x }`),
    );
    expect(v.model).toBeUndefined();
    expect(codesAt(v.errors)).toEqual([
      'STEP_REFERENCE_UNKNOWN@8:14',
      'EXPR_UNKNOWN_OBJECT@13:22',
      'STEP_TYPE_UNKNOWN@15:13',
    ]);
    expect(
      v.errors.every(
        (d) => d.severity === 'error' && d.file.endsWith('.rampart/app/pipeline.yaml'),
      ),
    ).toBe(true);
  });

  it('an expression error at one place is reported once, however many stages hit it', async () => {
    const v = await validateYaml(
      pipelineYaml(`
stages:
  - name: a
    account_id: "111111111111"
    region: us-east-1
  - name: b
    account_id: "111111111111"
    region: us-east-1
steps:
  - name: A
    type: RAMPART:SCRIPT:RUN
    params:
      command: \${{ stage.nope }} \${{ nope }}`),
    );
    // One error per place: stage.nope names a stage, and says how many more stages hit it.
    expect(v.errors.map((d) => d.code)).toEqual(['EXPR_UNKNOWN_KEY', 'EXPR_UNKNOWN_OBJECT']);
    expect(v.errors[0]?.message).toContain('(and in 1 more stage)');
    expect(v.errors[1]?.message).not.toContain('more stage');
  });

  it('one bad pipeline does not hide the others', async () => {
    const root = makeTempRepo({
      '.rampart/good/pipeline.yaml': MINIMAL_PIPELINE,
      '.rampart/bad/pipeline.yaml': 'version: [\n',
    });
    const v = await validateRepository(root, nodeFileSystem);
    expect(v.valid).toBe(false);
    expect(v.pipelines.map((p) => [p.source.slug, p.errors.length > 0])).toEqual([
      ['bad', true],
      ['good', false],
    ]);
  });
});

describe('validateRepository: bad input is a clear diagnostic, never a throw', () => {
  const enc = new TextEncoder();
  const cases: [string, string, string | Uint8Array, number, number][] = [
    ['malformed YAML', 'YAML_SYNTAX', 'version: "1.0.0\npipeline:\n', 3, 1],
    [
      'tab indentation',
      'YAML_TAB_INDENT',
      'version: "1.0.0"\npipeline:\n\tcloud_provider: AWS\n',
      3,
      1,
    ],
    ['a duplicate key', 'YAML_DUPLICATE_KEY', MINIMAL_PIPELINE + 'version: "1.0.0"\n', 13, 1],
    [
      'non-UTF-8 bytes',
      'FILE_NOT_UTF8',
      new Uint8Array([...enc.encode('version: "1.0.0"\n# caf'), 0xe9, 0x0a]),
      2,
      6,
    ],
    ['an empty file', 'FILE_EMPTY', '', 1, 1],
    ['a comments-only file', 'FILE_EMPTY', '# nothing yet\n', 1, 1],
    ['a top-level list', 'YAML_NOT_A_MAPPING', '- a\n- b\n', 1, 1],
    [
      'two documents',
      'YAML_MULTIPLE_DOCUMENTS',
      MINIMAL_PIPELINE + '---\n' + MINIMAL_PIPELINE,
      13,
      1,
    ],
    [
      '100 levels of nesting',
      'YAML_TOO_DEEP',
      `version: ${'['.repeat(100)}${']'.repeat(100)}\n`,
      1,
      74,
    ],
  ];

  it.each(cases)('%s: %s', async (_, code, text, line, column) => {
    const v = await validateYaml(text);
    expect(codesAt(v.errors)[0]).toBe(`${code}@${line}:${column}`);
    expect(new Set(codes(v.errors))).toEqual(new Set([code]));
    expect(v.errors[0]?.hint, 'every error has a hint').toBeTruthy();
    expect(v.model).toBeUndefined();
  });

  it('a 17 MB file: FILE_TOO_LARGE at 1:1, read no further than the limit', async () => {
    const v = await validateYaml(new Uint8Array(17 * 1024 * 1024).fill(0x61));
    expect(codesAt(v.errors)).toEqual(['FILE_TOO_LARGE@1:1']);
    expect(v.errors[0]?.message).toContain('limited to 1.0 MiB');
  });

  it('a 17 MB file: the message gives its real size', async () => {
    const v = await validateYaml(new Uint8Array(17 * 1024 * 1024).fill(0x61));
    expect(v.errors[0]?.message).toContain('17.0 MiB');
  });
});
