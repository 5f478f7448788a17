import { describe, expect, it } from 'vitest';
import { parseRegistryMetadata } from './registry-metadata.js';

const schema = { type: 'object', properties: { a: { type: 'string' } } };

describe('parseRegistryMetadata', () => {
  it('reads the step types, with or without the CUSTOM: prefix', () => {
    const parsed = parseRegistryMetadata({
      status: 'SUCCESS',
      metadata: {
        steps: [
          { type: 'DEPLOY', description: 'd', paramsSchema: schema },
          { type: 'CUSTOM:CHECK', paramsSchema: schema },
        ],
      },
    });
    expect(parsed.ok && parsed.steps.map((s) => [s.type, s.name, s.description])).toEqual([
      ['CUSTOM:DEPLOY', 'DEPLOY', 'd'],
      ['CUSTOM:CHECK', 'CHECK', undefined],
    ]);
    expect(parsed.ok && parsed.steps[0]?.params.safeParse({ a: 1 }).success).toBe(false);
  });

  it('names the problem of bad metadata', () => {
    const bad = (data: unknown) => {
      const parsed = parseRegistryMetadata(data);
      return parsed.ok ? 'ok' : parsed.problem;
    };
    expect(bad({ status: 'FAILED', error: 'no' })).toBe('the metadata job reported FAILED: no');
    expect(bad(undefined)).toContain('malformed at the top');
    expect(bad({ status: 'SUCCESS', metadata: { steps: [{ type: 'X' }] } })).toContain(
      'metadata.steps.0.paramsSchema',
    );
    expect(
      bad({ status: 'SUCCESS', metadata: { steps: [{ type: 'a b', paramsSchema: {} }] } }),
    ).toContain('is not a step type name');
    expect(
      bad({
        status: 'SUCCESS',
        metadata: {
          steps: [
            { type: 'X', paramsSchema: {} },
            { type: 'CUSTOM:X', paramsSchema: {} },
          ],
        },
      }),
    ).toBe('steps[1].type CUSTOM:X is listed twice');
    expect(
      bad({ status: 'SUCCESS', metadata: { steps: [{ type: 'X', paramsSchema: { type: 1 } }] } }),
    ).toContain('steps[0] (CUSTOM:X): the params schema does not compile');
  });
});
