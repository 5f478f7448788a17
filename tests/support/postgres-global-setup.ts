/**
 * Vitest global setup: a throwaway PostgreSQL cluster for the tests that run on PostgreSQL, so
 * `npm test` needs no database set up by hand. Skipped when RAMPART_TEST_DATABASE_URL names a
 * database already. Without PostgreSQL binaries the PostgreSQL tests skip with the reason, unless
 * RAMPART_TEST_REQUIRE_POSTGRES=1 (CI), which makes that an error.
 */
import { execFile } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL database the tests may create further databases from; '' when there is none. */
    rampartTestDatabaseUrl: string;
    /** Why there is no PostgreSQL database for the tests; '' when there is one. */
    rampartTestPostgresSkipReason: string;
  }
}

const run = promisify(execFile);

/** Cluster directories in the temp dir start with this. */
const CLUSTER_PREFIX = 'rampart-pg-';

/** The file in a cluster directory that holds the process id of the test run that owns it. */
const OWNER_FILE = 'owner.pid';

/**
 * The directory holding initdb, pg_ctl and createdb: RAMPART_PG_BIN, PATH, or Debian's versioned
 * folders. A symlinked initdb (/usr/local/bin/initdb) leads to the folder it points into.
 */
function findPostgresBin(): string | undefined {
  const found = findInitdbDir();
  return found === undefined ? undefined : dirname(realpathSync(join(found, 'initdb')));
}

function findInitdbDir(): string | undefined {
  const has = (dir: string): boolean =>
    existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  const fromEnv = process.env.RAMPART_PG_BIN;
  if (fromEnv !== undefined && fromEnv !== '') return has(fromEnv) ? fromEnv : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter))
    if (dir !== '' && has(dir)) return dir;
  const debian = '/usr/lib/postgresql';
  if (!existsSync(debian)) return undefined;
  const versions = readdirSync(debian)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(debian, v, 'bin')).find(has);
}

/** The uid and gid of the `postgres` user, read from /etc/passwd. */
function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('postgres:'));
    const fields = line?.split(':');
    if (fields?.[2] === undefined || fields[3] === undefined) return undefined;
    return { uid: Number(fields[2]), gid: Number(fields[3]) };
  } catch {
    return undefined;
  }
}

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Whether a process with this id is alive. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Stops and removes clusters left behind by test runs that were killed before their teardown:
 * each cluster directory names the test run that owns it.
 */
async function removeOrphanedClusters(
  exec: (tool: string, args: string[]) => Promise<unknown>,
): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(CLUSTER_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // Being created right now, or not ours.
    }
    if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) continue;
    await exec('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']).catch(
      () => undefined,
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const given = process.env.RAMPART_TEST_DATABASE_URL;
  if (given !== undefined && given !== '') {
    project.provide('rampartTestDatabaseUrl', given);
    project.provide('rampartTestPostgresSkipReason', '');
    return;
  }

  const skip = (reason: string): void => {
    if (process.env.RAMPART_TEST_REQUIRE_POSTGRES === '1') {
      throw new Error(
        `${reason}; RAMPART_TEST_REQUIRE_POSTGRES=1 says the PostgreSQL tests must run here`,
      );
    }
    process.env.RAMPART_TEST_POSTGRES_SKIP_REASON = reason;
    project.provide('rampartTestDatabaseUrl', '');
    project.provide('rampartTestPostgresSkipReason', reason);
  };

  const bin = findPostgresBin();
  if (bin === undefined) {
    skip(
      'PostgreSQL binaries (initdb, pg_ctl) not found: install PostgreSQL 15 (apt-get install postgresql-15), set RAMPART_PG_BIN, or set RAMPART_TEST_DATABASE_URL',
    );
    return;
  }
  // PostgreSQL refuses to run as root, so root runs it as the postgres user.
  const isRoot = process.getuid?.() === 0;
  const user = isRoot ? postgresUser() : undefined;
  if (isRoot && user === undefined) {
    skip('running as root and there is no postgres user to run the PostgreSQL server as');
    return;
  }
  const exec = (tool: string, args: string[]): Promise<{ stdout: string; stderr: string }> =>
    isRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args])
      : run(join(bin, tool), args);

  await removeOrphanedClusters(exec);
  const dir = mkdtempSync(join(tmpdir(), CLUSTER_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  if (user !== undefined) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const port = await freePort();
  const stop = async (): Promise<void> => {
    await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await exec('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
    // Throwaway data: no fsync, small buffers, room for parallel test files' pools.
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c shared_buffers=16MB',
      '-c max_connections=300',
    ].join(' ');
    await exec('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', settings, 'start']);
    await exec('createdb', ['-h', dir, '-p', String(port), '-U', 'postgres', 'rampart_test']);
  } catch (error) {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    await stop();
    throw new Error(
      `could not start the test PostgreSQL cluster in ${dir}: ${String(error)}\n${serverLog}`,
      { cause: error },
    );
  }
  const url = `postgresql://postgres@127.0.0.1:${port}/rampart_test`;
  process.env.RAMPART_TEST_DATABASE_URL = url;
  project.provide('rampartTestDatabaseUrl', url);
  project.provide('rampartTestPostgresSkipReason', '');
  return stop;
}
