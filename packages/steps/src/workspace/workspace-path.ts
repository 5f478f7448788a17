// Paths a step names inside the revision's files (`working_directory`, `junit_report`): relative
// to the repository, and never leading out of it, neither by `..` nor through a symbolic link.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A path inside the workspace, or why it is refused. */
export type WorkspacePathResult = { ok: true; path: string } | { ok: false; message: string };

/**
 * Resolves `path` (relative, as the user wrote it) against `base`, a directory inside `root`,
 * without touching the disk. `what` names the param in messages (`working_directory "x"`).
 */
export function workspacePath(
  root: string,
  base: string,
  path: string,
  what: string,
): WorkspacePathResult {
  const shown = `${what} ${JSON.stringify(path)}`;
  if (path.includes('\0')) return { ok: false, message: `${shown} holds a NUL character` };
  if (isAbsolute(path) || path.startsWith('~')) {
    return {
      ok: false,
      message: `${shown} must be a path relative to the repository, not an absolute one`,
    };
  }
  const resolved = resolve(base, path);
  if (!isInside(root, resolved)) {
    return {
      ok: false,
      message: `${shown} leads outside the repository: use a path inside it`,
    };
  }
  return { ok: true, path: resolved };
}

/**
 * Checks on disk that `path` exists, is of the `kind` expected and, with every symbolic link
 * followed, is still inside `root`. Returns the real path.
 */
export async function realWorkspacePath(
  root: string,
  path: string,
  kind: 'directory' | 'file',
  shown: string,
): Promise<WorkspacePathResult> {
  let real: string;
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(path);
  } catch {
    return { ok: false, message: `${shown} does not exist in this revision` };
  }
  if (!isInside(realRoot, real)) {
    return {
      ok: false,
      message: `${shown} leads outside the repository through a symbolic link (to ${real})`,
    };
  }
  const stats = await stat(real);
  if (kind === 'directory' ? !stats.isDirectory() : !stats.isFile()) {
    return { ok: false, message: `${shown} is not a ${kind}` };
  }
  return { ok: true, path: real };
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
