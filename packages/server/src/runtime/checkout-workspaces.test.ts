import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegisteredPipeline } from '@rampart/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestGitRepo } from '../test-support/git-repo.js';
import { CheckoutWorkspaces } from './checkout-workspaces.js';

describe('CheckoutWorkspaces', () => {
  let dir: string;
  let repo: TestGitRepo;
  let first: string;
  let second: string;
  let workspaces: CheckoutWorkspaces;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-workspaces-'));
    repo = new TestGitRepo(join(dir, 'repo'), dir);
    first = repo.commit({ 'app.txt': 'one\n' });
    second = repo.commit({ 'app.txt': 'two\n' });
    const web: RegisteredPipeline = {
      slug: 'web',
      sourceKind: 'path',
      location: repo.dir,
      defaultBranch: 'main',
      createdAt: '2030-01-01T00:00:00.000Z',
      updatedAt: '2030-01-01T00:00:00.000Z',
    };
    workspaces = new CheckoutWorkspaces({
      pipelines: { get: (slug) => Promise.resolve(slug === 'web' ? web : undefined) },
      workDir: join(dir, 'work'),
      pipelineOf: (id) => Promise.resolve(id.startsWith('web:') ? 'web' : 'gone'),
    });
  });
  afterEach(async () => {
    await workspaces.releaseAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks each deployment out once, at its commit, and removes it on release', async () => {
    const [a, again, b] = await Promise.all([
      workspaces.get({ id: 'web:1', commitSha: first, pipelineSlug: 'web' }),
      workspaces.get({ id: 'web:1', commitSha: first }),
      workspaces.get({ id: 'web:2', commitSha: second }),
    ]);
    expect(again).toBe(a);
    expect(b).not.toBe(a);
    expect(readFileSync(join(a, 'app.txt'), 'utf8')).toBe('one\n');
    expect(readFileSync(join(b, 'app.txt'), 'utf8')).toBe('two\n');
    await workspaces.release('web:1');
    expect(existsSync(a)).toBe(false);
    expect(existsSync(b)).toBe(true);
    // Used again after its release (a rollback to it): checked out anew.
    const back = await workspaces.get({ id: 'web:1', commitSha: first });
    expect(readFileSync(join(back, 'app.txt'), 'utf8')).toBe('one\n');
  });

  it('a deployment of a pipeline no longer registered is SOURCE_UNAVAILABLE, and is tried again later', async () => {
    await expect(workspaces.get({ id: 'old:1', commitSha: first })).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      message: expect.stringContaining('"gone" is no longer registered') as unknown,
    });
    await expect(workspaces.get({ id: 'old:1', commitSha: first })).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
    });
  });
});
