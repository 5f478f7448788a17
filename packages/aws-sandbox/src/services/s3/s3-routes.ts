// Path-style S3 routing: method + `/<bucket>/<key>` + query sub-resource → the S3 action name.
import type { SandboxHttpRequest } from '../../framework/http.js';
import { s3Error } from './s3-errors.js';

/** Where a request points. */
export interface S3Target {
  /** Empty for service-level requests (`GET /`). */
  bucket: string;
  /** Empty for bucket-level requests. */
  key: string;
}

/** Splits a raw path-style path into bucket and key (both decoded). */
export function parseS3Path(rawPath: string): S3Target {
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  const slash = path.indexOf('/');
  const rawBucket = slash < 0 ? path : path.slice(0, slash);
  const rawKey = slash < 0 ? '' : path.slice(slash + 1);
  try {
    return { bucket: decodeURIComponent(rawBucket), key: decodeURIComponent(rawKey) };
  } catch {
    throw s3Error('InvalidURI', "Couldn't parse the specified URI.", 400);
  }
}

/** Bucket-level sub-resources handled per method. */
const BUCKET_ROUTES: Record<string, Record<string, string>> = {
  GET: {
    policy: 'GetBucketPolicy',
    versioning: 'GetBucketVersioning',
    encryption: 'GetBucketEncryption',
    publicAccessBlock: 'GetPublicAccessBlock',
    tagging: 'GetBucketTagging',
    lifecycle: 'GetBucketLifecycleConfiguration',
    location: 'GetBucketLocation',
    versions: 'ListObjectVersions',
    uploads: 'ListMultipartUploads',
  },
  PUT: {
    policy: 'PutBucketPolicy',
    versioning: 'PutBucketVersioning',
    encryption: 'PutBucketEncryption',
    publicAccessBlock: 'PutPublicAccessBlock',
    tagging: 'PutBucketTagging',
    lifecycle: 'PutBucketLifecycleConfiguration',
  },
  DELETE: {
    policy: 'DeleteBucketPolicy',
    encryption: 'DeleteBucketEncryption',
    publicAccessBlock: 'DeletePublicAccessBlock',
    tagging: 'DeleteBucketTagging',
    lifecycle: 'DeleteBucketLifecycle',
  },
  POST: { delete: 'DeleteObjects' },
};

/** Sub-resources S3 has that the sandbox does not emulate (answered with `NotImplemented`). */
const UNEMULATED = [
  'acl',
  'cors',
  'website',
  'logging',
  'notification',
  'replication',
  'requestPayment',
  'accelerate',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'ownershipControls',
  'object-lock',
  'legal-hold',
  'retention',
  'restore',
  'select',
  'torrent',
  'attributes',
  'policyStatus',
  'renameObject',
];

function notImplemented(what: string): Error {
  return s3Error(
    'NotImplemented',
    `A header or query you provided implies functionality that is not implemented: ${what}`,
    501,
  );
}

function bucketAction(method: string, query: URLSearchParams): string {
  const routes = BUCKET_ROUTES[method] ?? {};
  for (const [subresource, action] of Object.entries(routes)) {
    if (query.has(subresource)) return action;
  }
  const unknown = UNEMULATED.find((name) => query.has(name));
  if (unknown !== undefined) throw notImplemented(unknown);
  switch (method) {
    case 'PUT':
      return 'CreateBucket';
    case 'DELETE':
      return 'DeleteBucket';
    case 'HEAD':
      return 'HeadBucket';
    case 'GET':
      return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    default:
      throw notImplemented(`${method} on a bucket`);
  }
}

function objectAction(
  method: string,
  query: URLSearchParams,
  headers: Record<string, string>,
): string {
  const unknown = [...UNEMULATED, 'tagging'].find((name) => query.has(name));
  if (unknown !== undefined) throw notImplemented(unknown);
  const uploadId = query.has('uploadId');
  switch (method) {
    case 'PUT':
      if (uploadId || query.has('partNumber')) {
        return headers['x-amz-copy-source'] !== undefined ? 'UploadPartCopy' : 'UploadPart';
      }
      return headers['x-amz-copy-source'] !== undefined ? 'CopyObject' : 'PutObject';
    case 'GET':
      return uploadId ? 'ListParts' : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return uploadId ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'POST':
      if (query.has('uploads')) return 'CreateMultipartUpload';
      if (uploadId) return 'CompleteMultipartUpload';
      throw notImplemented('POST object uploads (browser forms)');
    default:
      throw notImplemented(`${method} on an object`);
  }
}

/** The action a request names. Throws `NotImplemented` for S3 features the sandbox lacks. */
export function routeS3(request: SandboxHttpRequest, target: S3Target): string {
  const method = request.method.toUpperCase();
  if (target.bucket === '') {
    if (method === 'GET') return 'ListBuckets';
    throw s3Error(
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
      405,
    );
  }
  if (target.key === '') return bucketAction(method, request.query);
  return objectAction(method, request.query, request.headers);
}
