// Lint rules, including the layer boundaries of docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = import.meta.dirname;
const packages = readdirSync(join(root, 'packages'));

/** Modules that pure packages (core, engine) must never import. */
const impureModules = [
  '@aws-sdk/*',
  '@smithy/*',
  'better-sqlite3',
  'pg',
  'kysely',
  'hono',
  '@hono/*',
  'fastify',
  'express',
  'node:http',
  'node:https',
  'node:net',
  'node:timers',
  'node:timers/promises',
  'node:child_process',
  'http',
  'https',
  'net',
  'timers',
  'child_process',
];

/** Rules that keep time and randomness behind ports in pure packages. */
const pureRules = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: impureModules,
          message: 'core and engine are pure: reach AWS, databases, HTTP and timers through ports.',
        },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'fetch'].map(
      (name) => ({ name, message: 'Pure packages take time and I/O through ports (Clock, …).' }),
    ),
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Use the Clock port.' },
    { object: 'Math', property: 'random', message: 'Pass randomness in explicitly.' },
    { object: 'DateTime', property: 'now', message: 'Use the Clock port.' },
    { object: 'DateTime', property: 'local', message: 'Use the Clock port.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'new Date() reads the wall clock: use the Clock port.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      'packages/cli/bundle/**',
      '**/node_modules/**',
      'coverage/**',
      '**/*.d.ts',
      'examples/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.tests.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver': { node: true },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  // Each package may import only what its own package.json lists; tests may also use the root's devDependencies.
  ...packages.map((pkg) => ({
    files: [`packages/${pkg}/**/*.ts`],
    rules: {
      'import-x/no-extraneous-dependencies': [
        'error',
        {
          packageDir: [join(root, 'packages', pkg), root],
          devDependencies: ['**/*.test.ts', '**/tests/**', '**/test-support/**'],
          includeInternal: false,
        },
      ],
    },
  })),
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
      },
    },
  },
  {
    files: ['packages/core/src/**/*.ts', 'packages/engine/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: pureRules,
  },
  prettier,
);
