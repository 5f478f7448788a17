import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import type * as VitestNode from 'vitest/node';
import { slowFirstSequencer } from './tests/support/slow-first-sequencer.js';

// A computed specifier: the lint's import resolver (import-x with the legacy node resolver) throws
// on a value import of `vitest/node`.
const vitestNode = 'vitest/node';
const { BaseSequencer } = (await import(vitestNode)) as typeof VitestNode;

const src = (pkg: string): string =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@rampart/core': src('core'),
      '@rampart/aws': src('aws'),
      '@rampart/aws-sandbox': src('aws-sandbox'),
      '@rampart/identity': src('identity'),
      '@rampart/engine': src('engine'),
      '@rampart/store': src('store'),
      '@rampart/protocol': src('protocol'),
      '@rampart/steps': src('steps'),
      '@rampart/artifacts': src('artifacts'),
      '@rampart/server': src('server'),
      '@rampart/demo': src('demo'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/tests/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'tests/aws/**'],
    testTimeout: 30_000,
    // A throwaway PostgreSQL cluster for the tests that run on both databases (packages/store …).
    globalSetup: ['tests/support/postgres-global-setup.ts'],
    // Speed on the 2-core CI machine (docs/benchmarks.md, "Test suite"). Vitest's default is
    // cores − 1 workers, one here, and a fresh process per test file, which spent about half of
    // the run importing modules again (SDK clients, the sandbox, zod schemas) for 270+ files.
    // Two workers overlap one file's waits (processes, HTTP, PostgreSQL) with another's work, and
    // a worker reused across files keeps its imported modules. Tests must therefore leave no
    // process-wide state behind (env vars, listeners, timers): restore what you change.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    isolate: false,
    // Known long files first, so that a fresh clone (no timings of a last run) does not end on one.
    sequence: { sequencer: slowFirstSequencer(BaseSequencer) },
  },
});
