// Keys and their versions: what a write adds, what a delete removes or marks, what a read sees.
import { randomBytes } from 'node:crypto';
import type { BucketState, ObjectVersion } from './s3-state.js';

/** The version id of objects written while versioning was never enabled or is suspended. */
export const NULL_VERSION = 'null';

/** A fresh version id in S3's style (32 URL-safe characters). */
export function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

/** The version a plain GET sees: the newest, unless it is a delete marker. */
export function currentVersion(bucket: BucketState, key: string): ObjectVersion | undefined {
  const latest = bucket.objects[key]?.[0];
  return latest && latest.deleteMarker !== true ? latest : undefined;
}

/** A specific version, delete markers included. */
export function findVersion(
  bucket: BucketState,
  key: string,
  versionId: string,
): ObjectVersion | undefined {
  return bucket.objects[key]?.find((version) => version.versionId === versionId);
}

/** Adds a new current version, as the bucket's versioning state dictates; returns its id. */
export function addVersion(bucket: BucketState, key: string, version: ObjectVersion): string {
  const versionId = bucket.versioning === 'Enabled' ? newVersionId() : NULL_VERSION;
  const stored = { ...version, versionId };
  if (bucket.versioning === undefined) {
    bucket.objects[key] = [stored];
  } else {
    const others = (bucket.objects[key] ?? []).filter(
      (existing) => bucket.versioning === 'Enabled' || existing.versionId !== NULL_VERSION,
    );
    bucket.objects[key] = [stored, ...others];
  }
  return versionId;
}

/** Removes one version permanently; returns it (undefined when there was none). */
export function removeVersion(
  bucket: BucketState,
  key: string,
  versionId: string,
): ObjectVersion | undefined {
  const versions = bucket.objects[key];
  const removed = versions?.find((version) => version.versionId === versionId);
  if (!versions || !removed) return undefined;
  const rest = versions.filter((version) => version !== removed);
  if (rest.length === 0) delete bucket.objects[key];
  else bucket.objects[key] = rest;
  return removed;
}
