// CloudFront's error codes and messages.
import { AwsError } from '../../framework/aws-error.js';

/** `NoSuchDistribution` (404). */
export function noSuchDistribution(): AwsError {
  return new AwsError('NoSuchDistribution', 'The specified distribution does not exist.', {
    status: 404,
  });
}

/** `NoSuchInvalidation` (404). */
export function noSuchInvalidation(): AwsError {
  return new AwsError('NoSuchInvalidation', 'The specified invalidation does not exist.', {
    status: 404,
  });
}

/** `InvalidArgument` (400). */
export function invalidArgument(message: string): AwsError {
  return new AwsError('InvalidArgument', message);
}
