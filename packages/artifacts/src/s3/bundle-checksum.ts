/** The SHA-256 an S3 object records about itself, read from its checksum or its metadata. */

/** The metadata key (`x-amz-meta-sha256`) under which bundles carry their SHA-256 in hex. */
export const SHA256_METADATA_KEY = 'sha256';

/** What HeadObject returns that can tell an object's SHA-256. */
export interface ChecksumFields {
  ChecksumSHA256?: string | undefined;
  Metadata?: Record<string, string> | undefined;
}

const HEX = /^[a-f0-9]{64}$/i;
const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/** A SHA-256 given as hex or base64, as lower-case hex; undefined for anything else. */
export function normalizeSha256(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (HEX.test(value)) return value.toLowerCase();
  if (BASE64.test(value)) return Buffer.from(value, 'base64').toString('hex');
  return undefined;
}

/**
 * The object's SHA-256 in hex: its full-object `ChecksumSHA256` (S3 computed it on upload), else
 * the `sha256` metadata Rampart writes on every copy. A multipart object's composite checksum
 * (`…-N`) is a hash of part hashes, not of the content, and is ignored.
 */
export function recordedSha256(head: ChecksumFields): string | undefined {
  const checksum = head.ChecksumSHA256;
  if (checksum !== undefined && !checksum.includes('-')) {
    const hex = normalizeSha256(checksum);
    if (hex !== undefined) return hex;
  }
  return normalizeSha256(head.Metadata?.[SHA256_METADATA_KEY]);
}
