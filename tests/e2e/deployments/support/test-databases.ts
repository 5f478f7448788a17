/**
 * The two databases every scenario runs on: SQLite in the suite's data_dir, and a fresh schema in
 * the PostgreSQL cluster of tests/support/postgres-global-setup.ts (as the store's tests do).
 */
import {
  createPostgresTestSchema,
  postgresForTests,
} from '../../../../packages/store/src/test-support/postgres-test-database.js';

/** Which database a suite runs on. */
export type DatabaseKind = 'sqlite' | 'postgres';

/** Both, for `describe.each`. */
export const DATABASES: readonly { database: DatabaseKind }[] = [
  { database: 'sqlite' },
  { database: 'postgres' },
];

/** A database for one suite: `databaseUrl` for the config (none: SQLite in data_dir). */
export interface SuiteDatabase {
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

/** The suite's database, or why the suite must skip (PostgreSQL unavailable). */
export async function createSuiteDatabase(
  kind: DatabaseKind,
): Promise<SuiteDatabase | { skip: string }> {
  if (kind === 'sqlite') return { databaseUrl: undefined, drop: () => Promise.resolve() };
  const postgres = postgresForTests();
  if (postgres.url === undefined) return { skip: postgres.skipReason ?? 'no PostgreSQL' };
  const schema = await createPostgresTestSchema(postgres.url);
  return { databaseUrl: schema.url, drop: () => schema.drop() };
}
