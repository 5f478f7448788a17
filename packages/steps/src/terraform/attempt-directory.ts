// Each step attempt works in its own private directory under the executor's work directory: a
// copy of the revision's files (Terraform writes beside the configuration, and the checkout is
// shared), Terraform's data directory, a private HOME and the saved plan. It outlives a call, so
// the call after an approval applies the very plan that was approved.
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** The paths of one attempt's directory. */
export interface AttemptDirectory {
  root: string;
  /** The copy of the revision's files. */
  repo: string;
  /** `TF_DATA_DIR`: providers, modules, the backend settings. */
  data: string;
  home: string;
  /** The saved plan. */
  plan: string;
  backendConfig: string;
  /** The `-var-file`; exists only while `terraform plan` runs. */
  variables: string;
  /** Where `show -json` and `output -json` write (not to the log). */
  planJson: string;
  outputsJson: string;
}

/** Directories never copied: git's data and Terraform data a developer may have committed. */
const SKIPPED = new Set(['.git', '.terraform']);

/** The directory of the attempt `journalKey` (stable across its calls) under `workDir`. */
export function attemptDirectory(workDir: string, journalKey: string): AttemptDirectory {
  const id = createHash('sha256').update(journalKey).digest('hex').slice(0, 32);
  const root = join(workDir, id);
  return {
    root,
    repo: join(root, 'repo'),
    data: join(root, 'terraform-data'),
    home: join(root, 'home'),
    plan: join(root, 'plan.tfplan'),
    backendConfig: join(root, 'backend.tfbackend.json'),
    variables: join(root, 'rampart.tfvars.json'),
    planJson: join(root, 'plan.json'),
    outputsJson: join(root, 'outputs.json'),
  };
}

/** Empties the attempt's directory and fills it with a copy of `checkout`; private to this user. */
export async function prepareAttemptDirectory(
  dir: AttemptDirectory,
  checkout: string,
): Promise<void> {
  await rm(dir.root, { recursive: true, force: true });
  await mkdir(dir.root, { recursive: true, mode: 0o700 });
  await Promise.all([mkdir(dir.data, { mode: 0o700 }), mkdir(dir.home, { mode: 0o700 })]);
  await cp(checkout, dir.repo, {
    recursive: true,
    // Links stay links: a link out of the repository must not become a copy of what it points to.
    verbatimSymlinks: true,
    filter: (source) => source === checkout || !SKIPPED.has(basename(source)),
  });
}

/** Removes the attempt's directory (with its plan, which holds the variables' values). */
export async function removeAttemptDirectory(dir: AttemptDirectory): Promise<void> {
  await rm(dir.root, { recursive: true, force: true });
}

/** The SHA-256 of a file, or `undefined` when it cannot be read. */
export async function fileSha256(path: string): Promise<string | undefined> {
  try {
    return createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * Removes attempt directories not touched for `olderThanMs` (plans nobody approved or rejected
 * before the deployment moved on), except `keep`. Best effort: a directory in use by another
 * process is recent, and errors are ignored.
 */
export async function sweepAttemptDirectories(
  workDir: string,
  olderThanMs: number,
  nowMs: number,
  keep: string,
): Promise<void> {
  const entries = await readdir(workDir).catch(() => []);
  await Promise.all(
    entries.map(async (name) => {
      const path = join(workDir, name);
      if (path === keep || !/^[0-9a-f]{32}$/.test(name)) return;
      const info = await stat(path).catch(() => undefined);
      if (info === undefined || nowMs - info.mtimeMs < olderThanMs) return;
      await rm(path, { recursive: true, force: true }).catch(() => undefined);
    }),
  );
}
