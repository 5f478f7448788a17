// KMS's error codes, as the KMS API returns them (all 400 except internal failures).
import { AwsError } from '../../framework/aws-error.js';

/** `NotFoundException`: no such key or alias. */
export const notFound = (message: string): AwsError => new AwsError('NotFoundException', message);

/** `NotFoundException` for a key ARN that names no key. */
export const keyNotFound = (keyArn: string): AwsError => notFound(`Key '${keyArn}' does not exist`);

/** `NotFoundException` for an alias ARN that names no alias. */
export const aliasNotFound = (aliasArn: string): AwsError =>
  notFound(`Alias ${aliasArn} is not found.`);

/** `DisabledException`: the key is disabled. */
export const disabled = (keyArn: string): AwsError =>
  new AwsError('DisabledException', `${keyArn} is disabled.`);

/** `KMSInvalidStateException`: the key's state does not allow the operation. */
export const invalidState = (message: string): AwsError =>
  new AwsError('KMSInvalidStateException', message);

/** `InvalidCiphertextException`: the blob is not ours, was altered, or the context differs. */
export const invalidCiphertext = (): AwsError =>
  new AwsError(
    'InvalidCiphertextException',
    'The ciphertext is invalid, was modified, or does not match the encryption context.',
  );

/** `IncorrectKeyException`: Decrypt's KeyId is not the key the ciphertext was made with. */
export const incorrectKey = (): AwsError =>
  new AwsError(
    'IncorrectKeyException',
    'The key ID in the request does not identify a KMS key that can perform this operation.',
  );

/** `AlreadyExistsException`: an alias with this name exists. */
export const alreadyExists = (message: string): AwsError =>
  new AwsError('AlreadyExistsException', message);

/** `MalformedPolicyDocumentException`. */
export const malformedPolicy = (message: string): AwsError =>
  new AwsError('MalformedPolicyDocumentException', message);

/** `ValidationException`, KMS's answer to parameters outside their constraints. */
export const validation = (message: string): AwsError =>
  new AwsError('ValidationException', message);

/** `TagException`: a tag key or value the service refuses. */
export const tagError = (message: string): AwsError => new AwsError('TagException', message);

/** `InvalidMarkerException`: a pagination marker the sandbox did not issue. */
export const invalidMarker = (): AwsError =>
  new AwsError('InvalidMarkerException', 'The marker is invalid.');

/** `UnsupportedOperationException`: something the sandbox (or KMS) does not do. */
export const unsupported = (message: string): AwsError =>
  new AwsError('UnsupportedOperationException', message);
