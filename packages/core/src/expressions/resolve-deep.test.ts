import { describe, expect, it } from 'vitest';
import { ContextNode, type ContextValue } from './context-node.js';
import { Deferred } from './deferred.js';
import type { ExpressionContext } from './expression-context.js';
import type { ExpressionDiagnostic } from './expression-diagnostic.js';
import { resolveDeep, type ValuePath } from './resolve-deep.js';

const ctx: ExpressionContext = {
  root: new ContextNode({
    description: 'expressions',
    entries: new Map<string, ContextValue>([
      [
        'stage',
        new ContextNode({
          description: 'stage',
          entries: new Map<string, ContextValue>([
            ['name', 'prod'],
            ['replicas', 2],
          ]),
        }),
      ],
    ]),
  }),
  functions: new Map([
    [
      'secret',
      { arity: 1, call: ([n]) => new Deferred(`[SECRET:${typeof n === 'string' ? n : '?'}]`) },
    ],
  ]),
};

function resolve(value: unknown): {
  value: unknown;
  markers: string[];
  errors: [ValuePath, ExpressionDiagnostic][];
} {
  const errors: [ValuePath, ExpressionDiagnostic][] = [];
  const result = resolveDeep(value, ctx, (path, d) => errors.push([path, d]));
  return { ...result, errors };
}

describe('resolveDeep', () => {
  it('evaluates strings at every depth and keeps other values', () => {
    const input = {
      name: 'svc-${{ stage.name }}',
      count: '${{ stage.replicas }}',
      plain: 'no expression',
      number: 5,
      flag: false,
      nothing: null,
      list: ['${{ stage.name }}', 1, { deep: ['x-${{ stage.replicas }}'] }],
    };
    expect(resolve(input)).toEqual({
      value: {
        name: 'svc-prod',
        count: 2,
        plain: 'no expression',
        number: 5,
        flag: false,
        nothing: null,
        list: ['prod', 1, { deep: ['x-2'] }],
      },
      markers: [],
      errors: [],
    });
  });

  it('does not evaluate object keys', () => {
    expect(resolve({ '${{ stage.name }}': '${{ stage.name }}' }).value).toEqual({
      '${{ stage.name }}': 'prod',
    });
  });

  it('does not modify the input', () => {
    const input = { a: ['${{ stage.name }}'] };
    resolve(input);
    expect(input).toEqual({ a: ['${{ stage.name }}'] });
  });

  it('resolves escapes in strings without expressions', () => {
    expect(resolve({ cmd: 'echo $${{ x }}' }).value).toEqual({ cmd: 'echo ${{ x }}' });
  });

  it('collects markers across strings, each once', () => {
    expect(
      resolve({ a: '${{ secret("A") }}', b: ['${{ secret("B") }}/${{ secret("A") }}'] }),
    ).toMatchObject({
      value: { a: '[SECRET:A]', b: ['[SECRET:B]/[SECRET:A]'] },
      markers: ['[SECRET:A]', '[SECRET:B]'],
    });
  });

  it('reports each error with the path of its string and keeps that string', () => {
    const result = resolve({
      ok: '${{ stage.name }}',
      params: { list: ['fine', '${{ stage.nmae }} ${{ nope }}'] },
      top: '${{ a + }}',
    });
    expect(result.errors.map(([path, d]) => [path, d.code, d.offset])).toEqual([
      [['params', 'list', 1], 'EXPR_UNKNOWN_KEY', 10],
      [['params', 'list', 1], 'EXPR_UNKNOWN_OBJECT', 22],
      [['top'], 'EXPR_SYNTAX', 6],
    ]);
    expect(result.value).toEqual({
      ok: 'prod',
      params: { list: ['fine', '${{ stage.nmae }} ${{ nope }}'] },
      top: '${{ a + }}',
    });
  });

  it('evaluates a top-level string', () => {
    expect(resolve('${{ stage.replicas }}').value).toBe(2);
  });

  it('keeps a __proto__ key as data', () => {
    const input = JSON.parse('{"__proto__": {"x": "${{ stage.name }}"}}') as unknown;
    const out = resolve(input).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ x: 'prod' });
  });

  it('leaves class instances and cycles alone', () => {
    const when = new Date(0);
    const loop: Record<string, unknown> = { s: '${{ stage.name }}' };
    loop.self = loop;
    const out = resolve({ when, loop }).value as { when: unknown; loop: Record<string, unknown> };
    expect(out.when).toBe(when);
    expect(out.loop.s).toBe('prod');
    expect(out.loop.self).toBe(loop);
  });
});
