// Deployment packages on disk: each zip stored once under its SHA-256 (so state snapshots stay
// valid whatever happens later), and extracted once per hash into a task root Invoke runs from.
import { createHash, randomUUID } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { SandboxRuntime } from '../../framework/runtime.js';
import { readZipDirectory, readZipEntry, ZipFormatError } from './zip-reader.js';

/** The largest unzipped package Lambda accepts (250 MB). */
export const MAX_UNZIPPED_BYTES = 262_144_000;

/** A stored zip. */
export interface StoredZip {
  /** The file name under the code directory. */
  blob: string;
  /** Base64 SHA-256, Lambda's `CodeSha256`. */
  codeSha256: string;
  codeSize: number;
}

function lambdaDirectory(runtime: SandboxRuntime, ...parts: string[]): string {
  return join(runtime.dataDir, 'lambda', ...parts);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks that a package is a zip Lambda can unpack within its size limit. Throws
 * {@link ZipFormatError} (callers turn it into Lambda's error).
 */
export function checkZip(zip: Buffer): void {
  const entries = readZipDirectory(zip);
  const total = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (total > MAX_UNZIPPED_BYTES) {
    throw new ZipFormatError(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
  }
}

/** Stores a zip under its hash (once) and returns how state refers to it. */
export async function storeZip(runtime: SandboxRuntime, zip: Buffer): Promise<StoredZip> {
  const digest = createHash('sha256').update(zip).digest();
  const blob = `${digest.toString('hex')}.zip`;
  const path = lambdaDirectory(runtime, 'code', blob);
  if (!(await exists(path))) {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.tmp`;
    await writeFile(temporary, zip);
    await rename(temporary, path);
  }
  return { blob, codeSha256: digest.toString('base64'), codeSize: zip.length };
}

/** The bytes of a stored zip. */
export async function readStoredZip(runtime: SandboxRuntime, blob: string): Promise<Buffer> {
  return readFile(lambdaDirectory(runtime, 'code', blob));
}

/** Writes every entry of a zip under `root` (directories, files, links that stay inside). */
async function extract(zip: Buffer, root: string): Promise<void> {
  const base = resolve(root);
  for (const entry of readZipDirectory(zip)) {
    const target = resolve(base, entry.name);
    if (target !== base && !target.startsWith(base + sep)) continue;
    if (entry.directory) {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    const data = readZipEntry(zip, entry);
    if (entry.symlink) {
      const linked = resolve(dirname(target), data.toString('utf8'));
      // Links that leave the task root are dropped, as the sandbox must not expose its disk.
      if (relative(base, linked).startsWith('..')) continue;
      await symlink(data.toString('utf8'), target);
      continue;
    }
    await writeFile(target, data);
  }
}

/**
 * The directory a zip is unpacked in (`LAMBDA_TASK_ROOT`), extracting it on first use. Concurrent
 * first uses each extract into their own directory and the first rename wins.
 */
export async function taskRoot(runtime: SandboxRuntime, blob: string): Promise<string> {
  const hash = blob.replace(/\.zip$/, '');
  const root = lambdaDirectory(runtime, 'tasks', hash);
  if (await exists(root)) return root;
  const zip = await readStoredZip(runtime, blob);
  const staging = lambdaDirectory(runtime, 'tasks', `.${hash}.${randomUUID()}`);
  await mkdir(staging, { recursive: true });
  try {
    await extract(zip, staging);
    await rename(staging, root);
  } catch (error: unknown) {
    await rm(staging, { recursive: true, force: true });
    if (!(await exists(root))) throw error;
  }
  return root;
}

/** Where the runner script lives (written once per sandbox data directory). */
export function runnerDirectory(runtime: SandboxRuntime): string {
  return lambdaDirectory(runtime, 'runtime');
}
