import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRampartError } from '@rampart/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from './migrations/store-migrations.js';
import { migrateToLatest } from './migrations/migrate-to-latest.js';
import { openConnection, openStore } from './open-store.js';
import type { OpenStoreOptions } from './open-store.js';
import {
  createPostgresTestSchema,
  postgresForTests,
  urlWithSearchPath,
} from './test-support/postgres-test-database.js';
import { STORE_DIALECTS, useTestDatabase, useTestStore } from './test-support/test-store.js';

/** The RampartError `openStore` fails with. */
async function openError(options: OpenStoreOptions): Promise<Error & Record<string, unknown>> {
  const error = await openStore(options).then(
    async (store) => {
      await store.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  if (!isRampartError(error)) throw new Error(`expected a RampartError, got ${String(error)}`);
  return error as unknown as Error & Record<string, unknown>;
}

/** A local TCP port with nothing listening on it. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 1),
      );
    });
  });
}

describe.each(STORE_DIALECTS)('an open store on $dialect', ({ dialect }) => {
  const t = useTestStore(dialect);

  it('reports its dialect, schema version and location', () => {
    expect(t.store.dialect).toBe(dialect);
    expect(t.store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    if (dialect === 'sqlite') expect(t.store.location).toBe(join(t.options.dataDir, 'rampart.db'));
    else expect(t.store.location).toMatch(/^postgres(ql)?:\/\//);
  });

  it('answers a ping while open and fails once closed', async () => {
    await expect(t.store.ping()).resolves.toBeUndefined();
    await t.store.close();
    await t.store.close();
    await expect(t.store.ping()).rejects.toThrow();
  });
});

describe('SQLite files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-open-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates data_dir and rampart.db in WAL mode', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const store = await openStore({ dataDir });
    await store.close();
    const file = join(dataDir, 'rampart.db');
    expect(existsSync(file)).toBe(true);
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('fails with STORE_FILE_UNUSABLE when data_dir cannot be created', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const error = await openError({ dataDir: join(blocker, 'data') });
    expect(error).toMatchObject({ code: 'STORE_FILE_UNUSABLE', source: 'system' });
    expect(error.message).toContain(join(blocker, 'data', 'rampart.db'));
    expect(error.hint).toMatch(/data_dir/);
  });

  it('fails with STORE_FILE_UNUSABLE when rampart.db is not a database', async () => {
    writeFileSync(join(dir, 'rampart.db'), 'x'.repeat(4096));
    const error = await openError({ dataDir: dir });
    expect(error).toMatchObject({ code: 'STORE_FILE_UNUSABLE' });
    expect(error.message).toMatch(/not a database/);
  });

  it('reports another process holding the write lock past the busy timeout as STORE_BUSY', async () => {
    mkdirSync(dir, { recursive: true });
    const holder = openConnection({ dataDir: dir });
    await migrateToLatest(holder);
    const store = await openStore({ dataDir: dir, busyTimeoutMs: 50 });
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = (): void => undefined;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holding = holder.write(async () => {
      locked();
      await held;
    });
    try {
      await isLocked;
      const error = await store.pipelines
        .register({ slug: 'web', sourceKind: 'path', location: '/r' })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toMatchObject({ code: 'STORE_BUSY', retryable: true });
      // Reads go on while another connection writes (WAL).
      expect(await store.pipelines.list()).toEqual([]);
    } finally {
      release();
      await holding;
      await store.close();
      await holder.close();
    }
  });
});

describe('database URLs', () => {
  const dataDir = join(tmpdir(), 'rampart-unused-data-dir');

  it.each([
    ['mysql://admin:s3cret@db.example/rampart', 'mysql://admin:***@db.example/rampart'],
    ['sqlite:///var/lib/rampart.db', 'sqlite:///var/lib/rampart.db'],
    ['not a url with :s3cret@ inside', 'not a url with :s3cret@ inside'],
    [
      'postgres://admin:s3cret@db.example:99999/rampart',
      'postgres://admin:***@db.example:99999/rampart',
    ],
    ['', ''],
  ])('refuses %j with STORE_URL_INVALID', async (url, shown) => {
    const error = await openError({ dataDir, databaseUrl: url });
    expect(error).toMatchObject({ code: 'STORE_URL_INVALID', source: 'user' });
    expect(error.message).toContain(JSON.stringify(shown));
    if (url.includes('//')) expect(error.message).not.toContain('s3cret');
    expect(error.hint).toMatch(/postgres:\/\/USER:PASSWORD@HOST/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('reports a server that is not listening as STORE_UNREACHABLE, retryable, without the password', async () => {
    const port = await closedPort();
    const error = await openError({
      dataDir,
      databaseUrl: `postgresql://rampart:s3cret@127.0.0.1:${port}/rampart`,
    });
    expect(error).toMatchObject({ code: 'STORE_UNREACHABLE', retryable: true, source: 'system' });
    expect(error.message).toContain(`postgresql://rampart:***@127.0.0.1:${port}/rampart`);
    expect(error.message).not.toContain('s3cret');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.hint).toMatch(/Start PostgreSQL/);
  });
});

describe('PostgreSQL connection failures', () => {
  // Runs only where the test cluster is: useTestDatabase skips these tests otherwise.
  const t = useTestDatabase('postgres');
  const base = (): string => {
    const url = postgresForTests().url;
    if (url === undefined) throw new Error('no PostgreSQL');
    return url;
  };

  it('names a missing database and how to create it', async () => {
    const url = new URL(base());
    url.pathname = '/no_such_database';
    const error = await openError({ dataDir: t.options.dataDir, databaseUrl: url.toString() });
    expect(error).toMatchObject({ code: 'STORE_UNREACHABLE', retryable: false });
    expect(error.message).toMatch(/no_such_database/);
    expect(error.hint).toMatch(/createdb/);
  });

  it('names a refused login', async () => {
    const url = new URL(base());
    url.username = 'nobody_here';
    url.password = 's3cret';
    const error = await openError({ dataDir: t.options.dataDir, databaseUrl: url.toString() });
    expect(error).toMatchObject({ code: 'STORE_UNREACHABLE', retryable: false });
    expect(error.message).toMatch(/refused the login/);
    expect(error.message).not.toContain('s3cret');
    expect(error.hint).toMatch(/user and password/);
  });

  it('reports a search_path naming no schema as a failed migration', async () => {
    const error = await openError({
      dataDir: t.options.dataDir,
      databaseUrl: urlWithSearchPath(base(), 'no_such_schema'),
    });
    expect(error).toMatchObject({ code: 'STORE_MIGRATION_FAILED' });
    expect(error.hint).toMatch(/search_path/);
  });

  it('keeps stores in different schemas of one database apart', async () => {
    const first = t.track(await openStore(t.options));
    await first.pipelines.register({ slug: 'only-here', sourceKind: 'git', location: 'https://x' });
    const schema = await createPostgresTestSchema(base());
    try {
      const second = await openStore({ ...t.options, databaseUrl: schema.url });
      try {
        expect(await second.pipelines.list()).toEqual([]);
        expect(second.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      } finally {
        await second.close();
      }
    } finally {
      await schema.drop();
    }
    expect((await first.pipelines.list()).map((p) => p.slug)).toEqual(['only-here']);
  });
});
