import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openConnection } from '../open-store.js';
import { STORE_DIALECTS, useTestStore } from '../test-support/test-store.js';
import type { ApiTokenRole } from './api-token-store.js';

describe.each(STORE_DIALECTS)('API tokens on $dialect', ({ dialect }) => {
  const t = useTestStore(dialect);

  it('returns the secret once and stores only its SHA-256', async () => {
    const { token, secret } = await t.store.tokens.create({ name: 'ci', role: 'deployer' });
    expect(secret).toMatch(/^rmp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(secret).toContain(token.id);
    expect(token).toEqual({
      id: token.id,
      name: 'ci',
      role: 'deployer',
      createdAt: '2030-01-01T00:00:00.000Z',
    });
    const connection = t.track(openConnection(t.options));
    const rows = await connection.db.selectFrom('api_tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(secret.slice(-43));
  });

  it('verifies the secret, records the use, and never lists secrets', async () => {
    const { token, secret } = await t.store.tokens.create({ name: 'admin', role: 'admin' });
    t.clock.advance(5000);
    const verified = await t.store.tokens.verify(secret);
    expect(verified).toEqual({ ...token, lastUsedAt: '2030-01-01T00:00:05.000Z' });
    const listed = await t.store.tokens.list();
    expect(listed).toEqual([verified]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(await t.store.tokens.get(token.id)).toEqual(verified);
  });

  it('refuses wrong, altered and malformed secrets', async () => {
    const { secret } = await t.store.tokens.create({ name: 'ci', role: 'viewer' });
    const other = await t.store.tokens.create({ name: 'other', role: 'viewer' });
    const lastChar = secret.at(-1) === 'A' ? 'B' : 'A';
    const candidates = [
      `${secret.slice(0, -1)}${lastChar}`,
      // Another token's secret with this token's id.
      `${secret.slice(0, 21)}${other.secret.slice(21)}`,
      `rmp_0000000000000000_${secret.slice(21)}`,
      secret.toUpperCase(),
      `${secret} `,
      '',
      'Bearer nonsense',
    ];
    for (const candidate of candidates)
      expect(await t.store.tokens.verify(candidate)).toBeUndefined();
    expect(
      (await t.store.tokens.get((await t.store.tokens.list())[0]?.id ?? '')) ?? {},
    ).not.toHaveProperty('lastUsedAt');
  });

  it('revokes a token once; a revoked token no longer verifies and frees its name', async () => {
    const { token, secret } = await t.store.tokens.create({ name: 'ci', role: 'deployer' });
    t.clock.advance(1000);
    expect(await t.store.tokens.revoke(token.id)).toBe(true);
    expect(await t.store.tokens.revoke(token.id)).toBe(false);
    expect(await t.store.tokens.revoke('unknown')).toBe(false);
    expect(await t.store.tokens.verify(secret)).toBeUndefined();
    expect(await t.store.tokens.get(token.id)).toMatchObject({
      revokedAt: '2030-01-01T00:00:01.000Z',
    });
    const again = await t.store.tokens.create({ name: 'ci', role: 'viewer' });
    expect(again.token.id).not.toBe(token.id);
    expect((await t.store.tokens.list()).map((x) => [x.name, x.revokedAt !== undefined])).toEqual([
      ['ci', true],
      ['ci', false],
    ]);
  });

  it('refuses a second live token with the same name', async () => {
    await t.store.tokens.create({ name: 'ci', role: 'deployer' });
    await expect(t.store.tokens.create({ name: 'ci', role: 'admin' })).rejects.toMatchObject({
      code: 'STORE_TOKEN_NAME_TAKEN',
    });
    expect(await t.store.tokens.list()).toHaveLength(1);
  });

  it('stops verifying a token when it expires', async () => {
    const { secret, token } = await t.store.tokens.create({
      name: 'short',
      role: 'viewer',
      expiresAt: '2030-01-01T01:00:00Z',
    });
    expect(token.expiresAt).toBe('2030-01-01T01:00:00.000Z');
    t.clock.advance(3_599_999);
    expect(await t.store.tokens.verify(secret)).toBeDefined();
    t.clock.advance(1);
    expect(await t.store.tokens.verify(secret)).toBeUndefined();
  });

  it('refuses an unknown role, an empty name and a bad expiry', async () => {
    await expect(
      t.store.tokens.create({ name: 'x', role: 'root' as ApiTokenRole }),
    ).rejects.toMatchObject({
      code: 'STORE_VALUE_UNSUPPORTED',
    });
    await expect(t.store.tokens.create({ name: '', role: 'viewer' })).rejects.toMatchObject({
      code: 'STORE_VALUE_UNSUPPORTED',
    });
    await expect(
      t.store.tokens.create({ name: 'x', role: 'viewer', expiresAt: 'tomorrow' }),
    ).rejects.toMatchObject({ code: 'STORE_VALUE_UNSUPPORTED' });
    expect(await t.store.tokens.list()).toEqual([]);
  });

  it('lists tokens oldest first', async () => {
    for (const [name, role] of [
      ['b', 'viewer'],
      ['a', 'admin'],
    ] as const) {
      await t.store.tokens.create({ name, role });
      t.clock.advance(1000);
    }
    expect((await t.store.tokens.list()).map((x) => x.name)).toEqual(['b', 'a']);
  });
});
