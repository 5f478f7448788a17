import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './closest-match.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('DEPLOY', 'DEPLYO')).toBe(2);
  });
});

describe('closestMatch', () => {
  it('returns the nearest candidate within the limit', () => {
    expect(closestMatch('ECS:DEPLOI', ['ECS:DEPLOY', 'ECS:RUN_TASK'], 2)).toBe('ECS:DEPLOY');
  });

  it('returns nothing when every candidate is too far', () => {
    expect(closestMatch('XYZ', ['ECS:DEPLOY'], 2)).toBeUndefined();
    expect(closestMatch('a', [], 5)).toBeUndefined();
  });

  it('keeps the first candidate on a tie', () => {
    expect(closestMatch('ab', ['aa', 'bb'], 1)).toBe('aa');
  });
});
