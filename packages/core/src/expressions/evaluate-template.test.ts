import { describe, expect, it } from 'vitest';
import { ContextNode, type ContextRecord, type ContextValue } from './context-node.js';
import { Deferred } from './deferred.js';
import type { ExpressionContext, ExpressionFunction } from './expression-context.js';
import { ExpressionFailure } from './expression-diagnostic.js';
import { evaluateTemplate } from './evaluate-template.js';
import { parseTemplate } from './parse-template.js';

const loop: Record<string, ContextValue> = { name: 'loop' };
loop.self = loop;

const artifacts = new ContextNode({
  description: 'the artifacts of pipeline "web"',
  keyNoun: 'artifact',
  unknownKeyCode: 'EXPR_UNKNOWN_ARTIFACT',
  entries: new Map<string, ContextValue>([
    ['Web', { image_url: 'repo/web:1', image_tag: '1' }],
    ['api', { s3_url: 's3://b/k' }],
  ]),
});

const stage = new ContextNode({
  description: 'stage',
  entries: new Map<string, ContextValue>([
    ['name', 'prod'],
    ['account_id', '012345678901'],
    ['region', 'us-east-1'],
    ['artifacts', artifacts],
    [
      'secrets',
      new ContextNode({
        description: 'the secrets of stage "prod"',
        entries: (key) => new Deferred(`[STAGE_SECRET:${key}]`),
      }),
    ],
  ]),
});

const vars = new ContextNode({
  description: 'the vars of stage "prod"',
  keyNoun: 'var',
  unknownKeyCode: 'EXPR_UNKNOWN_VAR',
  entries: new Map<string, ContextValue>([
    ['replicas', 3],
    ['ratio', 0.5],
    ['debug', true],
    ['empty', null],
    ['name', 'Web'],
    ['key', 'region'],
    ['idx', 1],
    ['neg', -1],
    ['names', ['a', 'b', 'c']],
    ['order', [2, 0]],
    ['obj', { a: 1, b: [1, 2], c: { d: 'e' } }],
    ['by_number', { '0': 'zero' }],
    ['with_secret', { token: new Deferred('[SECRET:T]'), n: 1 }],
    ['loop', loop],
  ]),
});

const outputs = (step: string): ContextNode =>
  new ContextNode({
    description: `the outputs of step "${step}"`,
    keyNoun: 'output',
    unknownKeyCode: 'EXPR_UNKNOWN_OUTPUT',
    entries: (key) =>
      key === 'vpc_id' || key === 'subnets' ? new Deferred(`[OUTPUT:${step}/${key}]`) : undefined,
    knownKeys: () => ['vpc_id', 'subnets'],
  });

const steps = new ContextNode({
  description: 'steps',
  keyNoun: 'step',
  unknownKeyCode: 'EXPR_UNKNOWN_STEP',
  entries: (key) => (key === 'infra' || key === 'later' ? outputs(key) : undefined),
  knownKeys: () => ['infra', 'later'],
  onAccess: (key) =>
    key === 'later'
      ? new ExpressionFailure(
          'EXPR_STEP_NOT_UPSTREAM',
          `step "later" does not run before this step`,
          {
            hint: 'Add "later" to goes_after.',
          },
        )
      : undefined,
});

const many = new ContextNode({
  description: 'many',
  entries: new Map(Array.from({ length: 15 }, (_, i) => [`key${String(i)}`, i])),
});

const pipeline: ContextRecord = { name: 'Web', slug: 'web' };

const secret: ExpressionFunction = {
  arity: 1,
  call: ([name]) =>
    typeof name === 'string'
      ? new Deferred(`[SECRET:${name}]`)
      : new ExpressionFailure('EXPR_BAD_ARGUMENTS', 'secret() takes a string', { argument: 0 }),
};

const ctx: ExpressionContext = {
  root: new ContextNode({
    description: 'expressions',
    entries: new Map<string, ContextValue>([
      ['stage', stage],
      ['vars', vars],
      ['steps', steps],
      ['pipeline', pipeline],
      ['many', many],
      ['empty_node', new ContextNode({ description: 'nothing', entries: new Map() })],
    ]),
  }),
  functions: new Map<string, ExpressionFunction>([
    ['secret', secret],
    ['upper', { arity: 1, call: ([s]) => (typeof s === 'string' ? s.toUpperCase() : null) }],
    ['pair', { arity: 2, call: ([a, b]) => [a ?? null, b ?? null] }],
    ['fail', { arity: 0, call: () => new ExpressionFailure('EXPR_NOT_ALLOWED', 'not here') }],
  ]),
};

const evaluate = (text: string): ReturnType<typeof evaluateTemplate> =>
  evaluateTemplate(parseTemplate(text), ctx);

/** Evaluates a template that must succeed. */
function value(text: string): unknown {
  const result = evaluate(text);
  expect(result.errors).toEqual([]);
  return result.value;
}

/** Evaluates a template that must fail with exactly one error. */
function error(text: string): { code: string; message: string; offset: number; hint?: string } {
  const result = evaluate(text);
  expect(result.errors).toHaveLength(1);
  expect(result.value).toBeUndefined();
  return result.errors[0] as { code: string; message: string; offset: number; hint?: string };
}

describe('evaluateTemplate: types', () => {
  it('keeps the type of a value that is exactly one expression', () => {
    expect(value('${{ vars.replicas }}')).toBe(3);
    expect(value('${{ vars.ratio }}')).toBe(0.5);
    expect(value('${{ vars.debug }}')).toBe(true);
    expect(value('${{ vars.empty }}')).toBeNull();
    expect(value('${{ stage.name }}')).toBe('prod');
    expect(value('${{ 12 }}')).toBe(12);
    expect(value('${{ false }}')).toBe(false);
    expect(value("${{ 'text' }}")).toBe('text');
  });

  it('copies objects and lists into plain data', () => {
    const obj = value('${{ vars.obj }}');
    expect(obj).toEqual({ a: 1, b: [1, 2], c: { d: 'e' } });
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
    expect(value('${{ vars.names }}')).toEqual(['a', 'b', 'c']);
    expect(value('${{ pair(1, "x") }}')).toEqual([1, 'x']);
  });

  it('treats spaces around a lone expression as text', () => {
    expect(value(' ${{ vars.replicas }}')).toBe(' 3');
    expect(value('${{ vars.debug }}\n')).toBe('true\n');
  });

  it('joins text and several expressions into a string', () => {
    expect(value('MyRole-${{ stage.name }}-${{ stage.region }}')).toBe('MyRole-prod-us-east-1');
    expect(value('${{ vars.replicas }}${{ vars.ratio }}')).toBe('30.5');
    expect(value('n=${{ vars.replicas }} d=${{ vars.debug }} e=[${{ vars.empty }}]')).toBe(
      'n=3 d=true e=[]',
    );
  });

  it('returns text without expressions as it is, with escapes resolved', () => {
    expect(value('plain')).toBe('plain');
    expect(value('')).toBe('');
    expect(value('echo $${{ stage.name }} ${{ stage.name }}')).toBe('echo ${{ stage.name }} prod');
  });

  it('keeps unicode text around expressions', () => {
    expect(value('déploiement → ${{ stage.name }} 🚀')).toBe('déploiement → prod 🚀');
  });
});

describe('evaluateTemplate: access', () => {
  it('treats dot and bracket access alike', () => {
    expect(value('${{ stage.artifacts["Web"].image_url }}')).toBe('repo/web:1');
    expect(value('${{ stage.artifacts.Web.image_url }}')).toBe('repo/web:1');
    expect(value("${{ stage['artifacts']['Web']['image_tag'] }}")).toBe('1');
    expect(value('${{ pipeline["slug"] }}')).toBe('web');
  });

  it('indexes lists by number and objects by a number turned into a key', () => {
    expect(value('${{ vars.names[0] }}')).toBe('a');
    expect(value('${{ vars.obj.b[1] }}')).toBe(2);
    expect(value('${{ vars.by_number[0] }}')).toBe('zero');
  });

  it('uses the value of an expression as a key', () => {
    expect(value('${{ stage[vars.key] }}')).toBe('us-east-1');
    expect(value('${{ vars.names[vars.idx] }}')).toBe('b');
    expect(value('${{ vars.names[vars.order[vars.idx]] }}')).toBe('a');
    expect(value('${{ stage.artifacts[vars.name].image_tag }}')).toBe('1');
  });

  it('reads keys of call results', () => {
    expect(value('${{ pair("x", "y")[1] }}')).toBe('y');
    expect(value('${{ upper(stage.name) }}')).toBe('PROD');
  });
});

describe('evaluateTemplate: Deferred values', () => {
  it('gives the marker for a lone Deferred and lists it', () => {
    expect(evaluate('${{ secret("DB") }}')).toEqual({
      value: '[SECRET:DB]',
      markers: ['[SECRET:DB]'],
      errors: [],
    });
    expect(evaluate('${{ steps.infra.vpc_id }}')).toEqual({
      value: '[OUTPUT:infra/vpc_id]',
      markers: ['[OUTPUT:infra/vpc_id]'],
      errors: [],
    });
  });

  it('inserts markers into text and lists each marker once, in order', () => {
    expect(evaluate('${{ stage.secrets.A }}:${{ secret("B") }}:${{ stage.secrets["A"] }}')).toEqual(
      {
        value: '[STAGE_SECRET:A]:[SECRET:B]:[STAGE_SECRET:A]',
        markers: ['[STAGE_SECRET:A]', '[SECRET:B]'],
        errors: [],
      },
    );
  });

  it('keeps the same Deferred when reading keys of it', () => {
    expect(value('${{ secret("X").a["b"][0] }}')).toBe('[SECRET:X]');
    expect(value('${{ steps.infra.subnets[0] }}')).toBe('[OUTPUT:infra/subnets]');
  });

  it('gives the Deferred of a key that is not known yet', () => {
    expect(evaluate('${{ vars.obj[secret("K")] }}')).toMatchObject({
      value: '[SECRET:K]',
      markers: ['[SECRET:K]'],
    });
  });

  it('turns Deferreds nested in data into markers', () => {
    expect(evaluate('${{ vars.with_secret }}')).toEqual({
      value: { token: '[SECRET:T]', n: 1 },
      markers: ['[SECRET:T]'],
      errors: [],
    });
  });

  it('passes Deferreds to functions', () => {
    expect(value('${{ pair(secret("A"), 1) }}')).toEqual(['[SECRET:A]', 1]);
  });
});

describe('evaluateTemplate: unknown names', () => {
  it('reports an unknown object at its name with a suggestion and the known objects', () => {
    expect(error('x ${{ stag.name }}')).toEqual({
      code: 'EXPR_UNKNOWN_OBJECT',
      message: 'unknown object "stag"; did you mean "stage"?',
      offset: 6,
      hint: 'Known objects: stage, vars, steps, pipeline, many, empty_node.',
    });
  });

  it('reports an unknown key at the key, not at the expression start', () => {
    expect(error('${{ stage.nmae }}')).toEqual({
      code: 'EXPR_UNKNOWN_KEY',
      message: 'unknown key "nmae" in stage; did you mean "name"?',
      offset: 10,
      hint: 'Known keys in stage: name, account_id, region, artifacts, secrets.',
    });
  });

  it('uses the code and noun of the node', () => {
    expect(error('${{ stage.artifacts["web"].image_url }}')).toMatchObject({
      code: 'EXPR_UNKNOWN_ARTIFACT',
      message: 'unknown artifact "web" in the artifacts of pipeline "web"; did you mean "Web"?',
      offset: 20,
      hint: 'Known artifacts in the artifacts of pipeline "web": Web, api.',
    });
    expect(error('${{ vars.replica }}')).toMatchObject({
      code: 'EXPR_UNKNOWN_VAR',
      message: 'unknown var "replica" in the vars of stage "prod"; did you mean "replicas"?',
      offset: 9,
    });
    expect(error('${{ steps.infr.vpc_id }}')).toMatchObject({
      code: 'EXPR_UNKNOWN_STEP',
      message: 'unknown step "infr" in steps; did you mean "infra"?',
      offset: 10,
    });
    expect(error('${{ steps.infra.vpcid }}')).toMatchObject({
      code: 'EXPR_UNKNOWN_OUTPUT',
      message: 'unknown output "vpcid" in the outputs of step "infra"; did you mean "vpc_id"?',
      offset: 16,
      hint: 'Known outputs in the outputs of step "infra": vpc_id, subnets.',
    });
  });

  it('leaves out the suggestion when nothing is close', () => {
    expect(error('${{ stage.zzzzzz }}').message).toBe('unknown key "zzzzzz" in stage');
  });

  it('lists at most ten known keys', () => {
    expect(error('${{ many.nope }}').hint).toBe(
      'Known keys in many: key0, key1, key2, key3, key4, key5, key6, key7, key8, key9, … (15 in all).',
    );
  });

  it('says when there are no keys, and gives no list when keys cannot be listed', () => {
    expect(error('${{ empty_node.x }}').hint).toBe('There are no keys in nothing.');
    expect(error('${{ stage.artifacts.Web.image_url.x }}').code).toBe('EXPR_TYPE');
    const lookupOnly = evaluateTemplate(parseTemplate('${{ a.b }}'), {
      root: new ContextNode({
        description: 'root',
        entries: (k) =>
          k === 'a' ? new ContextNode({ description: 'a', entries: () => undefined }) : undefined,
      }),
      functions: new Map(),
    });
    expect(lookupOnly.errors).toEqual([
      { code: 'EXPR_UNKNOWN_KEY', message: 'unknown key "b" in a', offset: 6 },
    ]);
  });

  it('reports unknown keys of plain data with the expression that holds it', () => {
    expect(error('${{ pipeline.nmae }}')).toEqual({
      code: 'EXPR_UNKNOWN_KEY',
      message: 'unknown key "nmae" in pipeline; did you mean "name"?',
      offset: 13,
      hint: 'Known keys in pipeline: name, slug.',
    });
    expect(error('${{ vars.obj.c["x"] }}')).toMatchObject({
      message: 'unknown key "x" in vars.obj.c',
      offset: 15,
    });
  });

  it('never reads inherited JavaScript properties', () => {
    expect(error('${{ pipeline.constructor }}').code).toBe('EXPR_UNKNOWN_KEY');
    expect(error('${{ pipeline["__proto__"] }}').code).toBe('EXPR_UNKNOWN_KEY');
    expect(error('${{ vars.obj.toString }}').code).toBe('EXPR_UNKNOWN_KEY');
    expect(error('${{ vars.names.length }}').code).toBe('EXPR_TYPE');
  });

  it('lets the node reject a key that exists, at the key', () => {
    expect(error('${{ steps.later.vpc_id }}')).toEqual({
      code: 'EXPR_STEP_NOT_UPSTREAM',
      message: 'step "later" does not run before this step',
      offset: 10,
      hint: 'Add "later" to goes_after.',
    });
  });
});

describe('evaluateTemplate: functions', () => {
  it('reports an unknown function at its name with a suggestion', () => {
    expect(error('${{ secrte("X") }}')).toEqual({
      code: 'EXPR_UNKNOWN_FUNCTION',
      message: 'unknown function "secrte"; did you mean "secret"?',
      offset: 4,
      hint: 'Known functions: secret, upper, pair, fail.',
    });
  });

  it('reports too few arguments at ")" and too many at the first extra one', () => {
    expect(error('${{ secret() }}')).toMatchObject({
      code: 'EXPR_BAD_ARGUMENTS',
      message: 'secret() takes 1 argument, got 0',
      offset: 11,
    });
    expect(error('${{ secret("a", "b") }}')).toMatchObject({
      code: 'EXPR_BAD_ARGUMENTS',
      message: 'secret() takes 1 argument, got 2',
      offset: 16,
    });
    expect(error('${{ pair(1) }}').message).toBe('pair() takes 2 arguments, got 1');
  });

  it('reports a failure of the function at the argument it names, or at the name', () => {
    expect(error('${{ secret(vars.replicas) }}')).toMatchObject({
      code: 'EXPR_BAD_ARGUMENTS',
      message: 'secret() takes a string',
      offset: 11,
    });
    expect(error('${{ fail() }}')).toMatchObject({ code: 'EXPR_NOT_ALLOWED', offset: 4 });
  });

  it('reports errors inside arguments where they are', () => {
    expect(error('${{ upper(stage.nmae) }}')).toMatchObject({
      code: 'EXPR_UNKNOWN_KEY',
      offset: 16,
    });
  });
});

describe('evaluateTemplate: type errors', () => {
  it('rejects reading a key of a string, number, boolean or null, at the key', () => {
    expect(error('${{ stage.name.first }}')).toEqual({
      code: 'EXPR_TYPE',
      message: 'cannot read key "first" of stage.name: it is a string',
      offset: 15,
      hint: 'Use stage.name itself, or read a key of an object.',
    });
    expect(error('${{ vars.replicas[0] }}')).toMatchObject({
      message: 'cannot read key "0" of vars.replicas: it is a number',
      offset: 18,
    });
    expect(error('${{ vars.debug.x }}').message).toMatch(/it is a boolean/);
    expect(error('${{ vars.empty.x }}').message).toMatch(/it is null/);
    expect(error('${{ "abc".x }}').message).toMatch(/of "abc": it is a string/);
    expect(error('${{ stage.name[secret("K")] }}')).toMatchObject({
      code: 'EXPR_TYPE',
      message: 'cannot read key "secret("K")" of stage.name: it is a string',
      offset: 15,
    });
  });

  it('checks list indexes', () => {
    expect(error('${{ vars.names["a"] }}')).toMatchObject({
      code: 'EXPR_TYPE',
      message: 'vars.names is a list: index it with a whole number, not "a"',
      offset: 15,
    });
    expect(error('${{ vars.names.first }}').code).toBe('EXPR_TYPE');
    expect(error('${{ vars.names[1.5] }}').code).toBe('EXPR_TYPE');
    expect(error('${{ vars.names[3] }}')).toEqual({
      code: 'EXPR_UNKNOWN_KEY',
      message: 'index 3 is out of range: vars.names has 3 items',
      offset: 15,
      hint: 'Use an index from 0 to 2.',
    });
    expect(error('${{ vars.names[vars.neg] }}').code).toBe('EXPR_UNKNOWN_KEY');
  });

  it('rejects keys that are not strings or numbers', () => {
    expect(error('${{ vars[true] }}')).toEqual({
      code: 'EXPR_TYPE',
      message: 'a key must be a string or a number, but true is a boolean',
      offset: 9,
    });
    expect(error('${{ vars[vars.obj] }}').message).toBe(
      'a key must be a string or a number, but vars.obj is an object',
    );
    expect(error('${{ vars[null] }}').message).toMatch(/null is null/);
  });

  it('rejects an object or list inside text, at the expression', () => {
    expect(error('x-${{ vars.obj }}')).toEqual({
      code: 'EXPR_TYPE',
      message: 'cannot insert an object into text: vars.obj is an object',
      offset: 6,
      hint: 'Read one of its keys, or make the whole value this one expression (no text around it).',
    });
    expect(error('${{ vars.names }} ').message).toBe(
      'cannot insert an object into text: vars.names is a list',
    );
    expect(error('x${{ stage }}').code).toBe('EXPR_TYPE');
  });

  it('rejects a context object as a value', () => {
    expect(error('${{ stage }}')).toMatchObject({
      code: 'EXPR_TYPE',
      message: 'stage is not a value: stage can only be read key by key',
      offset: 4,
    });
    expect(error('${{ pair(stage, 1) }}').code).toBe('EXPR_TYPE');
  });

  it('rejects data that contains itself', () => {
    expect(error('${{ vars.loop }}')).toMatchObject({
      code: 'EXPR_TYPE',
      message: 'vars.loop contains itself',
    });
    expect(value('${{ vars.loop.self.self.name }}')).toBe('loop');
  });
});

describe('evaluateTemplate: several errors', () => {
  it('reports one error per bad expression, syntax and evaluation, in order', () => {
    const result = evaluate('${{ stag }}-${{ a + }}-${{ stage.name }}-${{ vars.nope }}-${{ ');
    expect(result.value).toBeUndefined();
    expect(result.errors.map((e) => [e.code, e.offset])).toEqual([
      ['EXPR_UNKNOWN_OBJECT', 4],
      ['EXPR_SYNTAX', 18],
      ['EXPR_UNKNOWN_VAR', 50],
      ['EXPR_UNTERMINATED', 58],
    ]);
  });

  it('reports only the first error of one expression', () => {
    expect(evaluate('${{ stage[nope1][nope2] }}').errors).toMatchObject([
      { code: 'EXPR_UNKNOWN_OBJECT', offset: 10 },
    ]);
  });
});

describe('evaluateTemplate: large inputs', () => {
  it('evaluates 10,000 expressions in one string', () => {
    const result = evaluate('${{ stage.name }},'.repeat(10_000));
    expect(result.errors).toEqual([]);
    expect(result.value).toBe('prod,'.repeat(10_000));
  });

  it('reports a 100 KB expression once', () => {
    const result = evaluate(`\${{ stage${'.name'.repeat(25_000)} }}`);
    expect(result.errors).toMatchObject([{ code: 'EXPR_TOO_LONG', offset: 0 }]);
  });
});
