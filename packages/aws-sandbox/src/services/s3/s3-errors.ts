// S3's own error codes, messages and statuses, so the SDK raises the same classes as against AWS.
import { AwsError } from '../../framework/aws-error.js';

/** An S3 error with extra XML fields (`BucketName`, `Key`, …). */
export function s3Error(
  code: string,
  message: string,
  status: number,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
): AwsError {
  return new AwsError(code, message, { status, fields, headers });
}

/** 404 `NoSuchBucket`. */
export function noSuchBucket(bucket: string): AwsError {
  return s3Error('NoSuchBucket', 'The specified bucket does not exist', 404, {
    BucketName: bucket,
  });
}

/** 404 `NoSuchKey`. */
export function noSuchKey(key: string): AwsError {
  return s3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
}

/** 404 `NoSuchVersion`. */
export function noSuchVersion(key: string, versionId: string): AwsError {
  return s3Error('NoSuchVersion', 'The specified version does not exist.', 404, {
    Key: key,
    VersionId: versionId,
  });
}

/** 404 `NoSuchUpload`. */
export function noSuchUpload(uploadId: string): AwsError {
  return s3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
    { UploadId: uploadId },
  );
}

/** 412 `PreconditionFailed`. */
export function preconditionFailed(condition: string): AwsError {
  return s3Error(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    412,
    { Condition: condition },
  );
}

/** 400 `InvalidArgument`. */
export function invalidArgument(message: string, name?: string, value?: string): AwsError {
  return s3Error('InvalidArgument', message, 400, {
    ...(name !== undefined ? { ArgumentName: name } : {}),
    ...(value !== undefined ? { ArgumentValue: value } : {}),
  });
}

/** 400 `InvalidRequest`. */
export function invalidRequest(message: string): AwsError {
  return s3Error('InvalidRequest', message, 400);
}

/** 400 `MalformedXML`. */
export function malformedXml(): AwsError {
  return s3Error(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
    400,
  );
}

/** 400 `BadDigest`: a checksum or Content-MD5 did not match the data. */
export function badDigest(what: string): AwsError {
  return s3Error(
    'BadDigest',
    `The ${what} you specified did not match the calculated checksum.`,
    400,
  );
}

/** 400 `IncompleteBody`. */
export function incompleteBody(): AwsError {
  return s3Error(
    'IncompleteBody',
    'You did not provide the number of bytes specified by the Content-Length HTTP header.',
    400,
  );
}
