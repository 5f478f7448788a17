import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
  },
});
