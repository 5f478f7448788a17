// Bucket configuration: policy, versioning, default encryption, public access block, tags,
// lifecycle (stored and returned, not applied).
import { validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { CommonError } from '../../framework/aws-error.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { denialMessage } from '../../auth/authorizer.js';
import { readTextBody, readXmlBody } from './request-body.js';
import { bucketArn, bucketTarget, isPublicPolicy, requireBucket } from './s3-access.js';
import { invalidArgument, malformedXml, s3Error } from './s3-errors.js';
import type { S3Result } from './s3-protocol.js';
import type { BucketState, PublicAccessBlock, SseSettings } from './s3-state.js';
import { xmlList, xmlText, type XmlNode } from './s3-xml.js';

function malformedPolicy(message: string): Error {
  return s3Error('MalformedPolicy', message, 400);
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Checks what AWS checks beyond the grammar: resources in this bucket, known principals. */
function checkPolicySemantics(ctx: ActionContext, bucket: BucketState, policy: unknown): void {
  const statements = asList((policy as { Statement?: unknown }).Statement);
  for (const raw of statements) {
    const statement = raw as Record<string, unknown>;
    for (const resource of asList(statement['Resource'] ?? statement['NotResource'])) {
      const text = String(resource);
      if (text !== bucketArn(bucket.name) && !text.startsWith(`${bucketArn(bucket.name)}/`)) {
        throw malformedPolicy('Policy has invalid resource');
      }
    }
    for (const action of asList(statement['Action'] ?? statement['NotAction'])) {
      const text = String(action);
      if (text !== '*' && !text.toLowerCase().startsWith('s3:')) {
        throw malformedPolicy('Policy has invalid action');
      }
    }
    const principal = statement['Principal'] ?? statement['NotPrincipal'];
    if (principal !== null && typeof principal === 'object') {
      for (const arn of asList((principal as Record<string, unknown>)['AWS'])) {
        if (!principalExists(ctx, String(arn)))
          throw malformedPolicy('Invalid principal in policy');
      }
    }
  }
}

/** Roles and users named in a policy must exist when their account is one of the sandbox's. */
function principalExists(ctx: ActionContext, principal: string): boolean {
  if (principal === '*' || /^\d{12}$/.test(principal)) return true;
  const match = /^arn:aws:iam::(\d{12}):(root|role\/(?:.*\/)?([^/]+)|user\/(?:.*\/)?([^/]+))$/.exec(
    principal,
  );
  if (!match) return /^arn:aws:sts::\d{12}:assumed-role\/[^/]+\/[^/]+$/.test(principal);
  const [, accountId = '', kind = '', roleName, userName] = match;
  const account = ctx.world.accounts[accountId];
  if (!account || kind === 'root') return true;
  if (roleName !== undefined) return account.iam.roles[roleName] !== undefined;
  return userName !== undefined && account.iam.users[userName] !== undefined;
}

const putBucketPolicy: ActionDefinition = {
  resources: (ctx) => [bucketTarget(ctx)],
  handler: async (ctx): Promise<S3Result> => {
    const bucket = requireBucket(ctx);
    const text = await readTextBody(ctx);
    let policy: unknown;
    try {
      policy = JSON.parse(text);
    } catch {
      throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
    }
    if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
      throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
    }
    const errors = validateResourcePolicy(policy);
    if (errors[0] !== undefined) {
      throw malformedPolicy(`${errors[0].path}: ${errors[0].message}`);
    }
    checkPolicySemantics(ctx, bucket, policy);
    if (bucket.publicAccessBlock?.BlockPublicPolicy === true && isPublicPolicy(policy)) {
      throw new CommonError(
        'AccessDenied',
        denialMessage(
          ctx.caller,
          's3:PutBucketPolicy',
          bucketArn(bucket.name),
          'because public policies are blocked by the BlockPublicPolicy block public access setting.',
        ),
      );
    }
    bucket.policy = text;
    return { status: 204 };
  },
};

const getBucketPolicy: ActionDefinition = {
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    if (bucket.policy === undefined) {
      throw s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, {
        BucketName: bucket.name,
      });
    }
    return { headers: { 'content-type': 'application/json' }, body: bucket.policy };
  },
};

const deleteBucketPolicy: ActionDefinition = {
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    delete requireBucket(ctx).policy;
    return { status: 204 };
  },
};

const putBucketVersioning: ActionDefinition = {
  resources: (ctx) => [bucketTarget(ctx)],
  handler: async (ctx): Promise<S3Result> => {
    const bucket = requireBucket(ctx);
    const config = await readXmlBody(ctx, 'VersioningConfiguration');
    const status = xmlText(config, 'Status');
    if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
    bucket.versioning = status;
    return {};
  },
};

const getBucketVersioning: ActionDefinition = {
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    return {
      xml: {
        root: 'VersioningConfiguration',
        value: bucket.versioning ? { Status: bucket.versioning } : {},
      },
    };
  },
};

/** Parses `x-amz-server-side-encryption` style values. */
export function parseSseAlgorithm(value: string): SseSettings['algorithm'] | undefined {
  return value === 'AES256' || value === 'aws:kms' || value === 'aws:kms:dsse' ? value : undefined;
}

const putBucketEncryption: ActionDefinition = {
  iamAction: 's3:PutEncryptionConfiguration',
  resources: (ctx) => [bucketTarget(ctx)],
  handler: async (ctx): Promise<S3Result> => {
    const bucket = requireBucket(ctx);
    const config = await readXmlBody(ctx, 'ServerSideEncryptionConfiguration');
    const rules = xmlList(config?.['Rule']);
    const rule = rules[0];
    if (rules.length !== 1 || rule === undefined || typeof rule === 'string') throw malformedXml();
    const defaults = rule['ApplyServerSideEncryptionByDefault'];
    if (defaults === undefined || Array.isArray(defaults)) throw malformedXml();
    const algorithm = parseSseAlgorithm(xmlText(defaults, 'SSEAlgorithm') ?? '');
    if (algorithm === undefined) throw malformedXml();
    const keyId = xmlText(defaults, 'KMSMasterKeyID');
    if (keyId !== undefined && algorithm === 'AES256') {
      throw invalidArgument(
        'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
        'ApplyServerSideEncryptionByDefault',
      );
    }
    const bucketKey = xmlText(rule, 'BucketKeyEnabled');
    bucket.encryption = {
      algorithm,
      ...(keyId !== undefined ? { kmsKeyId: keyId } : {}),
      bucketKeyEnabled: bucketKey === 'true',
    };
    return {};
  },
};

const getBucketEncryption: ActionDefinition = {
  iamAction: 's3:GetEncryptionConfiguration',
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    const { encryption } = requireBucket(ctx);
    return {
      xml: {
        root: 'ServerSideEncryptionConfiguration',
        value: {
          Rule: {
            ApplyServerSideEncryptionByDefault: {
              SSEAlgorithm: encryption.algorithm,
              KMSMasterKeyID: encryption.kmsKeyId,
            },
            BucketKeyEnabled: encryption.bucketKeyEnabled ?? false,
          },
        },
      },
    };
  },
};

const deleteBucketEncryption: ActionDefinition = {
  iamAction: 's3:PutEncryptionConfiguration',
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    requireBucket(ctx).encryption = { algorithm: 'AES256', bucketKeyEnabled: false };
    return { status: 204 };
  },
};

const PAB_FIELDS: (keyof PublicAccessBlock)[] = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
];

const putPublicAccessBlock: ActionDefinition = {
  iamAction: 's3:PutBucketPublicAccessBlock',
  resources: (ctx) => [bucketTarget(ctx)],
  handler: async (ctx): Promise<S3Result> => {
    const bucket = requireBucket(ctx);
    const config = await readXmlBody(ctx, 'PublicAccessBlockConfiguration');
    if (config === undefined) throw malformedXml();
    const block = {} as PublicAccessBlock;
    for (const field of PAB_FIELDS) {
      const value = xmlText(config, field);
      if (value !== undefined && value !== 'true' && value !== 'false') throw malformedXml();
      block[field] = value === 'true';
    }
    bucket.publicAccessBlock = block;
    return {};
  },
};

const getPublicAccessBlock: ActionDefinition = {
  iamAction: 's3:GetBucketPublicAccessBlock',
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    if (!bucket.publicAccessBlock) {
      throw s3Error(
        'NoSuchPublicAccessBlockConfiguration',
        'The public access block configuration was not found',
        404,
        { BucketName: bucket.name },
      );
    }
    return {
      xml: { root: 'PublicAccessBlockConfiguration', value: { ...bucket.publicAccessBlock } },
    };
  },
};

const deletePublicAccessBlock: ActionDefinition = {
  iamAction: 's3:PutBucketPublicAccessBlock',
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    delete requireBucket(ctx).publicAccessBlock;
    return { status: 204 };
  },
};

/** Parses a `<Tagging><TagSet><Tag>` document (bucket and object tags share it). */
export function parseTagSet(config: Record<string, XmlNode | XmlNode[]> | undefined): {
  Key: string;
  Value: string;
}[] {
  const tagSet = config?.['TagSet'];
  if (tagSet === undefined || Array.isArray(tagSet)) throw malformedXml();
  const tags = xmlList(typeof tagSet === 'string' ? undefined : tagSet['Tag']).map((tag) => {
    const key = xmlText(tag, 'Key');
    if (key === undefined) throw malformedXml();
    return { Key: key, Value: xmlText(tag, 'Value') ?? '' };
  });
  if (new Set(tags.map((tag) => tag.Key)).size !== tags.length) {
    throw s3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', 400);
  }
  if (tags.length > 50)
    throw s3Error('InvalidTag', 'Bucket tag count cannot be greater than 50', 400);
  return tags;
}

const putBucketTagging: ActionDefinition = {
  resources: (ctx) => [bucketTarget(ctx)],
  handler: async (ctx): Promise<S3Result> => {
    const bucket = requireBucket(ctx);
    bucket.tags = parseTagSet(await readXmlBody(ctx, 'Tagging'));
    return { status: 204 };
  },
};

const getBucketTagging: ActionDefinition = {
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    if (!bucket.tags || bucket.tags.length === 0) {
      throw s3Error('NoSuchTagSet', 'The TagSet does not exist', 404, { BucketName: bucket.name });
    }
    return { xml: { root: 'Tagging', value: { TagSet: { Tag: bucket.tags } } } };
  },
};

const deleteBucketTagging: ActionDefinition = {
  iamAction: 's3:PutBucketTagging',
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    delete requireBucket(ctx).tags;
    return { status: 204 };
  },
};

const putLifecycle: ActionDefinition = {
  iamAction: 's3:PutLifecycleConfiguration',
  resources: (ctx) => [bucketTarget(ctx)],
  handler: async (ctx): Promise<S3Result> => {
    const bucket = requireBucket(ctx);
    const config = await readXmlBody(ctx, 'LifecycleConfiguration');
    const rules = xmlList(config?.['Rule']);
    if (rules.length === 0 || rules.length > 1000) throw malformedXml();
    for (const rule of rules) {
      const status = xmlText(rule, 'Status');
      if (status !== 'Enabled' && status !== 'Disabled') throw malformedXml();
    }
    bucket.lifecycleRules = rules;
    return {};
  },
};

const getLifecycle: ActionDefinition = {
  iamAction: 's3:GetLifecycleConfiguration',
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    const bucket = requireBucket(ctx);
    if (!bucket.lifecycleRules) {
      throw s3Error(
        'NoSuchLifecycleConfiguration',
        'The lifecycle configuration does not exist',
        404,
        { BucketName: bucket.name },
      );
    }
    return { xml: { root: 'LifecycleConfiguration', value: { Rule: bucket.lifecycleRules } } };
  },
};

const deleteLifecycle: ActionDefinition = {
  iamAction: 's3:PutLifecycleConfiguration',
  resources: (ctx) => [bucketTarget(ctx)],
  handler: (ctx): S3Result => {
    delete requireBucket(ctx).lifecycleRules;
    return { status: 204 };
  },
};

/** Bucket configuration actions. */
export const BUCKET_CONFIG_ACTIONS: Record<string, ActionDefinition> = {
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  PutBucketVersioning: putBucketVersioning,
  GetBucketVersioning: getBucketVersioning,
  PutBucketEncryption: putBucketEncryption,
  GetBucketEncryption: getBucketEncryption,
  DeleteBucketEncryption: deleteBucketEncryption,
  PutPublicAccessBlock: putPublicAccessBlock,
  GetPublicAccessBlock: getPublicAccessBlock,
  DeletePublicAccessBlock: deletePublicAccessBlock,
  PutBucketTagging: putBucketTagging,
  GetBucketTagging: getBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  PutBucketLifecycleConfiguration: putLifecycle,
  GetBucketLifecycleConfiguration: getLifecycle,
  DeleteBucketLifecycle: deleteLifecycle,
};
