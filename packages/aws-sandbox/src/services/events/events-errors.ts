// EventBridge's error codes and messages, as the service returns them.
import { AwsError } from '../../framework/aws-error.js';

/** `ValidationException` (no SDK class: the SDK raises its service exception with this name). */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

/** `ResourceNotFoundException`. */
export function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message);
}

/** `ResourceAlreadyExistsException`. */
export function alreadyExists(message: string): AwsError {
  return new AwsError('ResourceAlreadyExistsException', message);
}

/** `InvalidEventPatternException` with AWS's message prefix. */
export function invalidPattern(reason: string): AwsError {
  return new AwsError(
    'InvalidEventPatternException',
    `Event pattern is not valid. Reason: ${reason}`,
  );
}

/** `LimitExceededException`. */
export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceededException', message);
}

/** The "1 validation error detected" message AWS builds from its model constraints. */
export function constraintViolation(field: string, value: string, constraint: string): AwsError {
  return validationError(
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}
