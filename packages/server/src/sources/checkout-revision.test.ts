import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutRevision } from './checkout-revision.js';

let root: string;
let repo: string;
let first: string;
let second: string;

function run(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: root,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.invalid',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.invalid',
    },
  })
    .toString()
    .trim();
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rampart-checkout-'));
  repo = join(root, 'repo');
  mkdirSync(join(repo, '.rampart', 'web'), { recursive: true });
  run(repo, 'init', '--quiet', '--initial-branch', 'main');
  writeFileSync(join(repo, '.rampart', 'web', 'pipeline.yaml'), 'revision: 1\n');
  run(repo, 'add', '.');
  run(repo, 'commit', '--quiet', '-m', 'one');
  first = run(repo, 'rev-parse', 'HEAD');
  run(repo, 'checkout', '--quiet', '-b', 'feature');
  writeFileSync(join(repo, '.rampart', 'web', 'pipeline.yaml'), 'revision: 2\n');
  run(repo, 'commit', '--quiet', '-am', 'two');
  second = run(repo, 'rev-parse', 'HEAD');
  run(repo, 'checkout', '--quiet', 'main');
  // Uncommitted edits never reach a deployment.
  writeFileSync(join(repo, '.rampart', 'web', 'pipeline.yaml'), 'dirty\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const content = (dir: string) =>
  readFileSync(join(dir, '.rampart', 'web', 'pipeline.yaml'), 'utf8');

describe.each(['path', 'git'] as const)('checkoutRevision from a %s source', (kind) => {
  const work = () => join(root, `work-${kind}`);
  const source = () => ({ kind, location: repo });

  it('extracts the default branch, a named branch and a commit, each in its own directory', async () => {
    const main = await checkoutRevision(source(), {}, work());
    expect(main).toMatchObject({ commitSha: first, branch: 'main' });
    expect(content(main.dir)).toBe('revision: 1\n');
    const feature = await checkoutRevision(source(), { branch: 'feature' }, work());
    expect(feature.commitSha).toBe(second);
    expect(content(feature.dir)).toBe('revision: 2\n');
    const bySha = await checkoutRevision(source(), { sha: second.slice(0, 10) }, work());
    expect(bySha.commitSha).toBe(second);
    expect(bySha.branch).toBeUndefined();
    expect(bySha.dir).not.toBe(feature.dir);
    await main.release();
    expect(existsSync(main.dir)).toBe(false);
  });

  it('names the missing branch or commit', async () => {
    await expect(checkoutRevision(source(), { branch: 'nope' }, work())).rejects.toMatchObject({
      code: 'SOURCE_REVISION_NOT_FOUND',
      message: expect.stringContaining('branch "nope"') as unknown,
    });
    await expect(checkoutRevision(source(), { sha: 'f'.repeat(40) }, work())).rejects.toMatchObject(
      {
        code: 'SOURCE_REVISION_NOT_FOUND',
      },
    );
  });
});

describe('checkoutRevision sources that cannot be read', () => {
  it('reports a missing path and an unreachable git URL', async () => {
    await expect(
      checkoutRevision({ kind: 'path', location: join(root, 'missing') }, {}, join(root, 'w')),
    ).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    await expect(
      checkoutRevision({ kind: 'git', location: join(root, 'missing.git') }, {}, join(root, 'w')),
    ).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE', retryable: true });
  });

  it('sees new commits of a git source on the next checkout', async () => {
    const work = join(root, 'work-fetch');
    const before = await checkoutRevision(
      { kind: 'git', location: repo },
      { branch: 'feature' },
      work,
    );
    run(repo, 'checkout', '--quiet', '--force', 'feature');
    writeFileSync(join(repo, '.rampart', 'web', 'pipeline.yaml'), 'revision: 3\n');
    run(repo, 'commit', '--quiet', '-am', 'three');
    const third = run(repo, 'rev-parse', 'HEAD');
    run(repo, 'checkout', '--quiet', 'main');
    const after = await checkoutRevision(
      { kind: 'git', location: repo },
      { branch: 'feature' },
      work,
    );
    expect(before.commitSha).toBe(second);
    expect(after.commitSha).toBe(third);
    expect(content(after.dir)).toBe('revision: 3\n');
  });
});
