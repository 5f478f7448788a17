import { describe, expect, it } from 'vitest';
import { checksumHeader, createDigest, parseChecksumAlgorithm } from './checksums.js';

const hex = (base64: string): string => Buffer.from(base64, 'base64').toString('hex');

describe('S3 checksums', () => {
  // The standard check values of each CRC over "123456789".
  it.each([
    ['CRC32', 'cbf43926'],
    ['CRC32C', 'e3069283'],
    ['CRC64NVME', 'ae8b14860a799888'],
    ['SHA1', 'f7c3bc1d808e04732adf679965ccc34ca7ae3441'],
    ['SHA256', '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225'],
  ] as const)('computes %s check values, also when fed in pieces', (algorithm, expected) => {
    const whole = createDigest(algorithm);
    whole.update(Buffer.from('123456789'));
    expect(hex(whole.base64())).toBe(expected);
    const pieces = createDigest(algorithm);
    for (const piece of ['1', '2345', '', '6789']) pieces.update(Buffer.from(piece));
    expect(hex(pieces.base64())).toBe(expected);
  });

  it('names headers and parses algorithm names case-insensitively', () => {
    expect(checksumHeader('CRC64NVME')).toBe('x-amz-checksum-crc64nvme');
    expect(parseChecksumAlgorithm('crc32c')).toBe('CRC32C');
    expect(parseChecksumAlgorithm('MD5')).toBeUndefined();
  });
});
