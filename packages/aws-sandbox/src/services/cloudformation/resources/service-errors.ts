// Reading the errors another service's action threw (AwsError or the framework's CommonError).
import { AwsError, CommonError } from '../../../framework/aws-error.js';

/** The error code of a failed call (`NoSuchEntity`, `AccessDenied`, …), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof AwsError) return error.code;
  if (error instanceof CommonError) return error.kind;
  return undefined;
}

const NOT_FOUND = new Set([
  'NoSuchEntity',
  'NotFoundException',
  'NoSuchBucket',
  'NoSuchBucketPolicy',
  'ResourceNotFoundException',
  'NoSuchTagSet',
  'ServerSideEncryptionConfigurationNotFoundError',
  'NoSuchPublicAccessBlockConfiguration',
]);

/** Whether a call failed because its target does not exist (deletes treat that as done). */
export function isNotFound(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && NOT_FOUND.has(code);
}

/** Runs a delete-like call, ignoring "not found". */
export async function ignoringNotFound(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error: unknown) {
    if (!isNotFound(error)) throw error;
  }
}
