// Incremental digests for S3's additional checksums (CRC32, CRC32C, CRC64NVME, SHA-1, SHA-256).
import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ChecksumAlgorithm } from './s3-state.js';

/** Every algorithm, in the order S3 lists them. */
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = [
  'CRC32',
  'CRC32C',
  'CRC64NVME',
  'SHA1',
  'SHA256',
];

/** The header that carries an algorithm's value (`x-amz-checksum-crc32`). */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** Parses an algorithm name as clients send it (case-insensitive), or undefined. */
export function parseChecksumAlgorithm(name: string): ChecksumAlgorithm | undefined {
  const upper = name.toUpperCase();
  return CHECKSUM_ALGORITHMS.find((algorithm) => algorithm === upper);
}

/** A digest fed chunk by chunk. */
export interface Digest {
  update(chunk: Buffer): void;
  /** The final value, base64 as in `x-amz-checksum-*` headers. */
  base64(): string;
}

function table32(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const CRC32C_TABLE = table32(0x82f63b78);

/** The reflected CRC-64/NVME polynomial, split into 32-bit halves (no BigInt in the hot loop). */
const CRC64_POLY_HI = 0x9a6c9329;
const CRC64_POLY_LO = 0xac4bc9b5;
const CRC64_HI = new Uint32Array(256);
const CRC64_LO = new Uint32Array(256);
for (let n = 0; n < 256; n += 1) {
  let hi = 0;
  let lo = n;
  for (let k = 0; k < 8; k += 1) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      hi = (hi ^ CRC64_POLY_HI) >>> 0;
      lo = (lo ^ CRC64_POLY_LO) >>> 0;
    }
  }
  CRC64_HI[n] = hi;
  CRC64_LO[n] = lo;
}

function bigEndian(value: number, bytes: number): string {
  const buffer = Buffer.alloc(bytes);
  buffer.writeUInt32BE(value >>> 0, bytes - 4);
  return buffer.toString('base64');
}

class Crc32Digest implements Digest {
  private value = 0;
  update(chunk: Buffer): void {
    this.value = crc32(chunk, this.value);
  }
  base64(): string {
    return bigEndian(this.value, 4);
  }
}

class Crc32cDigest implements Digest {
  private value = 0xffffffff;
  update(chunk: Buffer): void {
    let c = this.value;
    for (let i = 0; i < chunk.length; i += 1) {
      c = (CRC32C_TABLE[(c ^ (chunk[i] as number)) & 0xff] as number) ^ (c >>> 8);
    }
    this.value = c >>> 0;
  }
  base64(): string {
    return bigEndian(~this.value, 4);
  }
}

class Crc64NvmeDigest implements Digest {
  private hi = 0xffffffff;
  private lo = 0xffffffff;
  update(chunk: Buffer): void {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < chunk.length; i += 1) {
      const index = (lo ^ (chunk[i] as number)) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ (CRC64_LO[index] as number);
      hi = (hi >>> 8) ^ (CRC64_HI[index] as number);
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
  }
  base64(): string {
    const buffer = Buffer.alloc(8);
    buffer.writeUInt32BE(~this.hi >>> 0, 0);
    buffer.writeUInt32BE(~this.lo >>> 0, 4);
    return buffer.toString('base64');
  }
}

class HashDigest implements Digest {
  private readonly hash: Hash;
  constructor(name: 'sha1' | 'sha256') {
    this.hash = createHash(name);
  }
  update(chunk: Buffer): void {
    this.hash.update(chunk);
  }
  base64(): string {
    return this.hash.digest('base64');
  }
}

/** A fresh digest for an algorithm. */
export function createDigest(algorithm: ChecksumAlgorithm): Digest {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32Digest();
    case 'CRC32C':
      return new Crc32cDigest();
    case 'CRC64NVME':
      return new Crc64NvmeDigest();
    case 'SHA1':
      return new HashDigest('sha1');
    case 'SHA256':
      return new HashDigest('sha256');
    default: {
      const never: never = algorithm;
      throw new Error(`unknown checksum algorithm ${String(never)}`);
    }
  }
}
