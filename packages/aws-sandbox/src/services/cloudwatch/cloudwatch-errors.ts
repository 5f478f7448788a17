// CloudWatch's errors: the JSON shape names current SDKs raise, and the codes query clients see.
import { AwsError } from '../../framework/aws-error.js';

/**
 * JSON error code → query error code, from the service model's `awsQueryError` traits, plus the
 * framework's own failures. The JSON protocol sends the query code in `x-amzn-query-error`; the
 * query protocol answers with it.
 */
export const QUERY_ERROR_CODES: Readonly<Record<string, string>> = {
  InvalidParameterValueException: 'InvalidParameterValue',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
  MissingRequiredParameterException: 'MissingParameter',
  LimitExceededFault: 'LimitExceeded',
  InvalidFormatFault: 'InvalidFormat',
  InternalServiceFault: 'InternalServiceError',
  ValidationException: 'ValidationError',
  AccessDeniedException: 'AccessDenied',
  ThrottlingException: 'Throttling',
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  ExpiredTokenException: 'ExpiredToken',
  IncompleteSignatureException: 'IncompleteSignature',
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  ServiceUnavailableException: 'ServiceUnavailable',
  UnknownOperationException: 'InvalidAction',
  SerializationException: 'MalformedInput',
  RequestEntityTooLargeException: 'RequestEntityTooLarge',
};

/** `InvalidParameterValue`: a parameter has a value CloudWatch refuses. */
export function invalidParameterValue(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message);
}

/** `InvalidParameterCombination`: parameters that cannot be used together, or one of a pair. */
export function invalidParameterCombination(message: string): AwsError {
  return new AwsError('InvalidParameterCombinationException', message);
}

/** `MissingParameter`: a required parameter is absent. */
export function missingParameter(name: string): AwsError {
  return new AwsError('MissingRequiredParameterException', `The parameter ${name} is required.`);
}

/** `ValidationError`: a value breaks the model's constraints (enums, lengths, ranges). */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

/** `ResourceNotFound` (alarms: SetAlarmState). */
export function alarmNotFound(name: string): AwsError {
  return new AwsError('ResourceNotFound', `Alarm ${name} not found`, { status: 404 });
}

/** `ResourceNotFoundException` (tagging), with the resource's type and id. */
export function resourceNotFoundException(type: string, id: string): AwsError {
  return new AwsError('ResourceNotFoundException', `${type} ${id} does not exist.`, {
    status: 404,
    fields: { ResourceType: type, ResourceId: id },
  });
}

/** `InvalidNextToken`. */
export function invalidNextToken(): AwsError {
  return new AwsError('InvalidNextToken', 'The service returned an invalid next token.');
}

/** `InvalidFormat` (SetAlarmState's StateReasonData must be JSON). */
export function invalidFormat(message: string): AwsError {
  return new AwsError('InvalidFormatFault', message);
}

/** `LimitExceeded`. */
export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceededFault', message);
}
