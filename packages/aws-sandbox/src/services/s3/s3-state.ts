// The plain-data shape of S3: a global bucket-name registry plus each bucket in its owner's state.
import type { XmlNode } from './s3-xml.js';

/** One contiguous range of an immutable blob file; an object's data is a list of these. */
export interface Segment {
  /** The blob's file name under the S3 blob directory. */
  blob: string;
  offset: number;
  length: number;
}

/** Server-side encryption recorded for an object or set as a bucket default. */
export interface SseSettings {
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
}

/** An additional checksum (`x-amz-checksum-*`) stored with an object or a part. */
export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  /** Base64 of the digest, as S3 returns it. */
  value: string;
}

/** The checksum algorithms S3 accepts. */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

/** The attributes an object carries besides its data (shared by objects and multipart uploads). */
export interface ObjectAttributes {
  contentType: string;
  /** `x-amz-meta-*` values by lower-cased name without the prefix. */
  metadata: Record<string, string>;
  /** Stored representation headers (`cache-control`, `content-disposition`, …). */
  headers: Record<string, string>;
  sse: SseSettings;
  storageClass: string;
  /** Object tags (`x-amz-tagging`), as a query string. */
  tagging?: string;
}

/** One version of a key: data, or a delete marker. */
export interface ObjectVersion extends ObjectAttributes {
  versionId: string;
  deleteMarker?: boolean;
  lastModified: string;
  /** Quoted, as in the `ETag` header. */
  etag: string;
  size: number;
  segments: Segment[];
  checksum?: StoredChecksum;
  /** Parts of a multipart object. */
  partsCount?: number;
}

/** One uploaded part of a multipart upload. */
export interface UploadedPart {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
  segment: Segment;
  checksum?: StoredChecksum;
}

/** An in-progress multipart upload. */
export interface MultipartUpload extends ObjectAttributes {
  uploadId: string;
  key: string;
  initiated: string;
  initiatorArn: string;
  checksumAlgorithm?: ChecksumAlgorithm;
  parts: Record<string, UploadedPart>;
}

/** The four switches of S3 Block Public Access. */
export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

/** A bucket and everything in it. */
export interface BucketState {
  name: string;
  accountId: string;
  region: string;
  createdAt: string;
  /** The bucket policy, JSON text as given. */
  policy?: string;
  versioning?: 'Enabled' | 'Suspended';
  /** Default encryption (every bucket has SSE-S3 by default, as in AWS since 2023). */
  encryption: SseSettings;
  /** Absent after DeletePublicAccessBlock. */
  publicAccessBlock?: PublicAccessBlock;
  tags?: { Key: string; Value: string }[];
  /** The lifecycle rules as parsed from the configuration document (accepted, not applied). */
  lifecycleRules?: XmlNode[];
  /** Versions per key, newest first. */
  objects: Record<string, ObjectVersion[]>;
  uploads: Record<string, MultipartUpload>;
}

/** The per-account, per-region S3 state. */
export interface S3AccountState {
  buckets: Record<string, BucketState>;
}

/** Where a bucket lives: the global name registry (`ctx.sharedState`). */
export interface S3SharedState {
  owners: Record<string, { accountId: string; region: string }>;
}

/** An empty account state. */
export function emptyAccountState(): S3AccountState {
  return { buckets: {} };
}

/** An empty registry. */
export function emptySharedState(): S3SharedState {
  return { owners: {} };
}
