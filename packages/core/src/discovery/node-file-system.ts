/** FileSystem backed by node:fs. */
import { open, readdir, stat } from 'node:fs/promises';
import type { DirEntry, FileStat, FileSystem } from './file-system.js';

export const nodeFileSystem: FileSystem = {
  async stat(path: string): Promise<FileStat> {
    const s = await stat(path);
    return { isDirectory: s.isDirectory(), isFile: s.isFile(), size: s.size };
  },
  async readDir(path: string): Promise<DirEntry[]> {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory(), isFile: e.isFile() }));
  },
  async readFile(path: string, limit: number): Promise<Uint8Array> {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(limit + 1);
      let total = 0;
      while (total < buffer.length) {
        const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
        if (bytesRead === 0) break;
        total += bytesRead;
      }
      return buffer.subarray(0, total);
    } finally {
      await handle.close();
    }
  },
};
