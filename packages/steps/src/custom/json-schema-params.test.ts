import { describe, expect, it } from 'vitest';
import { compileParamsSchema, type JsonSchemaParams } from './json-schema-params.js';

// Typed asymmetric matchers: vitest types them `any`.
const containing = (text: string): string => expect.stringContaining(text) as string;

function compiled(schema: unknown): JsonSchemaParams {
  const result = compileParamsSchema(schema);
  if (!result.ok) throw new Error(result.problem);
  return result.schema;
}

const SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    size: { enum: ['S', 'M'] },
    tags: { type: 'array', items: { type: 'string' } },
    'a/b': { type: 'integer' },
  },
  required: ['name'],
  additionalProperties: false,
};

describe('JSON Schema params', () => {
  it('accepts params the schema accepts and hands them over unchanged', () => {
    const params = { name: 'x', tags: ['a'] };
    expect(compiled(SCHEMA).safeParse(params)).toEqual({ success: true, data: params });
  });

  it('reports every problem at its path', () => {
    const parsed = compiled(SCHEMA).safeParse({ size: 'L', tags: ['a', 2], extra: 1, 'a/b': 'x' });
    expect(parsed.success).toBe(false);
    const issues = parsed.success ? [] : parsed.error.issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: ['name'], message: 'is required' },
        { path: ['extra'], message: 'is not a param of this step' },
        { path: ['size'], message: 'must be one of "S", "M"' },
        { path: ['tags', 1], message: 'must be string' },
        { path: ['a/b'], message: 'must be integer' },
      ]),
    );
  });

  it('refuses values still holding a marker or expression', () => {
    const parsed = compiled({ type: 'object' }).safeParse({ a: { b: ['[OUTPUT:s/x]'] } });
    expect(parsed).toMatchObject({
      success: false,
      error: { issues: [{ path: ['a', 'b', 0], message: containing('unresolved') }] },
    });
    expect(compiled({ type: 'object' }).safeParse('x')).toMatchObject({ success: false });
  });

  it('compiles 2020-12 schemas, and names a schema that does not compile', () => {
    const modern = compiled({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }] } },
    });
    // draft-07 does not know prefixItems and would let this through.
    expect(modern.safeParse({ pair: [1] }).success).toBe(false);
    expect(modern.safeParse({ pair: ['a', 1] }).success).toBe(true);
    expect(compileParamsSchema({ type: 'no-such-type' })).toMatchObject({
      ok: false,
      problem: containing('does not compile'),
    });
    expect(compileParamsSchema([])).toMatchObject({ ok: false });
  });
});
