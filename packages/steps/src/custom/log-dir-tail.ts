// Follows the files a step program writes into its `--log-dir` while it runs, so its JSON-lines
// log reaches the step log live and not only when the program ends.
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LineSplitter } from '../process/line-splitter.js';

/** Options of {@link LogDirTail}. */
export interface LogDirTailOptions {
  /** How often the directory is read while the program runs. @default 250 */
  intervalMs?: number;
}

interface FollowedFile {
  offset: number;
  lines: LineSplitter;
}

/** The most read from one file in one pass, so one chatty file cannot starve the others. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Reads every regular file in `dir` (in name order) from where it was last read, and hands each
 * complete line to `onLine`; `stop()` reads what is left, including a last line without a
 * newline. Files in subdirectories are not read.
 */
export class LogDirTail {
  private readonly files = new Map<string, FollowedFile>();
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly dir: string,
    private readonly onLine: (file: string, line: string) => void,
    private readonly options: LogDirTailOptions = {},
  ) {}

  start(): void {
    this.schedule();
  }

  /** Stops following and delivers every line written so far. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.reading;
    await this.readAll();
    for (const file of this.files.values()) file.lines.end();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.reading = this.readAll().finally(() => this.schedule());
    }, this.options.intervalMs ?? 250);
    this.timer.unref();
  }

  private async readAll(): Promise<void> {
    let names: string[];
    try {
      const entries = await readdir(this.dir, { withFileTypes: true });
      names = entries
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort();
    } catch {
      return; // The directory is gone or unreadable; nothing to follow.
    }
    for (const name of names) await this.readFile(name);
  }

  private async readFile(name: string): Promise<void> {
    let followed = this.files.get(name);
    if (followed === undefined) {
      followed = { offset: 0, lines: new LineSplitter((line) => this.onLine(name, line)) };
      this.files.set(name, followed);
    }
    let handle;
    try {
      handle = await open(join(this.dir, name), 'r');
    } catch {
      return;
    }
    try {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, followed.offset);
        if (bytesRead === 0) break;
        followed.offset += bytesRead;
        followed.lines.write(buffer.subarray(0, bytesRead));
        if (bytesRead < CHUNK_BYTES) break;
      }
    } finally {
      await handle.close();
    }
  }
}
