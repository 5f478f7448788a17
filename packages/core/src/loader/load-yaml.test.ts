import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Alias } from 'yaml';
import { codes, codesAt, positionOf } from '../test-support/pipeline-fixtures.js';
import { loadYaml, type LoadedYaml } from './load-yaml.js';
import { MAX_EXPANDED_NODES, MAX_NESTING_DEPTH } from './limits.js';

const F = 'pipeline.yaml';

describe('loadYaml: data', () => {
  it('returns plain data with no diagnostics for valid YAML', () => {
    const r = loadYaml('version: "1.0.0"\npipeline:\n  stages:\n    - name: dev\n      n: 3\n', F);
    expect(r.diagnostics).toEqual([]);
    expect(r.data).toEqual({ version: '1.0.0', pipeline: { stages: [{ name: 'dev', n: 3 }] } });
  });

  it('reads YAML 1.2: `on`, `yes` and dates stay strings, hex is a number', () => {
    const r = loadYaml('on: yes\nd: 2024-01-01\nh: 0x1F\n', F);
    expect(r.data).toEqual({ on: 'yes', d: '2024-01-01', h: 31 });
  });

  it('gives null for an empty file and a comments-only file, without diagnostics', () => {
    expect(loadYaml('', F)).toMatchObject({ data: null, diagnostics: [] });
    expect(loadYaml('# a comment\n# another\n', F)).toMatchObject({ data: null, diagnostics: [] });
  });

  it('expands a plain alias to a copy of its anchor', () => {
    expect(loadYaml('a: &x {b: 1}\nc: *x\n', F).data).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });

  it('keeps `__proto__` and `constructor` as ordinary keys and never touches a prototype', () => {
    const r = loadYaml(
      '__proto__: { polluted: true }\nconstructor: { prototype: { polluted: true } }\nlist:\n  - __proto__: { polluted: true }\n',
      F,
    );
    expect(r.diagnostics).toEqual([]);
    const data = r.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['__proto__', 'constructor', 'list']);
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loadYaml: bad YAML becomes diagnostics', () => {
  it('malformed YAML: YAML_SYNTAX with a position and a hint, no data', () => {
    const r = loadYaml('version: "1.0.0\npipeline: [\n', F);
    expect(r.data).toBeUndefined();
    expect(codes(r.diagnostics)).toContain('YAML_SYNTAX');
    const d = r.diagnostics[0];
    expect(d).toMatchObject({ severity: 'error', file: F, line: 3, column: 1 });
    expect(d?.message).toContain('quote');
    expect(d?.hint).toBeDefined();
  });

  it('a tab used for indentation: YAML_TAB_INDENT at the tab', () => {
    const r = loadYaml('version: "1.0.0"\npipeline:\n\tcloud_provider: AWS\n', F);
    expect(codesAt(r.diagnostics)).toEqual(['YAML_TAB_INDENT@3:1']);
    expect(r.diagnostics[0]?.hint).toBe('Indent with spaces only.');
  });

  it('a duplicate key: YAML_DUPLICATE_KEY at the second key', () => {
    const text = 'pipeline:\n  tracks: main\n  stages: []\n  tracks: dev\n';
    const r = loadYaml(text, F);
    expect(codesAt(r.diagnostics)).toEqual(['YAML_DUPLICATE_KEY@4:3']);
    expect(r.data).toBeUndefined();
  });

  it('several documents: YAML_MULTIPLE_DOCUMENTS at the second document', () => {
    const r = loadYaml('a: 1\n---\nb: 2\n', F);
    expect(codesAt(r.diagnostics)).toEqual(['YAML_MULTIPLE_DOCUMENTS@2:1']);
    expect(r.diagnostics[0]?.hint).toContain('---');
  });

  it('an unknown alias: YAML_SYNTAX naming it', () => {
    const r = loadYaml('a: 1\nb: *nope\n', F);
    expect(r.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual([
      'YAML_SYNTAX@2:4',
    ]);
  });

  it('a merge key `<<`: YAML_SYNTAX, since merges hide where values come from', () => {
    const r = loadYaml('a: &x {b: 1}\nc:\n  <<: *x\n', F);
    expect(codesAt(r.diagnostics)).toEqual(['YAML_SYNTAX@3:3']);
    expect(r.diagnostics[0]?.message).toContain('merge keys');
  });

  it('a key that is not a scalar: YAML_SYNTAX', () => {
    const r = loadYaml('? [a, b]\n: 1\n', F);
    expect(codes(r.diagnostics)).toEqual(['YAML_SYNTAX']);
    expect(r.diagnostics[0]?.message).toContain('plain string');
  });

  it(`nesting deeper than ${MAX_NESTING_DEPTH} levels: YAML_TOO_DEEP at the first level too deep`, () => {
    const r = loadYaml('['.repeat(100) + ']'.repeat(100), F);
    expect(codesAt(r.diagnostics)).toEqual([`YAML_TOO_DEEP@1:${MAX_NESTING_DEPTH + 1}`]);
    expect(r.diagnostics[0]?.message).toContain('64 levels');
    expect(r.data).toBeUndefined();
  });

  it('nested block maps deeper than the limit: YAML_TOO_DEEP at the first map too deep', () => {
    let text = '';
    for (let i = 0; i < 80; i++) text += `${' '.repeat(i)}k:\n`;
    const r = loadYaml(text, F);
    // The map on line n is the n-th level; level 65 is the first refused.
    expect(codesAt(r.diagnostics)).toEqual(['YAML_TOO_DEEP@65:65']);
  });

  it('exactly the limit is accepted, one more level is not', () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(loadYaml(nest(MAX_NESTING_DEPTH), F).diagnostics).toEqual([]);
    expect(codes(loadYaml(nest(MAX_NESTING_DEPTH + 1), F).diagnostics)).toEqual(['YAML_TOO_DEEP']);
  });

  it('brackets inside quotes, comments and block scalars do not count as nesting', () => {
    const many = '['.repeat(200);
    const text = `a: "${many}"\nb: '${many}'\n# ${many}\nc: |\n  ${'[[ -f x ]] && '.repeat(50)}\n`;
    const r = loadYaml(text, F);
    expect(r.diagnostics).toEqual([]);
  });
});

describe('loadYaml: hostile input', () => {
  // Parsed once: each takes a noticeable moment, and several tests look at the results.
  const results: Record<string, LoadedYaml> = {};
  beforeAll(() => {
    // 7 aliases per level, 6 levels: 7^6 = 117,649 values once expanded, from a 300-byte file.
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const lines = [`a: &a [${Array(7).fill('"x"').join(',')}]`];
    for (let i = 1; i < names.length; i++) {
      lines.push(
        `${names[i]}: &${names[i]} [${Array(7)
          .fill(`*${names[i - 1]}`)
          .join(',')}]`,
      );
    }
    results.bomb = loadYaml(lines.join('\n') + '\n', F);
    results.flowSeq = loadYaml('['.repeat(20_000) + ']'.repeat(20_000), F);
    results.flowMap = loadYaml('{a: '.repeat(20_000) + '1' + '}'.repeat(20_000), F);
    results.compactSeq = loadYaml('- '.repeat(20_000) + 'x\n', F);
    results.afterApostrophe = loadYaml(
      `note: a plain value ' with an apostrophe\nlist: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
      F,
    );
  });

  it(`an alias bomb stops at ${MAX_EXPANDED_NODES} values with YAML_ALIAS_LIMIT`, () => {
    const r = results.bomb;
    expect(r?.data).toBeUndefined();
    expect(codes(r?.diagnostics ?? [])).toEqual(['YAML_ALIAS_LIMIT']);
    expect(r?.diagnostics[0]).toMatchObject({ severity: 'error', file: F });
    expect(r?.diagnostics[0]?.message).toContain('alias');
  });

  it('20,000-deep flow lists and flow maps give one error and no data, without throwing', () => {
    for (const r of [results.flowSeq, results.flowMap]) {
      expect(r?.data).toBeUndefined();
      expect(r?.diagnostics).toHaveLength(1);
      expect(r?.diagnostics[0]).toMatchObject({ severity: 'error', file: F, line: 1 });
    }
  });

  it('20,000-deep `[[[…]]]` is YAML_TOO_DEEP, not a parser stack overflow', () => {
    expect(codesAt(results.flowSeq?.diagnostics ?? [])).toEqual([
      `YAML_TOO_DEEP@1:${MAX_NESTING_DEPTH + 1}`,
    ]);
    expect(results.flowSeq?.diagnostics[0]?.message).not.toContain('call stack');
  });

  it('20,000-deep nested maps `{a: {a: …}}` are YAML_TOO_DEEP', () => {
    expect(codes(results.flowMap?.diagnostics ?? [])).toEqual(['YAML_TOO_DEEP']);
  });

  it('20,000-deep compact block lists `- - - …` are YAML_TOO_DEEP', () => {
    expect(codes(results.compactSeq?.diagnostics ?? [])).toEqual(['YAML_TOO_DEEP']);
  });

  it('looks up each alias of the file once, not once per expansion', () => {
    const lines = [
      `a: &a [${Array(7).fill('"x"').join(',')}]`,
      `b: &b [${Array(7).fill('*a').join(',')}]`,
      `c: &c [${Array(7).fill('*b').join(',')}]`,
      `d: [${Array(7).fill('*c').join(',')}]`,
    ];
    const spy = vi.spyOn(Alias.prototype, 'resolve');
    try {
      const r = loadYaml(lines.join('\n'), F);
      expect(r.diagnostics).toEqual([]);
      expect(spy.mock.calls.length).toBeLessThanOrEqual(21);
    } finally {
      spy.mockRestore();
    }
  });

  it('an apostrophe in a plain scalar does not hide deep nesting after it', () => {
    expect(codes(results.afterApostrophe?.diagnostics ?? [])).toEqual(['YAML_TOO_DEEP']);
  });
});

describe('loadYaml: PositionIndex', () => {
  const text = [
    'pipeline:', //                                      1
    '  stages:', //                                       2
    '    - name: dev', //                                 3
    '      account_id: 012345678901', //                  4
    '  steps:', //                                        5
    '    - name: "Say hi"', //                            6
    '      params:', //                                   7
    '        command: "echo \\"x\\" ${{ nope }}"', //     8
    '        script: |', //                               9
    '          line one', //                              10
    '          run ${{ nope }}', //                       11
    '        plain: echo ${{ nope }}', //                 12
    '',
  ].join('\n');
  const { positions, data } = loadYaml(text, F);

  it('locates values and keys, 1-based', () => {
    expect(positions.locate(['pipeline', 'stages', 0, 'name'])).toEqual({
      file: F,
      line: 3,
      column: 13,
    });
    expect(positions.locateKey(['pipeline', 'stages', 0, 'account_id'])).toEqual({
      file: F,
      line: 4,
      column: 7,
    });
    expect(positions.locate(['pipeline', 'stages', 0, 'account_id'])).toEqual({
      file: F,
      line: 4,
      column: 19,
    });
  });

  it('falls back to the nearest ancestor for a path not in the file', () => {
    expect(positions.locate(['pipeline', 'stages', 0, 'region'])).toEqual(
      positions.locate(['pipeline', 'stages', 0]),
    );
    expect(positions.has(['pipeline', 'stages', 0, 'region'])).toBe(false);
    expect(positions.has(['pipeline', 'stages', 0, 'name'])).toBe(true);
  });

  it('keeps the source text of a scalar, so a lost leading zero can be named', () => {
    expect(positions.raw(['pipeline', 'stages', 0, 'account_id'])).toBe('012345678901');
  });

  it('locates a character inside plain, quoted-with-escapes and block strings', () => {
    const get = (k: string) =>
      (data as { pipeline: { steps: { params: Record<string, string> }[] } }).pipeline.steps[0]
        ?.params[k] ?? '';
    for (const [key, nth] of [
      ['command', 1],
      ['script', 2],
      ['plain', 3],
    ] as const) {
      const value = get(key);
      const offset = value.indexOf('nope');
      expect(
        positions.locateInString(['pipeline', 'steps', 0, 'params', key], value, offset),
      ).toEqual({
        file: F,
        ...positionOf(text, 'nope', nth),
      });
    }
  });

  it('alias() makes positions of a rewritten path answer for the new one', () => {
    const r = loadYaml('p:\n  old:\n    k: v\n', F);
    r.positions.alias(['p', 'old'], ['p', 'new']);
    expect(r.positions.locate(['p', 'new', 'k'])).toEqual({ file: F, line: 3, column: 8 });
    expect(r.positions.locateKey(['p', 'new'])).toEqual({ file: F, line: 2, column: 3 });
  });
});
