/** Where issuer documents published to S3 live, and the issuer URL that address makes. */
import { RampartError } from '@rampart/core';

/** A bucket, a key prefix inside it, and how to reach it. */
export interface BucketLocation {
  bucket: string;
  /** Key prefix, without leading or trailing slashes; `''` for the bucket root. @default '' */
  prefix?: string;
  /** The bucket's region. */
  region: string;
  /** An S3-compatible endpoint instead of AWS (the sandbox): path-style URLs under it. @default AWS */
  endpoint?: string;
}

const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const prefixPart = /^[A-Za-z0-9._~-]+$/;

/** Checks a bucket name as S3 does; USAGE for a name S3 would refuse. */
export function checkBucketName(bucket: string): string {
  if (!bucketName.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    throw new RampartError('USAGE', `"${bucket}" is not a valid S3 bucket name`, {
      hint: 'Bucket names are 3 to 63 lowercase letters, digits, dots and hyphens.',
    });
  }
  return bucket;
}

/**
 * The prefix without surrounding slashes. Only URL-safe characters are allowed, so the prefix is
 * the same string in the S3 key and in the issuer URL.
 */
export function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  const parts = trimmed.split('/');
  if (parts.some((p) => !prefixPart.test(p) || p === '.' || p === '..')) {
    throw new RampartError(
      'USAGE',
      `--prefix "${prefix ?? ''}" may hold only letters, digits, "._~-" and "/" between parts`,
      {
        hint: 'Use a prefix such as oidc or rampart/prod.',
      },
    );
  }
  return trimmed;
}

/** The key of a document under the prefix: `<prefix>/.well-known/<name>`. */
export function objectKey(location: BucketLocation, name: string): string {
  const prefix = normalizePrefix(location.prefix);
  return `${prefix === '' ? '' : `${prefix}/`}.well-known/${name}`;
}

/**
 * The public HTTPS address of the prefix: the issuer URL AWS will fetch documents from.
 * Virtual-hosted style (`https://<bucket>.s3.<region>.amazonaws.com`), or path style for names with
 * dots, which the bucket wildcard certificate does not cover; path style under `endpoint`.
 */
export function bucketIssuerUrl(location: BucketLocation): string {
  const bucket = checkBucketName(location.bucket);
  const prefix = normalizePrefix(location.prefix);
  let base: string;
  if (location.endpoint !== undefined) {
    base = `${location.endpoint.replace(/\/+$/, '')}/${bucket}`;
  } else {
    const suffix = location.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    base = bucket.includes('.')
      ? `https://s3.${location.region}.${suffix}/${bucket}`
      : `https://${bucket}.s3.${location.region}.${suffix}`;
  }
  return prefix === '' ? base : `${base}/${prefix}`;
}
