/**
 * Kysely's SQLite dialect with write transactions that take the write lock up front
 * (`BEGIN IMMEDIATE`), so a transaction that reads and then writes never fails half-way because
 * another connection wrote in between. Waiting for the lock is done with async retries instead of
 * SQLite's busy handler, which would block the event loop and, with two connections in one
 * process, wait for a lock only this same thread could release.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, Driver } from 'kysely';

/** Options of {@link ImmediateSqliteDialect}. */
export interface ImmediateSqliteDialectOptions {
  database: Database.Database;
  /** How long to wait for another connection's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs: number;
}

/** Whether `error` is SQLite reporting a lock held by another connection. */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  );
}

/** Longest pause between two attempts to take the write lock. */
const MAX_RETRY_DELAY_MS = 25;

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #options: ImmediateSqliteDialectOptions;

  constructor(options: ImmediateSqliteDialectOptions) {
    super({ database: options.database });
    this.#options = options;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const { database, busyTimeoutMs } = this.#options;
    const deadline = performance.now() + busyTimeoutMs;
    let pause = 1;
    // Kysely's SQLite driver has one connection behind a mutex, which this transaction holds, so
    // changing the connection's busy timeout here affects no other query.
    database.pragma('busy_timeout = 0');
    try {
      for (;;) {
        try {
          await connection.executeQuery(CompiledQuery.raw('begin immediate'));
          return;
        } catch (error) {
          if (!isSqliteBusy(error) || performance.now() >= deadline) throw error;
        }
        await delay(pause);
        pause = Math.min(pause * 2, MAX_RETRY_DELAY_MS);
      }
    } finally {
      database.pragma(`busy_timeout = ${busyTimeoutMs}`);
    }
  }
}

/** SQLite through better-sqlite3 with immediate write transactions. */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #options: ImmediateSqliteDialectOptions;

  constructor(options: ImmediateSqliteDialectOptions) {
    super({ database: options.database });
    this.#options = options;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#options);
  }
}
