/**
 * Brings a database to the newest schema: each pending migration in its own transaction, under a
 * lock so that several servers starting together apply each migration once.
 */
import { isRampartError, RampartError } from '@rampart/core';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { StoreConnection } from '../connection/store-connection.js';
import type { StoreDatabase } from '../database-schema.js';
import type { Migration } from './migration.js';
import { storeMigrations } from './store-migrations.js';

/**
 * The PostgreSQL advisory lock held while migrating: this key ("ramp" in ASCII) and the schema the
 * tables go into, so stores in different schemas of one database migrate independently.
 */
const MIGRATION_LOCK_KEY = 0x72616d70;

/** What {@link migrateToLatest} did. */
export interface MigrationOutcome {
  /** The schema version found; 0 for an empty database. */
  from: number;
  /** The schema version now. */
  to: number;
}

/** Takes the migration lock for the rest of the transaction (SQLite holds its write lock already). */
async function lockMigrations(
  trx: Transaction<StoreDatabase>,
  connection: StoreConnection,
): Promise<void> {
  if (connection.dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY}::int4, hashtext(coalesce(current_schema(), '')))`.execute(
      trx,
    );
  }
}

async function currentVersion(trx: Transaction<StoreDatabase>): Promise<number> {
  const row = await trx
    .selectFrom('schema_migrations')
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migration "${migration.name}" has version ${migration.version}; expected ${index + 1} (versions run 1, 2, 3 … without gaps)`,
      );
    }
  });
}

function migrationFailed(
  connection: StoreConnection,
  what: string,
  error: unknown,
  state: string,
): RampartError {
  if (isRampartError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new RampartError(
    'STORE_MIGRATION_FAILED',
    `${what} of ${connection.location} failed: ${reason}; the database stays ${state}`,
    {
      source: 'system',
      hint: 'Fix the cause named in the message (disk space, permissions, a database user allowed to create tables, a search_path naming an existing schema) and start Rampart again.',
      cause: error,
    },
  );
}

/**
 * Applies the migrations the database lacks. Throws `STORE_SCHEMA_TOO_NEW` when the database was
 * written by a newer Rampart, and `STORE_MIGRATION_FAILED` when a migration fails (that migration
 * is rolled back; the ones before it stay applied).
 */
export async function migrateToLatest(
  connection: StoreConnection,
  migrations: readonly Migration[] = storeMigrations,
): Promise<MigrationOutcome> {
  checkOrder(migrations);
  const latest = migrations.length;
  let from: number;
  try {
    from = await connection.write(async (trx) => {
      await lockMigrations(trx, connection);
      await trx.schema
        .createTable('schema_migrations')
        .ifNotExists()
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .execute();
      return currentVersion(trx);
    });
  } catch (error) {
    throw migrationFailed(connection, 'reading the schema version', error, 'unchanged');
  }
  if (from > latest) {
    throw new RampartError(
      'STORE_SCHEMA_TOO_NEW',
      `the database ${connection.location} has schema version ${from}, but this Rampart knows versions up to ${latest}: a newer Rampart wrote it`,
      {
        source: 'user',
        hint: 'Upgrade Rampart to the version that last opened this database; migrations only move forward, so an older Rampart cannot use it.',
      },
    );
  }
  let to = from;
  for (const migration of migrations.slice(from)) {
    try {
      to = await connection.write(async (trx) => {
        await lockMigrations(trx, connection);
        // Another server may have applied it while this one waited for the lock.
        const applied = await currentVersion(trx);
        if (applied >= migration.version) return applied;
        await migration.up(trx, connection.dialect);
        await trx
          .insertInto('schema_migrations')
          .values({
            version: migration.version,
            name: migration.name,
            applied_at: connection.now(),
          })
          .execute();
        return migration.version;
      });
    } catch (error) {
      throw migrationFailed(
        connection,
        `migration ${migration.version} (${migration.name})`,
        error,
        `at schema version ${to}`,
      );
    }
  }
  return { from, to };
}

/** The schema version of an open database (0 when it has none). */
export async function readSchemaVersion(connection: StoreConnection): Promise<number> {
  const row = await connection.db
    .selectFrom('schema_migrations')
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}
