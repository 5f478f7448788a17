import { describe, expect, it } from 'vitest';
import { generateTokenSecret, hashTokenSecret, sameHash, tokenIdOf } from './token-secret.js';

describe('token secrets', () => {
  it('generates distinct secrets whose id can be read back', () => {
    const a = generateTokenSecret();
    const b = generateTokenSecret();
    expect(a.secret).not.toBe(b.secret);
    expect(tokenIdOf(a.secret)).toBe(a.id);
    expect(a.hash).toBe(hashTokenSecret(a.secret));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads no id from text that is not a token', () => {
    for (const text of [
      '',
      'rmp_',
      'rmp_xyz_abc',
      `rmp_${'g'.repeat(16)}_${'a'.repeat(43)}`,
      `x${generateTokenSecret().secret}`,
    ]) {
      expect(tokenIdOf(text)).toBeUndefined();
    }
  });

  it('compares digests exactly and refuses anything that is not one', () => {
    const hash = hashTokenSecret('a');
    expect(sameHash(hash, hashTokenSecret('a'))).toBe(true);
    expect(sameHash(hash, hashTokenSecret('b'))).toBe(false);
    expect(sameHash(hash, hash.slice(0, 62))).toBe(false);
    expect(sameHash('zz', 'zz')).toBe(false);
  });
});
