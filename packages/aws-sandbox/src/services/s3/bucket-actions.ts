// Buckets themselves: create, delete, head, list, location.
import { createHash } from 'node:crypto';
import { CommonError } from '../../framework/aws-error.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { checkBucketName } from './bucket-names.js';
import { readXmlBody } from './request-body.js';
import {
  accountState,
  baseContext,
  bucketArn,
  bucketTarget,
  registry,
  requireBucket,
} from './s3-access.js';
import { s3Error } from './s3-errors.js';
import type { S3Result } from './s3-protocol.js';
import { xmlText } from './s3-xml.js';

/** The region buckets land in without a LocationConstraint. */
const DEFAULT_REGION = 'us-east-1';

/** The canonical user id S3 shows for an account (64 hex characters, stable). */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`rampart-aws-sandbox:s3-owner:${accountId}`).digest('hex');
}

/** The `<Owner>` element of an account. */
export function ownerElement(
  ctx: ActionContext,
  accountId: string,
): { ID: string; DisplayName: string } {
  return {
    ID: canonicalUserId(accountId),
    DisplayName: ctx.world.accounts[accountId]?.name ?? accountId,
  };
}

function requestedRegion(ctx: ActionContext, constraint: string | undefined): string {
  if (constraint === undefined || constraint === '') {
    if (ctx.region !== DEFAULT_REGION) {
      throw s3Error(
        'IllegalLocationConstraintException',
        'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
        400,
      );
    }
    return DEFAULT_REGION;
  }
  if (constraint === DEFAULT_REGION || !/^[a-z]{2}(-[a-z]+)+-\d$|^EU$/.test(constraint)) {
    throw s3Error(
      'InvalidLocationConstraint',
      'The specified location-constraint is not valid',
      400,
      {
        LocationConstraint: constraint,
      },
    );
  }
  const region = constraint === 'EU' ? 'eu-west-1' : constraint;
  if (ctx.region !== DEFAULT_REGION && ctx.region !== region) {
    throw s3Error(
      'IllegalLocationConstraintException',
      `The ${region} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      400,
    );
  }
  return region;
}

const createBucket: ActionDefinition = {
  validate: (ctx) => checkBucketName(ctx.input.reqStr('Bucket')),
  resources: (ctx) => [
    {
      arn: bucketArn(ctx.input.reqStr('Bucket')),
      accountId: ctx.caller.accountId,
      context: baseContext(ctx),
    },
  ],
  handler: async (ctx): Promise<S3Result> => {
    if (ctx.caller.kind === 'anonymous') throw new CommonError('AccessDenied', 'Access Denied');
    const name = ctx.input.reqStr('Bucket');
    const config = await readXmlBody(ctx, 'CreateBucketConfiguration');
    const region = requestedRegion(ctx, xmlText(config, 'LocationConstraint'));
    const owners = registry(ctx).owners;
    const existing = owners[name];
    if (existing) {
      if (existing.accountId !== ctx.caller.accountId) {
        throw s3Error(
          'BucketAlreadyExists',
          'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
          409,
          { BucketName: name },
        );
      }
      // AWS keeps a legacy answer for us-east-1: re-creating your own bucket there succeeds.
      if (existing.region === DEFAULT_REGION && region === DEFAULT_REGION) {
        return { headers: { location: `/${name}` } };
      }
      throw s3Error(
        'BucketAlreadyOwnedByYou',
        'Your previous request to create the named bucket succeeded and you already own it.',
        409,
        { BucketName: name },
      );
    }
    owners[name] = { accountId: ctx.caller.accountId, region };
    accountState(ctx, ctx.caller.accountId, region).buckets[name] = {
      name,
      accountId: ctx.caller.accountId,
      region,
      createdAt: ctx.clock.now().toISOString(),
      encryption: { algorithm: 'AES256', bucketKeyEnabled: false },
      // New buckets block public access, as in AWS since April 2023.
      publicAccessBlock: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
      objects: {},
      uploads: {},
    };
    return { headers: { location: `/${name}` } };
  },
};

const deleteBucket: ActionDefinition = {
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    if (Object.keys(bucket.objects).length > 0) {
      const versioned = bucket.versioning !== undefined;
      throw s3Error(
        'BucketNotEmpty',
        versioned
          ? 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.'
          : 'The bucket you tried to delete is not empty',
        409,
        { BucketName: bucket.name },
      );
    }
    delete registry(ctx).owners[bucket.name];
    delete accountState(ctx, bucket.accountId, bucket.region).buckets[bucket.name];
    return { status: 204 };
  },
};

const headBucket: ActionDefinition = {
  iamAction: 's3:ListBucket',
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    return {
      headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' },
    };
  },
};

const listBuckets: ActionDefinition = {
  iamAction: 's3:ListAllMyBuckets',
  handler: (ctx): S3Result => {
    if (ctx.caller.kind === 'anonymous') throw new CommonError('AccessDenied', 'Access Denied');
    const prefix = ctx.input.str('prefix') ?? '';
    const regionFilter = ctx.input.str('bucket-region');
    const max = ctx.input.int('max-buckets') ?? 10_000;
    if (max < 1 || max > 10_000) {
      throw s3Error('InvalidArgument', 'max-buckets must be between 1 and 10000', 400);
    }
    const after = ctx.input.str('continuation-token');
    const names = Object.entries(registry(ctx).owners)
      .filter(
        ([name, owner]) => owner.accountId === ctx.caller.accountId && name.startsWith(prefix),
      )
      .filter(([, owner]) => regionFilter === undefined || owner.region === regionFilter)
      .map(([name]) => name)
      .sort()
      .filter((name) => after === undefined || name > Buffer.from(after, 'base64url').toString());
    const page = names.slice(0, max);
    const truncated = names.length > page.length;
    const buckets = page.map((name) => {
      const owner = registry(ctx).owners[name];
      const bucket = owner
        ? accountState(ctx, owner.accountId, owner.region).buckets[name]
        : undefined;
      return {
        Name: name,
        CreationDate: new Date(bucket?.createdAt ?? 0),
        BucketRegion: owner?.region ?? DEFAULT_REGION,
      };
    });
    return {
      xml: {
        root: 'ListAllMyBucketsResult',
        value: {
          Buckets: { Bucket: buckets },
          Owner: ownerElement(ctx, ctx.caller.accountId),
          ...(truncated
            ? { ContinuationToken: Buffer.from(page.at(-1) ?? '').toString('base64url') }
            : {}),
          ...(prefix !== '' ? { Prefix: prefix } : {}),
        },
      },
    };
  },
};

const getBucketLocation: ActionDefinition = {
  resources: (ctx) => [bucketTarget(ctx, { anyRegion: true })],
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx, { anyRegion: true });
    const location = bucket.region === DEFAULT_REGION ? '' : bucket.region;
    return {
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${location}</LocationConstraint>`,
    };
  },
};

/** Bucket lifecycle actions. */
export const BUCKET_ACTIONS: Record<string, ActionDefinition> = {
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  ListBuckets: listBuckets,
  GetBucketLocation: getBucketLocation,
};
