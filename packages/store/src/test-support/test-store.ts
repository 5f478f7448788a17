/**
 * The harness every store test uses: `describe.each(STORE_DIALECTS)` with `useTestStore(dialect)`
 * (a fresh, migrated store per test) or `useTestDatabase(dialect)` (an empty database per test), on
 * SQLite (a temp dir) or PostgreSQL (a new schema in the test cluster).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { StoreDialect } from '../connection/store-dialect.js';
import { openStore } from '../open-store.js';
import type { OpenStoreOptions } from '../open-store.js';
import type { RampartStore } from '../rampart-store.js';
import { ManualClock } from './manual-clock.js';
import { createPostgresTestSchema, postgresForTests } from './postgres-test-database.js';

/** Both dialects, for `describe.each`. */
export const STORE_DIALECTS: readonly { dialect: StoreDialect }[] = [
  { dialect: 'sqlite' },
  { dialect: 'postgres' },
];

/** Something a test opened that must be closed after it. */
interface Closeable {
  close(): Promise<void>;
}

/** What a test gets from {@link useTestDatabase}. */
export interface TestDatabase {
  /** Options that open this test's database, with this test's clock. */
  readonly options: OpenStoreOptions & { clock: ManualClock };
  readonly clock: ManualClock;
  /** Closes `resource` after the test (before the database is thrown away); returns it. */
  track<T extends Closeable>(resource: T): T;
}

/** What a test gets from {@link useTestStore}. */
export interface TestStore extends TestDatabase {
  /** The store opened for this test. */
  readonly store: RampartStore;
  /** Opens one more store on this test's database, as a second server would. */
  openAnother(extra?: Partial<OpenStoreOptions>): Promise<RampartStore>;
}

/** Options for an empty database of `dialect` and how to throw it away, or why it cannot be had. */
export async function createTestDatabase(
  dialect: StoreDialect,
): Promise<{ options: OpenStoreOptions; cleanup: () => Promise<void> } | { skip: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-store-'));
  const removeDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'sqlite') {
    return { options: { dataDir }, cleanup: () => Promise.resolve(removeDir()) };
  }
  const postgres = postgresForTests();
  if (postgres.url === undefined) {
    removeDir();
    return { skip: postgres.skipReason ?? 'PostgreSQL unavailable' };
  }
  const schema = await createPostgresTestSchema(postgres.url);
  return {
    options: { dataDir, databaseUrl: schema.url },
    cleanup: async () => {
      await schema.drop();
      removeDir();
    },
  };
}

function outsideTest(): never {
  throw new Error('the test database exists only inside a test');
}

/** Registers hooks that give each test of the surrounding describe an empty database. */
export function useTestDatabase(dialect: StoreDialect): TestDatabase {
  let options: (OpenStoreOptions & { clock: ManualClock }) | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  const opened: Closeable[] = [];

  beforeEach(async (context) => {
    const database = await createTestDatabase(dialect);
    if ('skip' in database) {
      context.skip(database.skip);
      return;
    }
    options = { ...database.options, clock: new ManualClock() };
    cleanup = database.cleanup;
  });

  afterEach(async () => {
    for (const resource of opened.splice(0).reverse()) await resource.close();
    await cleanup?.();
    options = undefined;
    cleanup = undefined;
  });

  return {
    get options() {
      return options ?? outsideTest();
    },
    get clock() {
      return (options ?? outsideTest()).clock;
    },
    track(resource) {
      opened.push(resource);
      return resource;
    },
  };
}

/** Registers hooks that give each test of the surrounding describe a fresh, migrated store. */
export function useTestStore(dialect: StoreDialect): TestStore {
  const database = useTestDatabase(dialect);
  let store: RampartStore | undefined;

  beforeEach(async () => {
    store = database.track(await openStore(database.options));
  });

  afterEach(() => {
    store = undefined;
  });

  return {
    get options() {
      return database.options;
    },
    get clock() {
      return database.clock;
    },
    track: (resource) => database.track(resource),
    get store() {
      return store ?? outsideTest();
    },
    async openAnother(extra = {}) {
      return database.track(await openStore({ ...database.options, ...extra }));
    },
  };
}
