// CloudFormation's error codes and statuses, as the query API returns them.
import { AwsError } from '../../framework/aws-error.js';

/** `ValidationError` (400): CloudFormation's answer to most bad requests. */
export const validationError = (message: string): AwsError =>
  new AwsError('ValidationError', message);
/** `ValidationError` with AWS's `Template format error: ` prefix (structure problems). */
export const templateFormatError = (message: string): AwsError =>
  validationError(`Template format error: ${message}`);
/** `ValidationError` with AWS's `Template error: ` prefix (bad intrinsic function use). */
export const templateError = (message: string): AwsError =>
  validationError(`Template error: ${message}`);
/** `AlreadyExistsException` (400). */
export const alreadyExists = (message: string): AwsError =>
  new AwsError('AlreadyExistsException', message);
/** `InsufficientCapabilitiesException` (400). */
export const insufficientCapabilities = (message: string): AwsError =>
  new AwsError('InsufficientCapabilitiesException', message);
/** `ChangeSetNotFound` (404), raised by the SDK as `ChangeSetNotFoundException`. */
export const changeSetNotFound = (name: string): AwsError =>
  new AwsError('ChangeSetNotFound', `ChangeSet [${name}] does not exist`, { status: 404 });
/** `InvalidChangeSetStatus` (400), raised by the SDK as `InvalidChangeSetStatusException`. */
export const invalidChangeSetStatus = (message: string): AwsError =>
  new AwsError('InvalidChangeSetStatus', message);
/** `TokenAlreadyExistsException` (400). */
export const tokenAlreadyExists = (message: string): AwsError =>
  new AwsError('TokenAlreadyExistsException', message);
/** `LimitExceededException` (400). */
export const limitExceeded = (message: string): AwsError =>
  new AwsError('LimitExceededException', message);
