/** One open database as every part of the store uses it: Kysely, the dialect, the clock, transactions. */
import { RampartError } from '@rampart/core';
import type { Kysely, Transaction } from 'kysely';
import type { StoreClock } from '../clock.js';
import type { StoreDatabase } from '../database-schema.js';
import { isSqliteBusy } from './immediate-sqlite-dialect.js';
import type { StoreDialect } from './store-dialect.js';

/** Options of {@link StoreConnection}. */
export interface StoreConnectionOptions {
  db: Kysely<StoreDatabase>;
  dialect: StoreDialect;
  clock: StoreClock;
  /** The SQLite file, or the PostgreSQL URL without its password. */
  location: string;
  /** Checks that the database answers, mapping failures to RampartErrors. */
  ping: () => Promise<void>;
}

/** An open database. */
export class StoreConnection {
  readonly db: Kysely<StoreDatabase>;
  readonly dialect: StoreDialect;
  readonly clock: StoreClock;
  readonly location: string;
  readonly #ping: () => Promise<void>;
  #closing: Promise<void> | undefined;

  constructor(options: StoreConnectionOptions) {
    this.db = options.db;
    this.dialect = options.dialect;
    this.clock = options.clock;
    this.location = options.location;
    this.#ping = options.ping;
  }

  /** The current time in the stored form. */
  now(): string {
    return this.clock.now().toISOString();
  }

  /**
   * Runs `work` in a write transaction: all or nothing. On SQLite it holds the database's write
   * lock from the start (`BEGIN IMMEDIATE`); on PostgreSQL it is a READ COMMITTED transaction whose
   * statements lock the rows they change.
   */
  async write<T>(work: (trx: Transaction<StoreDatabase>) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(work);
    } catch (error) {
      if (this.dialect === 'sqlite' && isSqliteBusy(error)) {
        throw new RampartError(
          'STORE_BUSY',
          `the SQLite database ${this.location} stayed locked by another process`,
          {
            source: 'system',
            retryable: true,
            hint: 'Run one Rampart server per data_dir; several servers need PostgreSQL (database_url).',
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  /** Checks that the database answers. */
  ping(): Promise<void> {
    return this.#ping();
  }

  /** Closes the database; later calls wait for the first. */
  close(): Promise<void> {
    this.#closing ??= this.db.destroy();
    return this.#closing;
  }
}
