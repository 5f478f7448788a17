// Amazon S3 (REST-XML, path-style): buckets, their configuration, objects streamed to disk,
// multipart uploads, conditional writes; bucket policies feed the authorizer.
import type { ServiceDefinition } from '../../framework/service.js';
import { BUCKET_ACTIONS } from './bucket-actions.js';
import { BUCKET_CONFIG_ACTIONS } from './bucket-config-actions.js';
import { isValidBucketName } from './bucket-names.js';
import { COPY_ACTIONS } from './copy-object.js';
import { LIST_ACTIONS } from './list-actions.js';
import { MULTIPART_ACTIONS } from './multipart-actions.js';
import { OBJECT_ACTIONS } from './object-actions.js';
import { s3Protocol } from './s3-protocol.js';

/** S3. */
export const s3Service: ServiceDefinition = {
  name: 's3',
  protocol: s3Protocol,
  actions: {
    ...BUCKET_ACTIONS,
    ...BUCKET_CONFIG_ACTIONS,
    ...OBJECT_ACTIONS,
    ...COPY_ACTIONS,
    ...LIST_ACTIONS,
    ...MULTIPART_ACTIONS,
  },
  // Unsigned requests to `/<bucket>/…` are anonymous S3 calls (public buckets); only a bucket
  // policy can allow them. Paths whose first segment cannot be a bucket are left to others.
  claimsUnsigned: (request) => {
    if (request.headers['x-amz-target'] !== undefined || request.query.has('Action')) return false;
    const first = request.rawPath.split('/')[1] ?? '';
    return isValidBucketName(first);
  },
};
