// STS error codes with the statuses STS returns.
import { AwsError } from '../../framework/aws-error.js';

/** `ValidationError` (400). */
export const stsValidation = (message: string): AwsError =>
  new AwsError('ValidationError', message);
/** `AccessDenied` (403). */
export const stsAccessDenied = (message: string): AwsError =>
  new AwsError('AccessDenied', message, { status: 403 });
/** `InvalidIdentityToken` (400). */
export const invalidIdentityToken = (message: string): AwsError =>
  new AwsError('InvalidIdentityToken', message);
/** `ExpiredTokenException` (400), for expired web identity tokens. */
export const expiredIdentityToken = (message: string): AwsError =>
  new AwsError('ExpiredTokenException', message);
/** `IDPCommunicationError` (400). */
export const idpCommunicationError = (message: string): AwsError =>
  new AwsError('IDPCommunicationError', message);
/** `MalformedPolicyDocument` (400). */
export const stsMalformedPolicy = (message: string): AwsError =>
  new AwsError('MalformedPolicyDocument', message);
/** `PackedPolicyTooLarge` (400). */
export const packedPolicyTooLarge = (message: string): AwsError =>
  new AwsError('PackedPolicyTooLarge', message);
