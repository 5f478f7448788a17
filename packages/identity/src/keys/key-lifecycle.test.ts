import { describe, expect, it } from 'vitest';
import { activeKey, keyState, liveKeys, removalTime, rotateKeys } from './key-lifecycle.js';
import type { StoredSigningKey } from './stored-signing-key.js';

const privateJwk: StoredSigningKey['privateJwk'] = {
  kty: 'RSA',
  n: 'bg',
  e: 'AQAB',
  d: 'ZA',
  p: 'cA',
  q: 'cQ',
  dp: 'ZHA',
  dq: 'ZHE',
  qi: 'cWk',
};
const key = (kid: string, createdAt: string, retiredAt?: string): StoredSigningKey => ({
  kid,
  createdAt,
  ...(retiredAt === undefined ? {} : { retiredAt }),
  privateJwk,
});

describe('key lifecycle', () => {
  const retired = key('a', '2026-03-01T09:00:00.000Z', '2026-03-01T10:00:00.000Z');

  it('a retired key is published for exactly the maximum token lifetime', () => {
    expect(removalTime(retired)).toEqual(new Date('2026-03-01T10:10:00.000Z'));
    expect(keyState(retired, new Date('2026-03-01T10:09:59.999Z'))).toBe('retired');
    expect(keyState(retired, new Date('2026-03-01T10:10:00.000Z'))).toBe('expired');
    expect(keyState(key('b', '2026-03-01T10:00:00.000Z'), new Date('2030-01-01'))).toBe('active');
    expect(removalTime(key('b', '2026-03-01T10:00:00.000Z'))).toBeUndefined();
  });

  it('rotation retires the active key at that instant, adds the new one and drops expired ones', () => {
    const keys = [
      key('gone', '2026-03-01T08:00:00.000Z', '2026-03-01T09:50:00.000Z'),
      key('kept', '2026-03-01T09:00:00.000Z', '2026-03-01T09:55:00.000Z'),
      key('current', '2026-03-01T09:55:00.000Z'),
    ];
    const now = new Date('2026-03-01T10:01:00.000Z');
    const next = key('next', now.toISOString());
    const rotated = rotateKeys(keys, next, now);
    expect(rotated.map((k) => [k.kid, k.retiredAt])).toEqual([
      ['current', now.toISOString()],
      ['kept', '2026-03-01T09:55:00.000Z'],
      ['next', undefined],
    ]);
    expect(activeKey(rotated)?.kid).toBe('next');
    expect(liveKeys(rotated, now).map((k) => k.kid)).toEqual(['next', 'current', 'kept']);
  });
});
