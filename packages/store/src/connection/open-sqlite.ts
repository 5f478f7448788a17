/** Opens the embedded SQLite database: `<dataDir>/rampart.db`, WAL, a busy timeout, full sync. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RampartError } from '@rampart/core';
import Database from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import type { StoreClock } from '../clock.js';
import type { StoreDatabase } from '../database-schema.js';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';
import { StoreConnection } from './store-connection.js';

/** The database file's name inside `data_dir`. */
export const SQLITE_FILE_NAME = 'rampart.db';

/** Options of {@link openSqlite}. */
export interface OpenSqliteOptions {
  dataDir: string;
  clock: StoreClock;
  busyTimeoutMs: number;
  /** SQLite's `synchronous` setting: `full` survives power loss, `normal` only a killed process. */
  synchronous: 'full' | 'normal';
}

function unusable(file: string, error: unknown): RampartError {
  const reason = error instanceof Error ? error.message : String(error);
  return new RampartError(
    'STORE_FILE_UNUSABLE',
    `cannot open the SQLite database ${file}: ${reason}`,
    {
      source: 'system',
      hint: 'Make data_dir writable by the server (chmod u+rwx DIR) and check that rampart.db is a Rampart database, or point data_dir at another folder.',
      cause: error,
    },
  );
}

/** Opens (creating when missing) the SQLite database in `dataDir`. */
export function openSqlite(options: OpenSqliteOptions): StoreConnection {
  const dataDir = resolve(options.dataDir);
  const file = join(dataDir, SQLITE_FILE_NAME);
  let database: Database.Database;
  try {
    mkdirSync(dataDir, { recursive: true });
    database = new Database(file);
  } catch (error) {
    throw unusable(file, error);
  }
  try {
    // WAL lets readers run beside the one writer. With WAL, `normal` keeps every commit through a
    // killed process but may lose the last ones on power loss; `full` syncs each commit to disk.
    database.pragma('journal_mode = WAL');
    database.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    database.pragma('foreign_keys = ON');
    database.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
  } catch (error) {
    database.close();
    throw unusable(file, error);
  }
  const db = new Kysely<StoreDatabase>({
    dialect: new ImmediateSqliteDialect({ database, busyTimeoutMs: options.busyTimeoutMs }),
  });
  return new StoreConnection({
    db,
    dialect: 'sqlite',
    clock: options.clock,
    location: file,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
  });
}
