// Lambda's error codes, statuses and messages, as the Lambda API returns them.
import { AwsError } from '../../framework/aws-error.js';

/** `ResourceNotFoundException` (404). */
export const notFound = (message: string): AwsError =>
  new AwsError('ResourceNotFoundException', message, { status: 404 });

/** `ResourceNotFoundException` for a function, version or qualified ARN that does not exist. */
export const functionNotFound = (arn: string): AwsError => notFound(`Function not found: ${arn}`);

/** `ResourceNotFoundException` for an alias. */
export const aliasNotFound = (aliasArn: string): AwsError =>
  notFound(`Cannot find alias arn: ${aliasArn}`);

/** `InvalidParameterValueException` (400). */
export const invalidParameter = (message: string): AwsError =>
  new AwsError('InvalidParameterValueException', message);

/** How a validation message quotes a value. */
function quoted(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  return `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
}

/** `ValidationException` (400): a member breaks the model's constraints. */
export const validation = (member: string, value: unknown, constraint: string): AwsError =>
  new AwsError(
    'ValidationException',
    `1 validation error detected: Value ${quoted(value)} at '${member}' failed to satisfy constraint: ${constraint}`,
  );

/** `ResourceConflictException` (409). */
export const conflict = (message: string): AwsError =>
  new AwsError('ResourceConflictException', message, { status: 409 });

/** `ResourceConflictException` while an update or the creation is still in progress. */
export const updateInProgress = (functionArn: string): AwsError =>
  conflict(
    `The operation cannot be performed at this time. An update is in progress for resource: ${functionArn}`,
  );

/** `ResourceConflictException` while the function is `Pending`. */
export const pendingFunction = (): AwsError =>
  conflict(
    'The operation cannot be performed at this time. The function is currently in the following state: Pending',
  );

/** `PreconditionFailedException` (412): a stale `RevisionId`. */
export const staleRevision = (what: 'function' | 'alias'): AwsError =>
  new AwsError(
    'PreconditionFailedException',
    `The Revision Id provided does not match the latest Revision Id. Call the ${what === 'alias' ? 'GetAlias' : 'GetFunction'} API to retrieve the latest Revision Id`,
    { status: 412 },
  );

/** `RequestTooLargeException` (413). */
export const requestTooLarge = (limit: number, operation: string): AwsError =>
  new AwsError(
    'RequestTooLargeException',
    `Request must be smaller than ${limit} bytes for the ${operation} operation`,
    { status: 413 },
  );

/** `InvalidRequestContentException` (400): an Invoke payload that is not JSON. */
export const invalidRequestContent = (message: string): AwsError =>
  new AwsError('InvalidRequestContentException', message);
