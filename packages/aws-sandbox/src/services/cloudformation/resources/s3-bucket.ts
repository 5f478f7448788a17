// AWS::S3::Bucket: the bucket and its versioning, default encryption, public access block,
// lifecycle rules and tags, each applied with the matching S3 call.
import type { InputValue } from '../../../framework/input.js';
import {
  optBoolean,
  optObject,
  optString,
  sameValue,
  scalarText,
  tagsOf,
} from './property-readers.js';
import type { ProviderContext, ResourceProperties, ResourceProvider } from './resource-provider.js';
import { PropertiesValidationError } from './properties-validation-error.js';
import { s3Document, type S3DocValue } from './s3-documents.js';
import { ignoringNotFound } from './service-errors.js';

/** Calls an S3 action on a bucket, with a request document (or an empty body). */
function s3(
  ctx: ProviderContext,
  action: string,
  bucket: string,
  document?: string,
  extra: Record<string, InputValue> = {},
): Promise<unknown> {
  return ctx.call(
    's3',
    action,
    { Bucket: bucket, ...extra },
    {
      body: document ?? '',
      headers: document === undefined ? {} : { 'content-type': 'application/xml' },
    },
  );
}

function list(value: unknown, path: string): ResourceProperties[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new PropertiesValidationError(`#/${path}: expected type: JSONArray`);
  return value as ResourceProperties[];
}

function encryptionDocument(props: ResourceProperties): string | undefined {
  const encryption = optObject(props, 'BucketEncryption');
  if (!encryption) return undefined;
  const rules = list(
    encryption['ServerSideEncryptionConfiguration'],
    'BucketEncryption/ServerSideEncryptionConfiguration',
  );
  return s3Document('ServerSideEncryptionConfiguration', {
    Rule: rules.map((rule) => {
      const defaults = optObject(rule, 'ServerSideEncryptionByDefault');
      return {
        ApplyServerSideEncryptionByDefault: defaults
          ? {
              SSEAlgorithm: optString(defaults, 'SSEAlgorithm'),
              KMSMasterKeyID: optString(defaults, 'KMSMasterKeyID'),
            }
          : undefined,
        BucketKeyEnabled: optBoolean(rule, 'BucketKeyEnabled'),
      };
    }),
  });
}

function publicAccessDocument(props: ResourceProperties): string | undefined {
  const block = optObject(props, 'PublicAccessBlockConfiguration');
  if (!block) return undefined;
  return s3Document('PublicAccessBlockConfiguration', {
    BlockPublicAcls: optBoolean(block, 'BlockPublicAcls') ?? false,
    IgnorePublicAcls: optBoolean(block, 'IgnorePublicAcls') ?? false,
    BlockPublicPolicy: optBoolean(block, 'BlockPublicPolicy') ?? false,
    RestrictPublicBuckets: optBoolean(block, 'RestrictPublicBuckets') ?? false,
  });
}

function days(rule: ResourceProperties, object: string, field: string): S3DocValue {
  const nested = optObject(rule, object);
  const value = nested?.[field];
  return value === undefined ? undefined : scalarText(value);
}

function lifecycleDocument(props: ResourceProperties): string | undefined {
  const lifecycle = optObject(props, 'LifecycleConfiguration');
  if (!lifecycle) return undefined;
  const rules = list(lifecycle['Rules'], 'LifecycleConfiguration/Rules');
  return s3Document('LifecycleConfiguration', {
    Rule: rules.map((rule) => {
      const expiration = rule['ExpirationInDays'];
      return {
        ID: optString(rule, 'Id'),
        Filter: { Prefix: optString(rule, 'Prefix') ?? '' },
        Status: optString(rule, 'Status'),
        Expiration: expiration === undefined ? undefined : { Days: scalarText(expiration) },
        NoncurrentVersionExpiration:
          days(rule, 'NoncurrentVersionExpiration', 'NoncurrentDays') === undefined
            ? undefined
            : { NoncurrentDays: days(rule, 'NoncurrentVersionExpiration', 'NoncurrentDays') },
        AbortIncompleteMultipartUpload:
          days(rule, 'AbortIncompleteMultipartUpload', 'DaysAfterInitiation') === undefined
            ? undefined
            : {
                DaysAfterInitiation: days(
                  rule,
                  'AbortIncompleteMultipartUpload',
                  'DaysAfterInitiation',
                ),
              },
      };
    }),
  });
}

function tagsDocument(props: ResourceProperties): string | undefined {
  const tags = tagsOf(props);
  if (tags.length === 0) return undefined;
  return s3Document('Tagging', {
    TagSet: { Tag: tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })) },
  });
}

function versioningStatus(props: ResourceProperties): string | undefined {
  const versioning = optObject(props, 'VersioningConfiguration');
  return versioning ? optString(versioning, 'Status') : undefined;
}

/** Applies the configuration that differs from `previous` (everything on create). */
async function configure(
  ctx: ProviderContext,
  bucket: string,
  props: ResourceProperties,
  previous: ResourceProperties | undefined,
): Promise<void> {
  const changed = (name: string): boolean =>
    previous === undefined ? props[name] !== undefined : !sameValue(previous[name], props[name]);
  if (changed('VersioningConfiguration')) {
    // Versioning cannot be turned off once on: removing the property suspends it.
    const status = versioningStatus(props) ?? (previous !== undefined ? 'Suspended' : undefined);
    if (status !== undefined) {
      await s3(
        ctx,
        'PutBucketVersioning',
        bucket,
        s3Document('VersioningConfiguration', { Status: status }),
      );
    }
  }
  if (changed('BucketEncryption')) {
    const document = encryptionDocument(props);
    await (document === undefined
      ? s3(ctx, 'DeleteBucketEncryption', bucket)
      : s3(ctx, 'PutBucketEncryption', bucket, document));
  }
  if (changed('PublicAccessBlockConfiguration')) {
    const document = publicAccessDocument(props);
    await (document === undefined
      ? s3(ctx, 'DeletePublicAccessBlock', bucket)
      : s3(ctx, 'PutPublicAccessBlock', bucket, document));
  }
  if (changed('LifecycleConfiguration')) {
    const document = lifecycleDocument(props);
    await (document === undefined
      ? s3(ctx, 'DeleteBucketLifecycle', bucket)
      : s3(ctx, 'PutBucketLifecycleConfiguration', bucket, document));
  }
  if (changed('Tags')) {
    const document = tagsDocument(props);
    await (document === undefined
      ? s3(ctx, 'DeleteBucketTagging', bucket)
      : s3(ctx, 'PutBucketTagging', bucket, document));
  }
}

function attributes(bucket: string, region: string): Record<string, string> {
  return {
    Arn: `arn:aws:s3:::${bucket}`,
    DomainName: `${bucket}.s3.amazonaws.com`,
    RegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
    DualStackDomainName: `${bucket}.s3.dualstack.${region}.amazonaws.com`,
    WebsiteURL: `http://${bucket}.s3-website-${region}.amazonaws.com`,
  };
}

/** The provider. */
export const s3BucketProvider: ResourceProvider = {
  type: 'AWS::S3::Bucket',
  replaceOn: ['BucketName', 'ObjectLockEnabled'],
  attributes: ['Arn', 'DomainName', 'RegionalDomainName', 'DualStackDomainName', 'WebsiteURL'],
  taggable: true,
  async create(ctx, props) {
    const bucket =
      optString(props, 'BucketName') ?? ctx.physicalName({ maxLength: 63, lowercase: true });
    const location =
      ctx.region === 'us-east-1'
        ? undefined
        : s3Document('CreateBucketConfiguration', { LocationConstraint: ctx.region });
    await s3(ctx, 'CreateBucket', bucket, location);
    try {
      await configure(ctx, bucket, props, undefined);
    } catch (error: unknown) {
      await ignoringNotFound(() => s3(ctx, 'DeleteBucket', bucket)).catch(() => undefined);
      throw error;
    }
    return { physicalId: bucket, attributes: attributes(bucket, ctx.region) };
  },
  async update(ctx, { physicalId, previous, props }) {
    await configure(ctx, physicalId, props, previous);
    return { physicalId, attributes: attributes(physicalId, ctx.region) };
  },
  async delete(ctx, { physicalId }) {
    await ignoringNotFound(() => s3(ctx, 'DeleteBucket', physicalId));
  },
};
