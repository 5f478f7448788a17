// The files of a folder to upload, with their keys: every regular file below it, symbolic links
// followed while they stay inside the repository (a link leading out is refused).
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** A file to upload. */
export interface LocalFile {
  /** The path below the folder, with `/` separators: the key without the prefix. */
  rel: string;
  path: string;
  size: number;
}

/** A folder whose contents Rampart refuses to upload; the message says why. */
export class FolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FolderError';
  }
}

/** Every file below `dir` (a real path inside `root`), sorted by key. */
export async function folderFiles(dir: string, root: string): Promise<LocalFile[]> {
  const files: LocalFile[] = [];
  const visited = new Set<string>();
  const walk = async (real: string, rel: string): Promise<void> => {
    if (visited.has(real)) return;
    visited.add(real);
    for (const entry of await readdir(real, { withFileTypes: true })) {
      const path = join(real, entry.name);
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      let target = path;
      if ((await lstat(path)).isSymbolicLink()) {
        try {
          target = await realpath(path);
        } catch {
          throw new FolderError(`${childRel} is a symbolic link to nothing`);
        }
        const inside = relative(root, target);
        if (inside === '..' || inside.startsWith(`..${sep}`) || inside.startsWith(sep)) {
          throw new FolderError(`${childRel} is a symbolic link leading outside the repository`);
        }
      }
      const stats = await stat(target);
      if (stats.isDirectory()) await walk(target, childRel);
      else if (stats.isFile()) files.push({ rel: childRel, path: target, size: stats.size });
    }
  };
  await walk(dir, '');
  return files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
