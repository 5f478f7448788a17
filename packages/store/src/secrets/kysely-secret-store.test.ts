import { describe, expect, it } from 'vitest';
import { openConnection } from '../open-store.js';
import { STORE_DIALECTS, useTestStore } from '../test-support/test-store.js';
import type { EnvelopeMaterial } from './secret-store.js';

const sealed = (n: number): EnvelopeMaterial => ({
  storage: 'local',
  ciphertext: `Y2lwaGVy${n}`,
  wrappedKey: `a2V5${n}`,
  keyId: 'master-key',
});

describe.each(STORE_DIALECTS)('secrets on $dialect', ({ dialect }) => {
  const t = useTestStore(dialect);

  it('creates version 1, then counts versions up and keeps the creation and description', async () => {
    const created = await t.store.secrets.put({
      name: 'DB_PASSWORD',
      scope: 'organization',
      description: 'the database',
      material: sealed(1),
      actor: 'token:alice',
    });
    expect(created).toEqual({
      name: 'DB_PASSWORD',
      scope: 'organization',
      version: 1,
      description: 'the database',
      storage: 'local',
      createdAt: '2030-01-01T00:00:00.000Z',
      createdBy: 'token:alice',
      updatedAt: '2030-01-01T00:00:00.000Z',
      updatedBy: 'token:alice',
    });
    t.clock.advance(1000);
    const updated = await t.store.secrets.put({
      name: 'DB_PASSWORD',
      scope: 'organization',
      material: sealed(2),
      actor: 'token:bob',
    });
    expect(updated).toMatchObject({
      version: 2,
      description: 'the database',
      createdBy: 'token:alice',
      updatedAt: '2030-01-01T00:00:01.000Z',
      updatedBy: 'token:bob',
    });
    expect(await t.store.secrets.get({ name: 'DB_PASSWORD', scope: 'organization' })).toEqual({
      ...updated,
      material: sealed(2),
    });
  });

  it('keeps organization and stage secrets of one name apart, per stage name', async () => {
    const put = (scope: 'organization' | 'stage', stage: string | undefined, n: number) =>
      t.store.secrets.put({
        name: 'TOKEN',
        scope,
        ...(stage === undefined ? {} : { stage }),
        material: sealed(n),
        actor: 'admin',
      });
    await put('stage', 'prod', 3);
    await put('organization', undefined, 1);
    await put('stage', 'dev', 2);
    const listed = await t.store.secrets.list();
    expect(listed.map((s) => [s.scope, s.stage, s.name, s.version])).toEqual([
      ['organization', undefined, 'TOKEN', 1],
      ['stage', 'dev', 'TOKEN', 1],
      ['stage', 'prod', 'TOKEN', 1],
    ]);
    expect(JSON.stringify(listed)).not.toContain('Y2lwaGVy');
    expect(
      (await t.store.secrets.get({ name: 'TOKEN', scope: 'stage', stage: 'dev' }))?.material,
    ).toEqual(sealed(2));
    expect(await t.store.secrets.get({ name: 'TOKEN', scope: 'stage', stage: 'qa' })).toBe(
      undefined,
    );
  });

  it('stores a Secrets Manager reference without ciphertext', async () => {
    const arn =
      'arn:aws:secretsmanager:us-east-1:111111111111:secret:rampart/organization/X-AbCdEf';
    await t.store.secrets.put({
      name: 'X',
      scope: 'organization',
      material: { storage: 'secrets-manager', arn },
      actor: 'admin',
    });
    expect(await t.store.secrets.get({ name: 'X', scope: 'organization' })).toMatchObject({
      storage: 'secrets-manager',
      material: { storage: 'secrets-manager', arn },
    });
    const connection = t.track(openConnection(t.options));
    const row = await connection.db.selectFrom('secrets').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ ciphertext: null, wrapped_key: null, secrets_manager_arn: arn });
  });

  it('deletes once', async () => {
    await t.store.secrets.put({
      name: 'A',
      scope: 'stage',
      stage: 'prod',
      material: sealed(1),
      actor: 'admin',
    });
    expect(await t.store.secrets.delete({ name: 'A', scope: 'organization' })).toBe(false);
    expect(await t.store.secrets.delete({ name: 'A', scope: 'stage', stage: 'prod' })).toBe(true);
    expect(await t.store.secrets.delete({ name: 'A', scope: 'stage', stage: 'prod' })).toBe(false);
    expect(await t.store.secrets.list()).toEqual([]);
  });

  it('refuses a stage secret without a stage, an organization secret with one, and bad values', async () => {
    const material = sealed(1);
    const bad = [
      { name: 'A', scope: 'stage' as const, material, actor: 'a' },
      { name: 'A', scope: 'organization' as const, stage: 'prod', material, actor: 'a' },
      { name: '', scope: 'organization' as const, material, actor: 'a' },
      { name: 'A', scope: 'global' as 'organization', material, actor: 'a' },
      {
        name: 'A',
        scope: 'organization' as const,
        material: { ...material, ciphertext: '' },
        actor: 'a',
      },
    ];
    for (const write of bad) {
      await expect(t.store.secrets.put(write)).rejects.toMatchObject({
        code: 'STORE_VALUE_UNSUPPORTED',
      });
    }
    expect(await t.store.secrets.list()).toEqual([]);
  });

  it('gives two concurrent first writes versions 1 and 2', async () => {
    const other = await t.openAnother();
    const write = (store: typeof other, n: number) =>
      store.secrets.put({ name: 'RACE', scope: 'organization', material: sealed(n), actor: 'a' });
    const results = await Promise.all([write(t.store, 1), write(other, 2)]);
    expect(results.map((r) => r.version).sort()).toEqual([1, 2]);
    expect((await t.store.secrets.list()).map((s) => s.version)).toEqual([2]);
  });
});
