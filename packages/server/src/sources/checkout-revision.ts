// Where a revision's files come from: a registered pipeline's repository (a local path or a git
// URL) at one commit, extracted into a private directory so the deployment never sees later edits.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RampartError } from '@rampart/core';
import { git, GitError } from './git.js';

/** Where a registered pipeline's files live. */
export interface PipelineSourceSpec {
  kind: 'path' | 'git';
  /** A directory (kind `path`) or anything `git clone` accepts (kind `git`). */
  location: string;
  /** The branch deployed when a request names neither a commit nor a branch. @default 'main' */
  defaultBranch?: string;
}

/** Which revision to check out. */
export interface RevisionRequest {
  /** A full or abbreviated commit id. */
  sha?: string;
  branch?: string;
}

/** A revision's files, extracted. */
export interface CheckedOutRevision {
  /** The full commit id. */
  commitSha: string;
  /** The branch that was resolved, when one was. */
  branch?: string;
  /** The directory holding the commit's files. */
  dir: string;
  /** Removes the directory. */
  release(): Promise<void>;
}

/**
 * Checks out one commit of a pipeline's repository into a new directory under `workDir`. Git
 * URLs are mirrored under `<workDir>/repos/` and fetched on each call; local paths must be git
 * repositories.
 */
export async function checkoutRevision(
  source: PipelineSourceSpec,
  request: RevisionRequest,
  workDir: string,
): Promise<CheckedOutRevision> {
  const repo = source.kind === 'git' ? await mirror(source.location, workDir) : localRepo(source);
  const wanted = request.sha ?? request.branch ?? source.defaultBranch ?? 'main';
  const ref = request.sha === undefined && source.kind === 'git' ? `refs/heads/${wanted}` : wanted;
  let commitSha: string;
  try {
    commitSha = (await git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch (error: unknown) {
    throw new RampartError(
      'SOURCE_REVISION_NOT_FOUND',
      `${request.sha !== undefined ? 'commit' : 'branch'} "${wanted}" does not exist in ${source.location}`,
      {
        hint:
          request.sha !== undefined
            ? 'Push the commit first, or pass a commit id that exists (git log).'
            : 'Pass --branch with an existing branch, or --sha with a commit id.',
        cause: error,
      },
    );
  }
  const dir = await mkdtemp(
    join(await ensureDir(join(workDir, 'checkouts')), `${commitSha.slice(0, 12)}-`),
  );
  try {
    await extract(repo, commitSha, dir);
  } catch (error: unknown) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    commitSha,
    ...(request.sha === undefined ? { branch: wanted } : {}),
    dir,
    release: () => rm(dir, { recursive: true, force: true }),
  };
}

function localRepo(source: PipelineSourceSpec): string {
  const dir = resolve(source.location);
  if (!existsSync(dir)) {
    throw new RampartError('SOURCE_UNAVAILABLE', `the pipeline source ${dir} does not exist`, {
      hint: 'Register the pipeline again with the path of its repository.',
    });
  }
  return dir;
}

/**
 * The git repository a pipeline's revisions come from, with their history: the mirror under
 * `<workDir>/repos/` (made by the first checkout) or the local path. Nothing is fetched.
 */
export function sourceRepository(source: PipelineSourceSpec, workDir: string): string {
  return source.kind === 'git' ? mirrorPath(source.location, workDir) : resolve(source.location);
}

function mirrorPath(url: string, workDir: string): string {
  const name = createHash('sha256').update(url).digest('hex').slice(0, 16);
  return join(workDir, 'repos', `${name}.git`);
}

async function mirror(url: string, workDir: string): Promise<string> {
  await ensureDir(join(workDir, 'repos'));
  const repo = mirrorPath(url, workDir);
  try {
    if (!existsSync(repo)) {
      await git(workDir, ['clone', '--mirror', '--quiet', url, repo]);
    } else {
      await git(repo, ['fetch', '--prune', '--quiet', 'origin']);
    }
  } catch (error: unknown) {
    throw new RampartError('SOURCE_UNAVAILABLE', `cannot fetch ${url}: ${errorText(error)}`, {
      hint: 'Check the URL and that this server can reach it without a password prompt (deploy key or token in the URL).',
      retryable: true,
      cause: error,
    });
  }
  return repo;
}

/** `git archive <sha> | tar -x -C dir`, streamed. */
function extract(repo: string, sha: string, dir: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', sha], { cwd: repo });
    const tar = spawn('tar', ['-x', '-C', dir]);
    let stderr = '';
    archive.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    tar.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    archive.stdout.pipe(tar.stdin);
    let pending = 2;
    let failed = false;
    const done = (code: number | null) => {
      if (code !== 0 && !failed) {
        failed = true;
        reject(new GitError(['archive', sha], stderr || `exit ${code}`));
      }
      pending -= 1;
      if (pending === 0 && !failed) resolvePromise();
    };
    archive.once('close', done);
    tar.once('close', done);
    archive.once('error', reject);
    tar.once('error', reject);
  });
}

async function ensureDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
