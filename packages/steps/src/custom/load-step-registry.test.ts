import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRampartError } from '@rampart/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStepRegistry } from './load-step-registry.js';

// Typed asymmetric matchers: vitest types them `any`.
const containing = (text: string): string => expect.stringContaining(text) as string;
const matching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

/** A registry whose build counts its runs in `counter` and whose metadata names `type`. */
function writeRegistry(folder: string, counter: string, type: string, build = 'ok'): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'package.json'),
    JSON.stringify({
      scripts: {
        'build-step-registry': 'node build.mjs',
        'start-step-registry': 'node dist/p.mjs',
      },
    }),
  );
  writeFileSync(
    join(folder, 'build.mjs'),
    build === 'ok'
      ? `import { appendFileSync, mkdirSync, copyFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(counter)}, 'built\\n');
mkdirSync('dist', { recursive: true });
copyFileSync('p.mjs', 'dist/p.mjs');`
      : `console.error('tsc: cannot find module'); process.exit(2);`,
  );
  writeFileSync(
    join(folder, 'p.mjs'),
    `import { writeFileSync } from 'node:fs';
const out = process.argv[process.argv.indexOf('--output') + 1];
writeFileSync(out, JSON.stringify(${JSON.stringify(
      type === 'bad'
        ? { status: 'SUCCESS', metadata: {} }
        : {
            status: 'SUCCESS',
            metadata: { steps: [{ type, paramsSchema: { type: 'object' } }] },
          },
    )}));`,
  );
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isRampartError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  })
    .toString()
    .trim();

describe('loadStepRegistry', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-registry-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds a folder registry in a private copy and reads its metadata', async () => {
    const source = join(dir, 'folder');
    const counter = join(dir, 'folder-builds');
    writeRegistry(source, counter, 'FOLDER_STEP');
    const loaded = await loadStepRegistry(
      { path: 'folder' },
      {
        cacheDir: join(dir, 'cache'),
        baseDir: dir,
      },
    );
    expect(loaded.steps.map((s) => s.type)).toEqual(['CUSTOM:FOLDER_STEP']);
    expect(existsSync(join(loaded.dir, 'dist/p.mjs'))).toBe(true);
    // The configured folder itself is never written to.
    expect(existsSync(join(source, 'dist'))).toBe(false);
  }, 60_000);

  it('builds a git registry once per commit', async () => {
    const repo = join(dir, 'repo');
    const counter = join(dir, 'git-builds');
    writeRegistry(repo, counter, 'GIT_STEP');
    git(repo, 'init', '--quiet', '--initial-branch=main');
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'v1');
    const first = git(repo, 'rev-parse', 'HEAD');
    const options = { cacheDir: join(dir, 'cache') };
    const loaded = await loadStepRegistry({ git: repo }, options);
    expect([loaded.commit, loaded.steps.map((s) => s.type)]).toEqual([first, ['CUSTOM:GIT_STEP']]);
    await loadStepRegistry({ git: repo, ref: 'main' }, options);
    expect(readFileSync(counter, 'utf8')).toBe('built\n');

    writeRegistry(repo, counter, 'GIT_STEP_V2');
    git(repo, 'commit', '--quiet', '-am', 'v2');
    const second = await loadStepRegistry({ git: repo, ref: 'main' }, options);
    expect(second.steps.map((s) => s.type)).toEqual(['CUSTOM:GIT_STEP_V2']);
    expect(readFileSync(counter, 'utf8')).toBe('built\nbuilt\n');
    // An older commit is still served from its cached build.
    const old = await loadStepRegistry({ git: repo, ref: first }, options);
    expect([old.commit, old.steps.map((s) => s.type)]).toEqual([first, ['CUSTOM:GIT_STEP']]);
    expect(readFileSync(counter, 'utf8')).toBe('built\nbuilt\n');

    expect(await failure(loadStepRegistry({ git: repo, ref: 'nope' }, options))).toMatchObject({
      code: 'STEP_REGISTRY_UNAVAILABLE',
      message: containing('ref "nope" is not a branch, tag or commit'),
    });
    expect(
      await failure(loadStepRegistry({ git: join(dir, 'no-such-repo') }, options)),
    ).toMatchObject({
      code: 'STEP_REGISTRY_UNAVAILABLE',
      message: containing('git clone failed'),
    });
  }, 120_000);

  it('says why a registry cannot be used', async () => {
    const options = { cacheDir: join(dir, 'cache'), baseDir: dir };
    expect(await failure(loadStepRegistry({ path: 'missing' }, options))).toMatchObject({
      code: 'STEP_REGISTRY_UNAVAILABLE',
      message: containing('is not a folder with a package.json'),
    });
    mkdirSync(join(dir, 'no-scripts'));
    writeFileSync(
      join(dir, 'no-scripts/package.json'),
      '{"scripts":{"build-step-registry":"true"}}',
    );
    expect(await failure(loadStepRegistry({ path: 'no-scripts' }, options))).toMatchObject({
      code: 'STEP_REGISTRY_UNAVAILABLE',
      message: containing('package.json has no "start-step-registry" script'),
    });
    writeRegistry(join(dir, 'broken'), join(dir, 'x'), 'X', 'fail');
    expect(await failure(loadStepRegistry({ path: 'broken' }, options))).toMatchObject({
      code: 'STEP_REGISTRY_BUILD_FAILED',
      message: matching(
        /npm run build-step-registry exited with code 2;[\s\S]*tsc: cannot find module/,
      ),
    });
    writeRegistry(join(dir, 'bad-metadata'), join(dir, 'y'), 'bad');
    expect(await failure(loadStepRegistry({ path: 'bad-metadata' }, options))).toMatchObject({
      code: 'STEP_REGISTRY_METADATA_INVALID',
      message: containing('metadata.steps'),
    });
  }, 120_000);
});
