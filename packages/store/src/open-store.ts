/** Opens the store the configuration names and brings its schema up to date. */
import { systemClock } from './clock.js';
import type { StoreClock } from './clock.js';
import { openPostgres } from './connection/open-postgres.js';
import { openSqlite } from './connection/open-sqlite.js';
import type { StoreConnection } from './connection/store-connection.js';
import { migrateToLatest } from './migrations/migrate-to-latest.js';
import { RampartStore } from './rampart-store.js';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /**
   * `postgres://` or `postgresql://` URL (`database_url`). Absent: SQLite in `dataDir`.
   * @default undefined
   */
  databaseUrl?: string;
  /** The server's `data_dir`; holds `rampart.db` when no `databaseUrl` is given. */
  dataDir: string;
  /** Time for default due times, commit times and token use. @default the system clock */
  clock?: StoreClock;
  /** SQLite: how long to wait for another process's write lock. @default 5000 */
  busyTimeoutMs?: number;
  /**
   * SQLite: `full` syncs each commit to disk so it survives power loss; `normal` (faster) keeps
   * commits through a killed process but may lose the last ones on power loss.
   * @default 'full'
   */
  sqliteSynchronous?: 'full' | 'normal';
  /** PostgreSQL: the most connections the pool opens. @default 10 */
  poolSize?: number;
  /** PostgreSQL: how long to wait for a connection. @default 10000 */
  connectTimeoutMs?: number;
}

/** Opens the SQLite or PostgreSQL database without migrating it. */
export function openConnection(options: OpenStoreOptions): StoreConnection {
  const clock = options.clock ?? systemClock;
  if (options.databaseUrl === undefined) {
    return openSqlite({
      dataDir: options.dataDir,
      clock,
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      synchronous: options.sqliteSynchronous ?? 'full',
    });
  }
  return openPostgres({
    databaseUrl: options.databaseUrl,
    clock,
    poolSize: options.poolSize ?? 10,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
  });
}

/**
 * Opens the store: SQLite at `<dataDir>/rampart.db` (WAL) or PostgreSQL at `databaseUrl`, and runs
 * the migrations it lacks. Throws a RampartError with a `STORE_` code when the URL is bad, the
 * database cannot be reached or opened, or a newer Rampart wrote it.
 */
export async function openStore(options: OpenStoreOptions): Promise<RampartStore> {
  const connection = openConnection(options);
  try {
    await connection.ping();
    const { to } = await migrateToLatest(connection);
    return new RampartStore(connection, to);
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
