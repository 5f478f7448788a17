// CloudWatch Logs' error codes and messages, as the service returns them.
import { AwsError } from '../../framework/aws-error.js';

/** `ResourceNotFoundException` for a missing group or stream. */
export function logsNotFound(kind: 'log group' | 'log stream'): AwsError {
  return new AwsError('ResourceNotFoundException', `The specified ${kind} does not exist.`);
}

/** `ResourceAlreadyExistsException` for a group or stream that exists. */
export function logsAlreadyExists(kind: 'log group' | 'log stream'): AwsError {
  return new AwsError('ResourceAlreadyExistsException', `The specified ${kind} already exists`);
}

/** `InvalidParameterException`, Logs' answer to any bad parameter. */
export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

/** The "1 validation error detected" message AWS builds from its model constraints. */
export function constraintViolation(field: string, value: string, constraint: string): AwsError {
  return invalidParameter(
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}
