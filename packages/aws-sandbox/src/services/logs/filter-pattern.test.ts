import { describe, expect, it } from 'vitest';
import { matchesFilter, parseFilterPattern } from './filter-pattern.js';

describe('filter patterns', () => {
  const matches = (pattern: string, message: string): boolean =>
    matchesFilter(parseFilterPattern(pattern), message);

  it('matches everything with an empty pattern', () => {
    expect(matches('', 'anything')).toBe(true);
    expect(matches('   ', 'anything')).toBe(true);
  });

  it('requires every plain term, case-sensitively', () => {
    expect(matches('ERROR timeout', 'ERROR: request timeout')).toBe(true);
    expect(matches('ERROR timeout', 'ERROR: refused')).toBe(false);
    expect(matches('error', 'ERROR')).toBe(false);
  });

  it('reads quoted phrases with escapes', () => {
    expect(parseFilterPattern('"a b" "say \\"hi\\""').required).toEqual(['a b', 'say "hi"']);
    expect(matches('"request failed"', 'the request failed')).toBe(true);
    expect(matches('"request failed"', 'request has failed')).toBe(false);
  });

  it('treats ?terms as alternatives and -terms as exclusions', () => {
    expect(matches('?WARN ?ERROR', 'ERROR x')).toBe(true);
    expect(matches('?WARN ?ERROR', 'INFO x')).toBe(false);
    expect(matches('ERROR -retrying', 'ERROR retrying')).toBe(false);
    expect(matches('ERROR -retrying', 'ERROR giving up')).toBe(true);
    expect(matches('api ?WARN ?ERROR', 'api ERROR')).toBe(true);
    expect(matches('api ?WARN ?ERROR', 'web ERROR')).toBe(false);
  });

  it('refuses what it does not emulate or cannot read', () => {
    for (const bad of ['{ $.a = 1 }', '[a, b]', '"open', 'a"b', '%ab%', '?', '-""']) {
      expect(() => parseFilterPattern(bad), bad).toThrow(/Invalid filter pattern/);
    }
  });
});
