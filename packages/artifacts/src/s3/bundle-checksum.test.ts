import { describe, expect, it } from 'vitest';
import { normalizeSha256, recordedSha256 } from './bundle-checksum.js';

const HEX = 'ab'.repeat(32);
const BASE64 = Buffer.from(HEX, 'hex').toString('base64');

describe('recordedSha256', () => {
  it('prefers a full-object ChecksumSHA256, then the sha256 metadata', () => {
    expect(recordedSha256({ ChecksumSHA256: BASE64, Metadata: { sha256: 'cd'.repeat(32) } })).toBe(
      HEX,
    );
    expect(recordedSha256({ Metadata: { sha256: HEX.toUpperCase() } })).toBe(HEX);
    expect(recordedSha256({ Metadata: { sha256: BASE64 } })).toBe(HEX);
  });

  it('ignores composite multipart checksums and malformed values', () => {
    expect(recordedSha256({ ChecksumSHA256: `${BASE64}-3` })).toBeUndefined();
    expect(recordedSha256({ ChecksumSHA256: `${BASE64}-3`, Metadata: { sha256: HEX } })).toBe(HEX);
    expect(recordedSha256({ Metadata: { sha256: 'not-a-hash' } })).toBeUndefined();
    expect(recordedSha256({})).toBeUndefined();
    expect(normalizeSha256('ab'.repeat(31))).toBeUndefined();
  });
});
