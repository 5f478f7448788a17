/** The narrow file-reading port core uses; the Node implementation is `nodeFileSystem`. */

export interface DirEntry {
  name: string;
  isDirectory: boolean;
  isFile: boolean;
}

export interface FileStat {
  isDirectory: boolean;
  isFile: boolean;
  size: number;
}

/**
 * Reads files and folders. Failures reject with an Error carrying a Node-style `code`
 * (`ENOENT`, `EACCES`, `EISDIR`, …), which callers turn into RampartErrors.
 */
export interface FileSystem {
  stat(path: string): Promise<FileStat>;
  readDir(path: string): Promise<DirEntry[]>;
  /** Reads at most `limit` bytes + 1, so callers can detect oversized files without loading them. */
  readFile(path: string, limit: number): Promise<Uint8Array>;
}
