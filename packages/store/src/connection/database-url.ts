/** Reading `database_url`: which URLs name PostgreSQL, and how to show one without its password. */
import { RampartError } from '@rampart/core';

/** `url` with its password replaced by `***`, safe for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL: still hide anything between `user:` and `@`.
    return url.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@');
  }
}

/**
 * Checks that `url` is a PostgreSQL URL and returns it parsed; throws `STORE_URL_INVALID` naming
 * the URL without its password otherwise.
 */
export function parsePostgresUrl(url: string): URL {
  const shown = redactDatabaseUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new RampartError(
      'STORE_URL_INVALID',
      `database_url ${JSON.stringify(shown)} is not a valid URL`,
      {
        hint: 'Write it as postgres://USER:PASSWORD@HOST:5432/DATABASE (percent-encode special characters in the password), or remove database_url to use SQLite in data_dir.',
        cause: error,
      },
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new RampartError(
      'STORE_URL_INVALID',
      `database_url ${JSON.stringify(shown)} uses the scheme "${parsed.protocol.slice(0, -1)}"; Rampart stores data in PostgreSQL (postgres:// or postgresql://) or in SQLite`,
      {
        hint: 'Use a postgres://USER:PASSWORD@HOST:5432/DATABASE URL, or remove database_url to keep the SQLite database in data_dir.',
      },
    );
  }
  return parsed;
}
