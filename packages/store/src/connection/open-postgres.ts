/** Opens a PostgreSQL database through a pg Pool. */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { StoreClock } from '../clock.js';
import type { StoreDatabase } from '../database-schema.js';
import { parsePostgresUrl, redactDatabaseUrl } from './database-url.js';
import { postgresConnectError } from './postgres-errors.js';
import { StoreConnection } from './store-connection.js';

/** Options of {@link openPostgres}. */
export interface OpenPostgresOptions {
  databaseUrl: string;
  clock: StoreClock;
  poolSize: number;
  connectTimeoutMs: number;
}

const JSON_OID = 114;
const JSONB_OID = 3802;
const INT8_OID = 20;

/**
 * JSON columns come back as text, as on SQLite, so one code path parses them; int8 (event
 * sequence numbers, counts) comes back as a number, which holds every value below 2^53.
 */
const storeTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === JSON_OID || oid === JSONB_OID) return (value: string) => value;
    if (oid === INT8_OID) return (value: string) => Number(value);
    const parser: unknown = pg.types.getTypeParser(oid, format ?? 'text');
    return parser;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Opens a pool on `databaseUrl`; it connects on first use. Throws `STORE_URL_INVALID` for a bad URL. */
export function openPostgres(options: OpenPostgresOptions): StoreConnection {
  parsePostgresUrl(options.databaseUrl);
  const shown = redactDatabaseUrl(options.databaseUrl);
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    application_name: 'rampart',
    types: storeTypes,
  });
  // An idle connection that breaks (server restart) is dropped by the pool and reported here;
  // without a listener Node would end the process. The next query opens a new connection.
  pool.on('error', () => undefined);
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  return new StoreConnection({
    db,
    dialect: 'postgres',
    clock: options.clock,
    location: shown,
    ping: async () => {
      try {
        await sql`select 1`.execute(db);
      } catch (error) {
        throw postgresConnectError(error, shown) ?? error;
      }
    },
  });
}
