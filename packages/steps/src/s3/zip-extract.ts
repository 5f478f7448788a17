// Unpacks a bundle artifact (a zip) into a directory, streaming each entry from disk: stored and
// deflated entries, CRC-checked; no zip64, encryption, links, or paths leading out.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';

/** A zip Rampart cannot unpack; the message says why. */
export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

interface Entry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  flags: number;
  mode: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Unpacks `zipFile` into `dir` (which exists); returns the number of files written. */
export async function extractZip(zipFile: string, dir: string, what: string): Promise<number> {
  const entries = await readEntries(zipFile, what);
  let files = 0;
  for (const entry of entries) {
    const target = join(dir, safeName(entry.name, what));
    if (entry.name.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }
    if ((entry.flags & 1) !== 0) throw new BundleError(`${what}: ${entry.name} is encrypted`);
    if ((entry.mode & S_IFMT) === S_IFLNK) {
      throw new BundleError(`${what}: ${entry.name} is a symbolic link; bundles hold files only`);
    }
    if (entry.method !== 0 && entry.method !== 8) {
      throw new BundleError(
        `${what}: ${entry.name} uses compression method ${entry.method}; only stored and deflated entries are read`,
      );
    }
    await mkdir(dirname(target), { recursive: true });
    if (entry.compressedSize === 0 && entry.size === 0) {
      await writeFile(target, '');
      files += 1;
      continue;
    }
    const start = await dataStart(zipFile, entry, what);
    const check = new CrcCheck();
    const data = createReadStream(zipFile, { start, end: start + entry.compressedSize - 1 });
    const out = createWriteStream(target);
    await (
      entry.method === 8
        ? pipeline(data, createInflateRaw(), check, out)
        : pipeline(data, check, out)
    ).catch((error: unknown) => {
      throw new BundleError(
        `${what}: ${entry.name} cannot be unpacked: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    if (check.bytes !== entry.size || check.crc !== entry.crc) {
      throw new BundleError(`${what}: ${entry.name} is corrupt (size or CRC does not match)`);
    }
    files += 1;
  }
  return files;
}

async function readEntries(zipFile: string, what: string): Promise<Entry[]> {
  const handle = await open(zipFile, 'r');
  try {
    const { size } = await handle.stat();
    const tailSize = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailSize);
    await handle.read(tail, 0, tailSize, size - tailSize);
    let eocd = -1;
    for (let i = tailSize - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new BundleError(`${what} is not a zip file`);
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      throw new BundleError(
        `${what} is a zip64 file; bundles over 4 GiB or 65535 files are not read`,
      );
    }
    if (cdOffset + cdSize > size) throw new BundleError(`${what} is truncated`);
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const entries: Entry[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL) {
        throw new BundleError(`${what} has a damaged central directory`);
      }
      const nameLength = cd.readUInt16LE(at + 28);
      const extraLength = cd.readUInt16LE(at + 30);
      const commentLength = cd.readUInt16LE(at + 32);
      entries.push({
        flags: cd.readUInt16LE(at + 8),
        method: cd.readUInt16LE(at + 10),
        crc: cd.readUInt32LE(at + 16),
        compressedSize: cd.readUInt32LE(at + 20),
        size: cd.readUInt32LE(at + 24),
        mode: cd.readUInt32LE(at + 38) >>> 16,
        localOffset: cd.readUInt32LE(at + 42),
        name: cd.toString('utf8', at + 46, at + 46 + nameLength),
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

async function dataStart(zipFile: string, entry: Entry, what: string): Promise<number> {
  const handle = await open(zipFile, 'r');
  try {
    const header = Buffer.alloc(30);
    await handle.read(header, 0, 30, entry.localOffset);
    if (header.readUInt32LE(0) !== LOCAL) {
      throw new BundleError(`${what}: the local header of ${entry.name} is damaged`);
    }
    return entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await handle.close();
  }
}

/** A relative path inside the bundle, or a refusal. */
function safeName(name: string, what: string): string {
  const parts = name.split('/');
  if (
    name === '' ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    /^[A-Za-z]:/.test(name) ||
    parts.some((p) => p === '..')
  ) {
    throw new BundleError(`${what} holds the path ${JSON.stringify(name)}, which leads out of it`);
  }
  return parts.filter((p) => p !== '' && p !== '.').join('/');
}

/** Counts and CRCs the bytes passing through. */
class CrcCheck extends Transform {
  crc = 0;
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.crc = crc32(chunk, this.crc);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}
