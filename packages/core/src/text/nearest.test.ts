import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from './nearest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('nmae', 'name')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  it('stops early above the cap', () => {
    expect(editDistance('aaaaaaaa', 'bbbbbbbb', 2)).toBe(3);
    expect(editDistance('aaaa', 'aaab', 2)).toBe(1);
  });
});

describe('nearest', () => {
  const keys = ['name', 'region', 'account_id', 'artifacts', 'secrets'];

  it('suggests the closest candidate for a typo', () => {
    expect(nearest('nmae', keys)).toBe('name');
    expect(nearest('regoin', keys)).toBe('region');
    expect(nearest('acount_id', keys)).toBe('account_id');
    expect(nearest('artifact', keys)).toBe('artifacts');
  });

  it('ignores case and returns the candidate as written', () => {
    expect(nearest('NAME', keys)).toBe('name');
    expect(nearest('Region', keys)).toBe('region');
    expect(nearest('web', ['Web', 'Api'])).toBe('Web');
  });

  it('returns undefined when nothing is close', () => {
    expect(nearest('banana', keys)).toBeUndefined();
    expect(nearest('x', ['y', 'z'])).toBeUndefined();
    expect(nearest('anything', [])).toBeUndefined();
  });

  it('lets one-character words match only by case', () => {
    expect(nearest('X', ['y', 'x'])).toBe('x');
  });

  it('prefers the smaller distance, then the earlier candidate', () => {
    expect(nearest('stage', ['stages', 'stage_'])).toBe('stages');
    expect(nearest('vars', ['var', 'vars_', 'vrs'])).toBe('var');
    expect(nearest('image_ur', ['image_tag', 'image_url'])).toBe('image_url');
  });

  it('accepts a custom threshold and any iterable', () => {
    expect(nearest('abcdef', ['abcxyz'])).toBeUndefined();
    expect(nearest('abcdef', ['abcxyz'], { maxDistance: 3 })).toBe('abcxyz');
    expect(nearest('nmae', new Set(['name']), { maxDistance: 0 })).toBeUndefined();
    expect(nearest('secert', new Map([['secret', 1]]).keys())).toBe('secret');
  });
});
