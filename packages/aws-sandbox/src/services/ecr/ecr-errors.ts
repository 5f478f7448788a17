// ECR's error codes and messages, worded as the service words them.
import { AwsError } from '../../framework/aws-error.js';

/** An ECR error (400 unless stated). */
export function ecrError(
  code: string,
  message: string,
  fields: Record<string, string> = {},
): AwsError {
  return new AwsError(code, message, { fields });
}

/** `InvalidParameterException`. */
export function invalidParameter(message: string): AwsError {
  return ecrError('InvalidParameterException', message);
}

/** `RepositoryNotFoundException`. */
export function repositoryNotFound(name: string, registryId: string): AwsError {
  return ecrError(
    'RepositoryNotFoundException',
    `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
  );
}

/** `RepositoryAlreadyExistsException`. */
export function repositoryAlreadyExists(name: string, registryId: string): AwsError {
  return ecrError(
    'RepositoryAlreadyExistsException',
    `The repository with name '${name}' already exists in the registry with id '${registryId}'`,
  );
}

/** `RepositoryNotEmptyException`. */
export function repositoryNotEmpty(name: string, registryId: string): AwsError {
  return ecrError(
    'RepositoryNotEmptyException',
    `The repository with name '${name}' in registry with id '${registryId}' cannot be deleted because it still contains images`,
  );
}

/** `RepositoryPolicyNotFoundException`. */
export function repositoryPolicyNotFound(name: string, registryId: string): AwsError {
  return ecrError(
    'RepositoryPolicyNotFoundException',
    `Repository policy does not exist for the repository with name '${name}' in the registry with id '${registryId}'`,
  );
}

/** `LifecyclePolicyNotFoundException`. */
export function lifecyclePolicyNotFound(name: string, registryId: string): AwsError {
  return ecrError(
    'LifecyclePolicyNotFoundException',
    `Lifecycle policy does not exist for the repository with name '${name}' in the registry with id '${registryId}'`,
  );
}

/** `UploadNotFoundException`. */
export function uploadNotFound(uploadId: string, name: string, registryId: string): AwsError {
  return ecrError(
    'UploadNotFoundException',
    `Upload with id '${uploadId}' is not found for repository with name '${name}' in registry with id '${registryId}'`,
  );
}

/** The identifier ECR quotes in image errors: `{imageDigest:'…', imageTag:'…'}`. */
export function describeImageId(id: { imageDigest?: string; imageTag?: string }): string {
  return `{imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'}`;
}
