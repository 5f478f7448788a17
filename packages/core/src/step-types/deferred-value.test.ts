import { describe, expect, it } from 'vitest';
import { isDeferred, literalString, namePattern } from './deferred-value.js';

const nameChars = /^[A-Za-z0-9_-]+$/;

describe('isDeferred / literalString', () => {
  it('sees expressions and markers anywhere in a string', () => {
    for (const v of [
      '${{ vars.x }}',
      'api-${{ stage.name }}',
      '[SECRET:TOKEN]',
      '[OUTPUT:infra/url]',
      'x[STAGE_SECRET:K]',
    ]) {
      expect(isDeferred(v)).toBe(true);
      expect(literalString(v)).toBeUndefined();
    }
  });

  it('treats plain strings as literal and non-strings as neither', () => {
    expect(isDeferred('my-cluster')).toBe(false);
    expect(literalString('my-cluster')).toBe('my-cluster');
    expect(literalString('[NOT_A_MARKER:x]')).toBe('[NOT_A_MARKER:x]');
    expect(isDeferred(42)).toBe(false);
    expect(literalString(42)).toBeUndefined();
    expect(literalString(undefined)).toBeUndefined();
  });
});

describe('namePattern', () => {
  it('returns literal names unchanged', () => {
    expect(namePattern('orders', nameChars)).toBe('orders');
  });

  it('replaces each deferred part with one wildcard', () => {
    expect(namePattern('api-${{ stage.name }}', nameChars)).toBe('api-*');
    expect(namePattern('${{ vars.a }}-${{ vars.b }}', nameChars)).toBe('*-*');
    expect(namePattern('${{ vars.a }}${{ vars.b }}', nameChars)).toBe('*');
    expect(namePattern('svc-[OUTPUT:infra/name]', nameChars)).toBe('svc-*');
    expect(namePattern('x-${{ unterminated', nameChars)).toBe('x-*');
  });

  it('falls back to * when the known parts could change the ARN shape', () => {
    expect(namePattern('arn:aws:ecs:us-east-1:1:cluster/${{ vars.c }}', nameChars)).toBe('*');
    expect(namePattern('a/${{ vars.c }}', nameChars)).toBe('*');
  });

  it('gives * for missing and non-string values', () => {
    expect(namePattern(undefined, nameChars)).toBe('*');
    expect(namePattern(12, nameChars)).toBe('*');
  });
});
