// Finding buckets across accounts and describing them to the authorizer (ARNs, owner, policy).
import type { ResourceTarget } from '../../auth/authorizer.js';
import { CommonError } from '../../framework/aws-error.js';
import type { ActionContext } from '../../framework/service.js';
import { noSuchBucket, s3Error } from './s3-errors.js';
import {
  emptyAccountState,
  emptySharedState,
  type BucketState,
  type S3AccountState,
  type S3SharedState,
} from './s3-state.js';

/** `arn:aws:s3:::<bucket>`. */
export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

/** `arn:aws:s3:::<bucket>/<key>`. */
export function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

/** The global bucket-name registry. */
export function registry(ctx: ActionContext): S3SharedState {
  return ctx.sharedState(emptySharedState);
}

/** The S3 state of an account in a region. */
export function accountState(
  ctx: ActionContext,
  accountId: string,
  region: string,
): S3AccountState {
  return ctx.state(emptyAccountState, { accountId, region });
}

/** A bucket by name, or undefined. */
export function findBucket(ctx: ActionContext, name: string): BucketState | undefined {
  const owner = registry(ctx).owners[name];
  if (!owner) return undefined;
  return accountState(ctx, owner.accountId, owner.region).buckets[name];
}

/**
 * The bucket a request names. Throws `NoSuchBucket`, or — for a request signed for another
 * region — the error AWS answers path-style requests with (clients follow `x-amz-bucket-region`).
 */
export function requireBucket(
  ctx: ActionContext,
  options: { anyRegion?: boolean } = {},
): BucketState {
  const name = ctx.input.reqStr('Bucket');
  const bucket = findBucket(ctx, name);
  if (!bucket) throw noSuchBucket(name);
  const expectedOwner = ctx.request.headers['x-amz-expected-bucket-owner'];
  if (expectedOwner !== undefined && expectedOwner !== bucket.accountId) {
    throw new CommonError('AccessDenied', 'Access Denied');
  }
  if (options.anyRegion !== true && ctx.signature && ctx.signature.region !== bucket.region) {
    if (ctx.request.method === 'HEAD') {
      throw s3Error(
        'PermanentRedirect',
        'The bucket is in another region.',
        301,
        {},
        {
          'x-amz-bucket-region': bucket.region,
        },
      );
    }
    throw s3Error(
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${ctx.signature.region}' is wrong; expecting '${bucket.region}'`,
      400,
      { Region: bucket.region },
      { 'x-amz-bucket-region': bucket.region },
    );
  }
  return bucket;
}

/** Whether a bucket policy grants anything to everyone (`"Principal": "*"`, no condition). */
export function isPublicPolicy(policy: unknown): boolean {
  const statements = (policy as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? (statements as unknown[]) : [statements];
  return list.some((raw) => {
    if (raw === null || typeof raw !== 'object') return false;
    const statement = raw as Record<string, unknown>;
    if (statement['Effect'] !== 'Allow' || statement['Condition'] !== undefined) return false;
    const principal = statement['Principal'];
    if (principal === '*') return true;
    if (principal !== null && typeof principal === 'object') {
      const aws = (principal as Record<string, unknown>)['AWS'];
      return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
    }
    return false;
  });
}

/** Condition keys every S3 request carries. */
export function baseContext(ctx: ActionContext, bucket?: BucketState): Record<string, string> {
  const context: Record<string, string> = {
    's3:authType': ctx.signature?.presigned === true ? 'REST-QUERY-STRING' : 'REST-HEADER',
    's3:signatureversion': 'AWS4-HMAC-SHA256',
  };
  const sha = ctx.request.headers['x-amz-content-sha256'];
  if (sha !== undefined) context['s3:x-amz-content-sha256'] = sha;
  if (bucket) context['s3:ResourceAccount'] = bucket.accountId;
  return context;
}

/** The authorizer's view of a bucket or an object in it. */
export function resourceTarget(
  ctx: ActionContext,
  bucket: BucketState,
  arn: string,
): ResourceTarget {
  let policy: unknown = bucket.policy === undefined ? undefined : JSON.parse(bucket.policy);
  // Block Public Access: RestrictPublicBuckets keeps public statements from admitting anyone
  // outside the account (approximated: anonymous callers get no policy at all).
  if (
    policy !== undefined &&
    ctx.caller.kind === 'anonymous' &&
    bucket.publicAccessBlock?.RestrictPublicBuckets === true
  ) {
    policy = undefined;
  }
  return {
    arn,
    accountId: bucket.accountId,
    ...(policy !== undefined ? { resourcePolicy: policy } : {}),
    context: baseContext(ctx, bucket),
  };
}

/** The target for a bucket-level action on the request's bucket. */
export function bucketTarget(
  ctx: ActionContext,
  options: { anyRegion?: boolean } = {},
): ResourceTarget {
  const bucket = requireBucket(ctx, options);
  return resourceTarget(ctx, bucket, bucketArn(bucket.name));
}

/** The target for an object-level action on the request's key. */
export function objectTarget(ctx: ActionContext): ResourceTarget {
  const bucket = requireBucket(ctx);
  return resourceTarget(ctx, bucket, objectArn(bucket.name, ctx.input.reqStr('Key')));
}

/** Whether the caller may do `iamAction` on `target` (for AWS's 403-versus-404 rules). */
export async function isAllowed(
  ctx: ActionContext,
  iamAction: string,
  target: ResourceTarget,
): Promise<boolean> {
  try {
    await ctx.authorize(iamAction, target);
    return true;
  } catch {
    return false;
  }
}
