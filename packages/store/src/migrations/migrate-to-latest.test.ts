import { isRampartError } from '@rampart/core';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openConnection, openStore } from '../open-store.js';
import { STORE_DIALECTS, useTestDatabase } from '../test-support/test-store.js';
import type { Migration } from './migration.js';
import { migrateToLatest, readSchemaVersion } from './migrate-to-latest.js';
import { LATEST_SCHEMA_VERSION, storeMigrations } from './store-migrations.js';

/** Names of the tables in the current schema or SQLite file. */
async function tableNames(connection: ReturnType<typeof openConnection>): Promise<string[]> {
  const tables = await connection.db.introspection.getTables();
  return tables.map((table) => table.name).sort();
}

describe('the migration list', () => {
  it('numbers migrations 1, 2, 3 … without gaps, with kebab-case names', () => {
    expect(storeMigrations.map((m) => m.version)).toEqual(
      Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1),
    );
    for (const migration of storeMigrations)
      expect(migration.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe.each(STORE_DIALECTS)('migrations on $dialect', ({ dialect }) => {
  const t = useTestDatabase(dialect);

  it('creates every table on an empty database and records each version', async () => {
    const connection = t.track(openConnection(t.options));
    t.clock.advance(42);
    expect(await migrateToLatest(connection)).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION });
    expect(await tableNames(connection)).toEqual([
      'api_tokens',
      'command_effects',
      'commands',
      'counters',
      'deployments',
      'events',
      'pipeline_states',
      'pipelines',
      'schema_migrations',
      'secrets',
      'step_log_counter',
      'step_logs',
    ]);
    const rows = await connection.db
      .selectFrom('schema_migrations')
      .selectAll()
      .orderBy('version')
      .execute();
    expect(rows).toEqual(
      storeMigrations.map((m) => ({
        version: m.version,
        name: m.name,
        applied_at: '2030-01-01T00:00:00.042Z',
      })),
    );
  });

  it('does nothing when re-opened, and keeps the data', async () => {
    const first = await openStore(t.options);
    expect(first.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    await first.pipelines.register({ slug: 'web', sourceKind: 'path', location: '/repo' });
    await first.close();

    t.clock.advance(60_000);
    const connection = t.track(openConnection(t.options));
    expect(await migrateToLatest(connection)).toEqual({
      from: LATEST_SCHEMA_VERSION,
      to: LATEST_SCHEMA_VERSION,
    });
    const applied = await connection.db
      .selectFrom('schema_migrations')
      .select('applied_at')
      .execute();
    expect(applied.map((row) => row.applied_at)).toEqual(
      storeMigrations.map(() => '2030-01-01T00:00:00.000Z'),
    );

    const again = t.track(await openStore(t.options));
    expect((await again.pipelines.get('web'))?.location).toBe('/repo');
  });

  it('applies each migration once when two servers open a new database at the same time', async () => {
    const stores = await Promise.all([
      openStore(t.options),
      openStore(t.options),
      openStore(t.options),
    ]);
    for (const store of stores) t.track(store);
    const connection = t.track(openConnection(t.options));
    const rows = await connection.db.selectFrom('schema_migrations').select('version').execute();
    expect(rows).toHaveLength(LATEST_SCHEMA_VERSION);
  });

  it('refuses a database written by a newer Rampart, without changing it', async () => {
    const connection = t.track(openConnection(t.options));
    await migrateToLatest(connection);
    const newer = LATEST_SCHEMA_VERSION + 1;
    await connection.db
      .insertInto('schema_migrations')
      .values({ version: newer, name: 'from-the-future', applied_at: '2031-01-01T00:00:00.000Z' })
      .execute();

    const error = await openStore(t.options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isRampartError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'STORE_SCHEMA_TOO_NEW',
      hint: expect.stringMatching(/upgrade Rampart/i) as unknown,
    });
    expect((error as Error).message).toContain(`schema version ${newer}`);
    expect(await readSchemaVersion(connection)).toBe(newer);
  });

  it('rolls a failed migration back and keeps the previous version', async () => {
    const connection = t.track(openConnection(t.options));
    await migrateToLatest(connection);
    const broken: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'half-done',
      async up(db) {
        await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
        await sql`insert into pipelines (slug) values ('missing-columns')`.execute(db);
      },
    };
    await expect(migrateToLatest(connection, [...storeMigrations, broken])).rejects.toMatchObject({
      code: 'STORE_MIGRATION_FAILED',
      message: expect.stringMatching(
        new RegExp(`half-done.*stays at schema version ${LATEST_SCHEMA_VERSION}`),
      ) as unknown,
    });
    expect(await readSchemaVersion(connection)).toBe(LATEST_SCHEMA_VERSION);
    expect(await tableNames(connection)).not.toContain('half_done');
    // The database still opens at the version it had.
    const store = t.track(await openStore(t.options));
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
  });

  it('stops at the first failing migration of several, keeping the ones before it', async () => {
    const connection = t.track(openConnection(t.options));
    const extra = (version: number, fail: boolean): Migration => ({
      version,
      name: `extra-${version}`,
      async up(db) {
        await db.schema.createTable(`extra_${version}`).addColumn('id', 'integer').execute();
        if (fail) throw new Error(`boom ${version}`);
      },
    });
    const list = [
      ...storeMigrations,
      extra(LATEST_SCHEMA_VERSION + 1, false),
      extra(LATEST_SCHEMA_VERSION + 2, true),
    ];
    await expect(migrateToLatest(connection, list)).rejects.toMatchObject({
      code: 'STORE_MIGRATION_FAILED',
      message: expect.stringContaining(`boom ${LATEST_SCHEMA_VERSION + 2}`) as unknown,
    });
    expect(await readSchemaVersion(connection)).toBe(LATEST_SCHEMA_VERSION + 1);
    const tables = await tableNames(connection);
    expect(tables).toContain(`extra_${LATEST_SCHEMA_VERSION + 1}`);
    expect(tables).not.toContain(`extra_${LATEST_SCHEMA_VERSION + 2}`);
  });

  it('refuses a migration list with a gap', async () => {
    const connection = t.track(openConnection(t.options));
    const skipped: Migration = {
      version: LATEST_SCHEMA_VERSION + 2,
      name: 'gap',
      up: async () => {},
    };
    await expect(migrateToLatest(connection, [...storeMigrations, skipped])).rejects.toThrow(
      `expected ${LATEST_SCHEMA_VERSION + 1}`,
    );
    expect(await readSchemaVersion(connection).catch(() => 0)).toBe(0);
  });
});
