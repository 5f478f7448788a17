// S3:UPLOAD params as the executor uses them: core's catalog schema (defaults applied), resolved.
import { STEP_TYPES } from '@rampart/core';
import { resolvedFlag, resolvedText } from '../params/resolve-params.js';

/** S3:UPLOAD params, resolved. */
export interface S3UploadParams {
  /** A folder relative to the repository root, or `s3://bucket/key` of a zip (a bundle artifact). */
  source: string;
  bucket: string;
  /** Key prefix, as a folder (`site` → `site/…`). @default '' (the bucket's root) */
  prefix: string;
  /** Delete objects under the prefix that the source does not have. @default false */
  delete_removed: boolean;
  /** Cache-Control of every uploaded object. @default none */
  cache_control?: string;
}

/** The schema of S3:UPLOAD params: core's, resolved. */
export const s3UploadParams = STEP_TYPES['RAMPART:S3:UPLOAD'].params.transform(
  (raw, ctx): S3UploadParams => {
    const params: S3UploadParams = {
      source: resolvedText(raw.source, 'source', ctx),
      bucket: resolvedText(raw.bucket, 'bucket', ctx),
      prefix: keyPrefix(resolvedText(raw.prefix ?? '', 'prefix', ctx)),
      delete_removed: resolvedFlag(raw.delete_removed, 'delete_removed', ctx),
    };
    if (raw.cache_control !== undefined) {
      params.cache_control = resolvedText(raw.cache_control, 'cache_control', ctx);
    }
    return params;
  },
);

/** `site`, `/site/` → `site/`; '' stays '' (the whole bucket). */
export function keyPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** The bucket and key of an `s3://bucket/key` source, or undefined for a folder. */
export function bundleSource(source: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(source);
  return m?.[1] === undefined || m[2] === undefined ? undefined : { bucket: m[1], key: m[2] };
}
