// IAM's error codes and statuses, as the IAM API returns them.
import { AwsError } from '../../framework/aws-error.js';

/** `NoSuchEntity` (404). */
export const noSuchEntity = (message: string): AwsError =>
  new AwsError('NoSuchEntity', message, { status: 404 });
/** `EntityAlreadyExists` (409). */
export const entityAlreadyExists = (message: string): AwsError =>
  new AwsError('EntityAlreadyExists', message, { status: 409 });
/** `DeleteConflict` (409). */
export const deleteConflict = (message: string): AwsError =>
  new AwsError('DeleteConflict', message, { status: 409 });
/** `LimitExceeded` (409). */
export const limitExceeded = (message: string): AwsError =>
  new AwsError('LimitExceeded', message, { status: 409 });
/** `MalformedPolicyDocument` (400). */
export const malformedPolicy = (message: string): AwsError =>
  new AwsError('MalformedPolicyDocument', message);
/** `ValidationError` (400). */
export const validationError = (message: string): AwsError =>
  new AwsError('ValidationError', message);
/** `InvalidInput` (400). */
export const invalidInput = (message: string): AwsError => new AwsError('InvalidInput', message);
/** `UnmodifiableEntity` (400), for AWS managed policies. */
export const unmodifiable = (message: string): AwsError =>
  new AwsError('UnmodifiableEntity', message);
