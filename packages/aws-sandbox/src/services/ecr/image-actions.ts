// Images through the API: describe, list, get manifests, put manifests, delete.
import type { AwsError } from '../../framework/aws-error.js';
import type { Input } from '../../framework/input.js';
import { paginate } from '../../framework/pagination.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import {
  invalidNextToken,
  maxResultsOf,
  repositoryTarget,
  requireRepository,
  validateRepositoryCall,
} from './ecr-access.js';
import { describeImageId, ecrError, invalidParameter } from './ecr-errors.js';
import type { EcrImage, EcrRepository } from './ecr-state.js';
import {
  deleteImage,
  findImage,
  imagesByStatus,
  ImageStoreError,
  putManifest,
  tagsOf,
  type ImageId,
  type TagStatus,
} from './image-store.js';
import { accepts } from './manifests.js';
import { isValidDigest, isValidTag } from './references.js';

const TAG_STATUSES: readonly TagStatus[] = ['TAGGED', 'UNTAGGED', 'ANY'];

function imageIdsOf(input: Input): ImageId[] {
  return input.list('imageIds').map((id) => {
    const imageDigest = id.str('imageDigest');
    const imageTag = id.str('imageTag');
    return {
      ...(imageDigest !== undefined ? { imageDigest } : {}),
      ...(imageTag !== undefined ? { imageTag } : {}),
    };
  });
}

function requireImageIds(ctx: ActionContext): void {
  const count = ctx.input.list('imageIds').length;
  if (count < 1 || count > 100) {
    throw invalidParameter(
      "Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length less than or equal to 100 and greater than or equal to 1'",
    );
  }
}

function tagStatusOf(ctx: ActionContext): TagStatus {
  const status = ctx.input.obj('filter')?.str('tagStatus') ?? 'ANY';
  if (!TAG_STATUSES.includes(status as TagStatus)) {
    throw invalidParameter(
      `Invalid parameter at 'filter.tagStatus' failed to satisfy constraint: 'Member must satisfy enum value set: [${TAG_STATUSES.join(', ')}]'`,
    );
  }
  return status as TagStatus;
}

function imageDetail(repository: EcrRepository, image: EcrImage): Record<string, unknown> {
  const tags = tagsOf(repository, image.digest);
  return {
    registryId: repository.registryId,
    repositoryName: repository.name,
    imageDigest: image.digest,
    ...(tags.length > 0 ? { imageTags: tags } : {}),
    imageSizeInBytes: image.imageSize,
    imagePushedAt: new Date(image.pushedAt),
    imageManifestMediaType: image.mediaType,
    ...(image.artifactMediaType !== undefined
      ? { artifactMediaType: image.artifactMediaType }
      : {}),
    ...(image.subject !== undefined ? { subjectManifestDigest: image.subject } : {}),
  };
}

function imageNotFound(repository: EcrRepository, id: ImageId): AwsError {
  return ecrError(
    'ImageNotFoundException',
    `The image with imageId ${describeImageId(id)} does not exist within the repository with name '${repository.name}' in the registry with id '${repository.registryId}'`,
  );
}

/** ECR's exception for a manifest the image store refused. */
function putImageError(repository: EcrRepository, error: ImageStoreError): AwsError {
  const where = `repository with name '${repository.name}' in registry with id '${repository.registryId}'`;
  switch (error.kind) {
    case 'manifest-invalid':
      return invalidParameter(
        `Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax': ${error.message}`,
      );
    case 'tag-invalid':
      return invalidParameter(
        `Invalid parameter at 'imageTag' failed to satisfy constraint: ${error.message}`,
      );
    case 'digest-mismatch':
      return ecrError(
        'ImageDigestDoesNotMatchException',
        `The image digest '${error.digests[0] ?? ''}' of the manifest does not match the provided imageDigest`,
      );
    case 'blobs-unknown':
      return ecrError(
        'LayersNotFoundException',
        `Layers with digests '[${error.digests.join(', ')}]' required for pushing image into ${where} do not exist`,
      );
    case 'manifests-unknown':
      return ecrError(
        'ReferencedImagesNotFoundException',
        `Manifests with digests '[${error.digests.join(', ')}]' required for pushing image into ${where} do not exist`,
      );
    case 'tag-immutable':
      return ecrError('ImageTagAlreadyExistsException', error.message);
    default: {
      const never: never = error.kind;
      throw new Error(`unknown image store error ${String(never)}`);
    }
  }
}

/** Image actions. */
export const IMAGE_ACTIONS: Record<string, ActionDefinition> = {
  DescribeImages: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      if (
        ctx.input.has('imageIds') &&
        (ctx.input.has('maxResults') || ctx.input.has('nextToken'))
      ) {
        throw invalidParameter('maxResults and nextToken cannot be used with imageIds');
      }
      maxResultsOf(ctx, 100);
      tagStatusOf(ctx);
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      if (ctx.input.has('imageIds')) {
        const seen = new Set<string>();
        const details: Record<string, unknown>[] = [];
        for (const id of imageIdsOf(ctx.input)) {
          const found = findImage(repository, id);
          if ('failure' in found) {
            if (found.failure.failureCode === 'ImageNotFound') throw imageNotFound(repository, id);
            throw invalidParameter(found.failure.failureReason);
          }
          if (seen.has(found.image.digest)) continue;
          seen.add(found.image.digest);
          details.push(imageDetail(repository, found.image));
        }
        return { imageDetails: details };
      }
      const { page, nextToken } = paginate(
        imagesByStatus(repository, tagStatusOf(ctx)),
        ctx.input.str('nextToken'),
        maxResultsOf(ctx, 100),
        invalidNextToken,
      );
      return {
        imageDetails: page.map((image) => imageDetail(repository, image)),
        ...(nextToken !== undefined ? { nextToken } : {}),
      };
    },
  },

  ListImages: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      maxResultsOf(ctx, 100);
      tagStatusOf(ctx);
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      const status = tagStatusOf(ctx);
      const ids = imagesByStatus(repository, status).flatMap((image) => {
        const tags = tagsOf(repository, image.digest);
        return tags.length === 0
          ? [{ imageDigest: image.digest }]
          : tags.map((imageTag) => ({ imageDigest: image.digest, imageTag }));
      });
      const { page, nextToken } = paginate(
        ids,
        ctx.input.str('nextToken'),
        maxResultsOf(ctx, 100),
        invalidNextToken,
      );
      return { imageIds: page, ...(nextToken !== undefined ? { nextToken } : {}) };
    },
  },

  BatchGetImage: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      requireImageIds(ctx);
      const accepted = ctx.input.strList('acceptedMediaTypes');
      if (ctx.input.has('acceptedMediaTypes') && (accepted.length < 1 || accepted.length > 100)) {
        throw invalidParameter(
          "Invalid parameter at 'acceptedMediaTypes' failed to satisfy constraint: 'Member must have length less than or equal to 100 and greater than or equal to 1'",
        );
      }
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      const accepted = ctx.input.strList('acceptedMediaTypes');
      const images: Record<string, unknown>[] = [];
      const failures: Record<string, unknown>[] = [];
      for (const id of imageIdsOf(ctx.input)) {
        const found = findImage(repository, id);
        if ('failure' in found) {
          failures.push({ imageId: id, ...found.failure });
          continue;
        }
        const { image } = found;
        if (!accepts(accepted, image.mediaType)) {
          failures.push({
            imageId: id,
            failureCode: 'ImageNotFound',
            failureReason: `The image's manifest media type ${image.mediaType} is not among acceptedMediaTypes`,
          });
          continue;
        }
        images.push({
          registryId: repository.registryId,
          repositoryName: repository.name,
          imageId: {
            imageDigest: image.digest,
            ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}),
          },
          imageManifest: image.manifest,
          imageManifestMediaType: image.mediaType,
        });
      }
      return { images, failures };
    },
  },

  PutImage: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      ctx.input.reqStr('imageManifest');
      const tag = ctx.input.str('imageTag');
      if (tag !== undefined && !isValidTag(tag)) {
        throw invalidParameter(
          `Invalid parameter at 'imageTag' failed to satisfy constraint: 'invalid tag ${tag}'`,
        );
      }
      const digest = ctx.input.str('imageDigest');
      if (digest !== undefined && !isValidDigest(digest)) {
        throw invalidParameter(
          `Invalid parameter at 'imageDigest' failed to satisfy constraint: 'invalid digest ${digest}'`,
        );
      }
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      const tag = ctx.input.str('imageTag');
      const mediaType = ctx.input.str('imageManifestMediaType');
      const expectedDigest = ctx.input.str('imageDigest');
      let result;
      try {
        result = putManifest(repository, {
          bytes: Buffer.from(ctx.input.reqStr('imageManifest'), 'utf8'),
          ...(mediaType !== undefined ? { mediaType } : {}),
          ...(tag !== undefined ? { tag } : {}),
          ...(expectedDigest !== undefined ? { expectedDigest } : {}),
          now: ctx.clock.now(),
        });
      } catch (error: unknown) {
        if (error instanceof ImageStoreError) throw putImageError(repository, error);
        throw error;
      }
      if (result.outcome === 'unchanged') {
        throw ecrError(
          'ImageAlreadyExistsException',
          `Image with digest '${result.image.digest}' and tag '${tag ?? 'null'}' already exists in the repository with name '${repository.name}' in registry with id '${repository.registryId}'`,
        );
      }
      return {
        image: {
          registryId: repository.registryId,
          repositoryName: repository.name,
          imageId: {
            imageDigest: result.image.digest,
            ...(tag !== undefined ? { imageTag: tag } : {}),
          },
          imageManifest: result.image.manifest,
          imageManifestMediaType: result.image.mediaType,
        },
      };
    },
  },

  BatchDeleteImage: {
    validate: (ctx) => {
      validateRepositoryCall(ctx);
      requireImageIds(ctx);
    },
    resources: (ctx) => [repositoryTarget(ctx)],
    handler: (ctx) => {
      const repository = requireRepository(ctx);
      const imageIds: ImageId[] = [];
      const failures: Record<string, unknown>[] = [];
      for (const id of imageIdsOf(ctx.input)) {
        const outcome = deleteImage(repository, id);
        if ('failure' in outcome) failures.push({ imageId: id, ...outcome.failure });
        else imageIds.push(...outcome.removed);
      }
      return { imageIds, failures };
    },
  },
};
