/** A numbered, forward-only schema change. */
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../connection/store-dialect.js';
import type { StoreDatabase } from '../database-schema.js';

/**
 * One schema change. Released migrations never change: a new schema means a new migration with the
 * next number. Each runs in its own transaction together with the row that records it.
 */
export interface Migration {
  /** 1, 2, 3 … without gaps. */
  version: number;
  /** A short kebab-case description, recorded beside the version. */
  name: string;
  up(db: Kysely<StoreDatabase>, dialect: StoreDialect): Promise<void>;
}
