/** Fresh PostgreSQL databases for tests, created in the cluster of tests/support/postgres-global-setup.ts. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** Where the tests' PostgreSQL is, or why there is none. */
export interface PostgresForTests {
  /** A database URL to create test databases from; undefined when PostgreSQL is unavailable. */
  url: string | undefined;
  /** Why PostgreSQL tests skip; undefined when they run. */
  skipReason: string | undefined;
}

/** Reads what the global setup provided (or RAMPART_TEST_DATABASE_URL directly). */
export function postgresForTests(): PostgresForTests {
  const url =
    process.env.RAMPART_TEST_DATABASE_URL || inject('rampartTestDatabaseUrl') || undefined;
  if (url !== undefined) return { url, skipReason: undefined };
  const reason =
    inject('rampartTestPostgresSkipReason') ||
    'no PostgreSQL for tests: RAMPART_TEST_DATABASE_URL is not set and the global setup did not start a cluster';
  if (process.env.RAMPART_TEST_REQUIRE_POSTGRES === '1') {
    throw new Error(
      `${reason}; RAMPART_TEST_REQUIRE_POSTGRES=1 says the PostgreSQL tests must run`,
    );
  }
  return { url: undefined, skipReason: reason };
}

/** A schema made for one test: its own tables in the shared test database. */
export interface PostgresTestSchema {
  /** The base URL with `search_path` set to the schema. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** `baseUrl` with the connection option that makes `schema` the search path. */
export function urlWithSearchPath(baseUrl: string, schema: string): string {
  const url = new URL(baseUrl);
  url.searchParams.delete('options');
  const rest = url.search === '' ? '' : `${url.search.slice(1)}&`;
  url.search = `?${rest}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return url.toString();
}

async function withAdmin<T>(baseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty schema in `baseUrl`'s database. A schema costs well under a millisecond where a
 * database costs hundreds, and separates parallel test files just as well.
 */
export async function createPostgresTestSchema(baseUrl: string): Promise<PostgresTestSchema> {
  const name = `rampart_t_${randomBytes(6).toString('hex')}`;
  await withAdmin(baseUrl, (client) => client.query(`create schema "${name}"`));
  return {
    url: urlWithSearchPath(baseUrl, name),
    name,
    drop: () =>
      withAdmin(baseUrl, (client) => client.query(`drop schema if exists "${name}" cascade`)).then(
        () => undefined,
      ),
  };
}
