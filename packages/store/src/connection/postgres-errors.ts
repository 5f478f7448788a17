/** Turns the errors of connecting to PostgreSQL into RampartErrors that say what to fix. */
import { RampartError } from '@rampart/core';

/** Socket errors after which trying again later may work. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOENT',
]);

/** PostgreSQL's SQLSTATEs for a refused login. */
const LOGIN_CODES = new Set(['28000', '28P01']);

/** SQLSTATE: the database does not exist. */
const NO_DATABASE = '3D000';

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A RampartError for a failed connection to `shownUrl` (already without its password), or
 * undefined when `error` is not about connecting.
 */
export function postgresConnectError(error: unknown, shownUrl: string): RampartError | undefined {
  const code = errorCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  const prefix = `cannot connect to PostgreSQL at ${shownUrl}`;
  if (code !== undefined && LOGIN_CODES.has(code)) {
    return new RampartError(
      'STORE_UNREACHABLE',
      `${prefix}: the server refused the login (${reason})`,
      {
        source: 'user',
        hint: 'Check the user and password in database_url, and that pg_hba.conf lets this host connect.',
        cause: error,
      },
    );
  }
  if (code === NO_DATABASE) {
    return new RampartError('STORE_UNREACHABLE', `${prefix}: ${reason}`, {
      source: 'user',
      hint: 'Create the database (createdb NAME) or fix its name at the end of database_url.',
      cause: error,
    });
  }
  const timedOut = /timeout/i.test(reason) && /connect/i.test(reason);
  if ((code !== undefined && NETWORK_CODES.has(code)) || timedOut) {
    return new RampartError(
      'STORE_UNREACHABLE',
      `${prefix}: ${reason}${code === undefined || reason.includes(code) ? '' : ` (${code})`}`,
      {
        source: 'system',
        retryable: true,
        hint: 'Start PostgreSQL, or fix the host and port in database_url; check that a firewall lets this machine reach it.',
        cause: error,
      },
    );
  }
  return undefined;
}
