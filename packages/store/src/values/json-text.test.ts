import { describe, expect, it } from 'vitest';
import { fromJsonText, toJsonText } from './json-text.js';

describe('JSON text', () => {
  it('round-trips values, including text that only looks like a refused escape', () => {
    for (const value of [
      { a: [1, 'x', null, true] },
      'the six characters \\u0000',
      '\\\\u0000',
      '😀 \ud83d\ude00',
    ]) {
      expect(fromJsonText(toJsonText(value, 'v'))).toStrictEqual(value);
    }
  });

  it('refuses U+0000 and unpaired surrogates, which PostgreSQL jsonb cannot hold', () => {
    for (const value of [
      '\u0000',
      'a\\\u0000',
      '\ud800',
      'x\udbff',
      '\udc00y',
      { deep: ['\ud9ab'] },
    ]) {
      expect(() => toJsonText(value, 'field')).toThrow(
        expect.objectContaining({
          code: 'STORE_VALUE_UNSUPPORTED',
          message: expect.stringContaining('field') as unknown,
        }),
      );
    }
  });

  it('refuses what is not JSON at all', () => {
    expect(() => toJsonText(undefined as never, 'f')).toThrow(
      expect.objectContaining({ code: 'STORE_VALUE_UNSUPPORTED' }),
    );
    expect(() => toJsonText({ big: 1n } as never, 'f')).toThrow(
      expect.objectContaining({ code: 'STORE_VALUE_UNSUPPORTED' }),
    );
  });
});
