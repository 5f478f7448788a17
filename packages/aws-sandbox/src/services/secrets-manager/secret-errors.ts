// Secrets Manager's error codes, as its API returns them (all 400).
import { AwsError } from '../../framework/aws-error.js';

/** `ResourceNotFoundException`. */
export const resourceNotFound = (
  message = "Secrets Manager can't find the specified secret.",
): AwsError => new AwsError('ResourceNotFoundException', message);

/** `ResourceExistsException`. */
export const resourceExists = (message: string): AwsError =>
  new AwsError('ResourceExistsException', message);

/** `InvalidParameterException`: a value Secrets Manager refuses. */
export const invalidParameter = (message: string): AwsError =>
  new AwsError('InvalidParameterException', message);

/** `InvalidRequestException`: the secret's state does not allow the call. */
export const invalidRequest = (message: string): AwsError =>
  new AwsError('InvalidRequestException', message);

/** `InvalidRequestException` for secrets scheduled for deletion. */
export const markedForDeletion = (): AwsError =>
  invalidRequest(
    "You can't perform this operation on the secret because it was marked for deletion.",
  );

/** `InvalidNextTokenException`. */
export const invalidNextToken = (): AwsError =>
  new AwsError('InvalidNextTokenException', 'The NextToken value is invalid.');

/** `MalformedPolicyDocumentException`. */
export const malformedPolicy = (message: string): AwsError =>
  new AwsError('MalformedPolicyDocumentException', message);

/** `PublicPolicyException`. */
export const publicPolicy = (): AwsError =>
  new AwsError(
    'PublicPolicyException',
    'BlockPublicPolicy is set and the resource policy grants broad access to the secret.',
  );

/** `ValidationException`, for values outside the API's constraints. */
export const validation = (message: string): AwsError =>
  new AwsError('ValidationException', message);
