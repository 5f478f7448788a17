// How a repository appears in ECR's responses.
import type { SandboxRuntime } from '../../framework/runtime.js';
import { repositoryUri, type EcrRepository } from './ecr-state.js';

/** ECR's `Repository` shape. */
export function renderRepository(
  runtime: SandboxRuntime,
  repository: EcrRepository,
): Record<string, unknown> {
  return {
    repositoryArn: repository.arn,
    registryId: repository.registryId,
    repositoryName: repository.name,
    repositoryUri: repositoryUri(
      runtime,
      repository.registryId,
      repository.region,
      repository.name,
    ),
    createdAt: new Date(repository.createdAt),
    imageTagMutability: repository.imageTagMutability,
    ...(repository.imageTagMutabilityExclusionFilters.length > 0
      ? { imageTagMutabilityExclusionFilters: repository.imageTagMutabilityExclusionFilters }
      : {}),
    imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    encryptionConfiguration: {
      encryptionType: repository.encryptionType,
      ...(repository.kmsKey !== undefined ? { kmsKey: repository.kmsKey } : {}),
    },
  };
}
