// Reading deployment packages: the central directory of a zip and its stored or deflated entries.
// Zip64, encryption and multi-disk archives are refused (Lambda packages never need them).
import { crc32, inflateRawSync } from 'node:zlib';

/** A zip the reader cannot use; the message says why. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

/** One entry of a zip's central directory. */
export interface ZipEntry {
  /** The path inside the archive (`/`-separated, validated: no `..`, not absolute). */
  name: string;
  directory: boolean;
  /** A symbolic link (Unix mode in the external attributes). */
  symlink: boolean;
  /** 0 stored, 8 deflate. */
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function findEndOfDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - (22 + 0xffff));
  for (let at = zip.length - 22; at >= lowest; at -= 1) {
    if (zip.readUInt32LE(at) === EOCD) return at;
  }
  throw new ZipFormatError('no end of central directory record');
}

function safeName(name: string): string {
  const normalized = name.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[a-zA-Z]:/.test(normalized)) {
    throw new ZipFormatError(`entry "${name}" has an absolute path`);
  }
  if (normalized.split('/').some((part) => part === '..')) {
    throw new ZipFormatError(`entry "${name}" escapes the archive`);
  }
  if (normalized.includes('\0')) throw new ZipFormatError(`entry "${name}" has a NUL byte`);
  return normalized;
}

/** The entries of a zip, from its central directory. Throws {@link ZipFormatError}. */
export function readZipDirectory(zip: Buffer): ZipEntry[] {
  if (zip.length < 22) throw new ZipFormatError('too short to be a zip');
  const end = findEndOfDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const offset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    throw new ZipFormatError('zip64 archives are not supported');
  }
  if (zip.readUInt16LE(end + 4) !== 0 || zip.readUInt16LE(end + 6) !== 0) {
    throw new ZipFormatError('multi-disk archives are not supported');
  }
  if (offset + size > end) throw new ZipFormatError('central directory out of bounds');
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let index = 0; index < count; index += 1) {
    if (at + 46 > end || zip.readUInt32LE(at) !== CENTRAL) {
      throw new ZipFormatError('corrupt central directory');
    }
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const external = zip.readUInt32LE(at + 38);
    if (at + 46 + nameLength > end) throw new ZipFormatError('corrupt central directory');
    const rawName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if ((flags & 0x1) !== 0) throw new ZipFormatError(`entry "${rawName}" is encrypted`);
    if (method !== 0 && method !== 8) {
      throw new ZipFormatError(`entry "${rawName}" uses compression method ${method}`);
    }
    const name = safeName(rawName);
    const unixMode = external >>> 16;
    entries.push({
      name,
      directory: name.endsWith('/'),
      symlink: (unixMode & 0o170000) === 0o120000,
      method,
      crc32: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localHeaderOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The uncompressed bytes of one entry, checked against its size and CRC-32. */
export function readZipEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) {
    throw new ZipFormatError(`entry "${entry.name}" has no local header`);
  }
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const stop = start + entry.compressedSize;
  if (stop > zip.length) throw new ZipFormatError(`entry "${entry.name}" is truncated`);
  const raw = zip.subarray(start, stop);
  let data: Buffer;
  if (entry.method === 0) {
    data = raw;
  } else {
    try {
      // The declared size bounds the output, so a zip bomb cannot inflate past it.
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
    } catch {
      throw new ZipFormatError(`entry "${entry.name}" does not inflate`);
    }
  }
  if (data.length !== entry.size) throw new ZipFormatError(`entry "${entry.name}" has a bad size`);
  if (crc32(data) >>> 0 !== entry.crc32) {
    throw new ZipFormatError(`entry "${entry.name}" fails its CRC check`);
  }
  return data;
}
