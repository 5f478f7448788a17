/** Writes that never leave a half-written file behind, readable by the owner only. */
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Owner read/write only: the files hold keys. */
export const PRIVATE_FILE_MODE = 0o600;

async function writeTemp(file: string, data: string | Uint8Array, mode: number): Promise<string> {
  const temp = join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/** Replaces `file` with `data` by writing a temporary file beside it and renaming it over. */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  mode = PRIVATE_FILE_MODE,
): Promise<void> {
  const temp = await writeTemp(file, data, mode);
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Creates `file` with `data` only if it does not exist, complete or not at all (a hard link of a
 * finished temporary file). Returns false when the file already existed, e.g. because another
 * process created it first.
 */
export async function createFileExclusive(
  file: string,
  data: string | Uint8Array,
  mode = PRIVATE_FILE_MODE,
): Promise<boolean> {
  const temp = await writeTemp(file, data, mode);
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
