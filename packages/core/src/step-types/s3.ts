/** S3:UPLOAD: copy a repository folder or a bundle artifact into a bucket. */
import { z } from 'zod';
import { stageBundleBucketPattern } from '../naming/index.js';
import { isDeferred, literalString, namePattern } from './deferred-value.js';
import { allow, arn, type IamStatement } from './iam-statement.js';
import { flag, patternedText, text } from './param-schemas.js';
import { defineStepType } from './step-type-definition.js';

const bucketChars = /^[a-z0-9.-]+$/;

const params = z.strictObject({
  source: text().describe(
    'What to upload: a folder relative to the repository root, or a bundle artifact (`${{ stage.artifacts["Name"].s3_url }}`), which is unzipped.',
  ),
  bucket: patternedText(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    'a bucket name (3–63 lowercase letters, digits, dots and hyphens)',
  ).describe('Name of the destination bucket.'),
  prefix: z.string().optional().describe('Key prefix the files are uploaded under; default: none.'),
  delete_removed: flag()
    .default(false)
    .describe('Delete objects under the prefix that are not in the source.'),
  cache_control: z
    .string()
    .optional()
    .describe('Cache-Control header set on every uploaded object, e.g. `max-age=300`.'),
});

export const s3Upload = defineStepType({
  id: 'RAMPART:S3:UPLOAD',
  description:
    'Uploads a folder or a bundle artifact to an S3 bucket, optionally removing stale objects.',
  params,
  outputs: ['uploaded', 'deleted'],
  rollback: { mode: 'redeploy', description: 're-upload the last good content' },
  iam(p, ctx) {
    const bucket = namePattern(p.bucket, bucketChars);
    const prefix = namePattern(p.prefix ?? '', /^[^*?]*$/).replace(/^\/+/, '');
    // A bucket named only later could be anyone's: keep it to the stage's own account.
    const sameAccount = isDeferred(p.bucket)
      ? { StringEquals: { 's3:ResourceAccount': ctx.accountId } }
      : undefined;
    const listCondition =
      prefix === '' ? sameAccount : { ...sameAccount, StringLike: { 's3:prefix': `${prefix}*` } };
    const objectActions = ['s3:PutObject'];
    if (p.delete_removed !== false) objectActions.push('s3:DeleteObject');
    const statements: IamStatement[] = [
      allow(
        'S3UploadList',
        ['s3:ListBucket'],
        arn(ctx.partition, 's3', '', '', bucket),
        listCondition,
      ),
      allow(
        'S3UploadObjects',
        objectActions,
        arn(ctx.partition, 's3', '', '', `${bucket}/${prefix}*`),
        sameAccount,
      ),
    ];
    const source = sourceObject(p.source);
    if (source.kind !== 'folder') {
      const path =
        source.kind === 'object'
          ? source.path
          : `${stageBundleBucketPattern({ accountId: ctx.accountId, slug: ctx.pipelineSlug, stage: ctx.stageName })}/*`;
      statements.push(
        allow('S3UploadSource', ['s3:GetObject'], arn(ctx.partition, 's3', '', '', path)),
      );
    }
    return statements;
  },
});

type UploadSource = { kind: 'folder' } | { kind: 'deferred' } | { kind: 'object'; path: string };

/**
 * A bundle source given as `s3://bucket/key` is an object to read; anything else literal is a
 * repository folder. A source known only later is taken to be one of the stage's mirrored bundles,
 * the only S3 source the format names.
 */
function sourceObject(source: string): UploadSource {
  const literal = literalString(source);
  if (literal === undefined) return { kind: 'deferred' };
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(literal);
  return m === null ? { kind: 'folder' } : { kind: 'object', path: `${m[1]}/${m[2]}` };
}
