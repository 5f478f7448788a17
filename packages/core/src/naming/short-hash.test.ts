import { describe, expect, it } from 'vitest';
import { shortHash } from './short-hash.js';

describe('shortHash', () => {
  it('is the first 6 hex digits of SHA-256 (published test vectors)', () => {
    expect(shortHash('')).toBe('e3b0c4');
    expect(shortHash('abc')).toBe('ba7816');
  });

  it('is stable for a fixed input', () => {
    expect(shortHash('rampart')).toBe('f93f6d');
    expect(shortHash('a'.repeat(100))).toBe('281659');
  });

  it('hashes UTF-8 bytes and differs for different inputs', () => {
    expect(shortHash('é')).not.toBe(shortHash('e'));
    expect(shortHash('é')).toMatch(/^[0-9a-f]{6}$/);
  });
});
