// The rules of a repository's images, shared by the ECR API and the OCI registry: storing a
// manifest (reference checks, tag immutability), deleting by tag or digest, listing.
import type { EcrImage, EcrRepository } from './ecr-state.js';
import { isIndexMediaType, ManifestError, parseManifest } from './manifests.js';
import { isValidDigest, isValidTag } from './references.js';

/** Why a manifest was not stored. */
export type ImageStoreErrorKind =
  | 'manifest-invalid'
  | 'digest-mismatch'
  | 'blobs-unknown'
  | 'manifests-unknown'
  | 'tag-immutable'
  | 'tag-invalid';

/** A refused manifest. */
export class ImageStoreError extends Error {
  constructor(
    readonly kind: ImageStoreErrorKind,
    message: string,
    /** The missing digests of `blobs-unknown` / `manifests-unknown`, or the computed digest. */
    readonly digests: string[] = [],
  ) {
    super(message);
    this.name = 'ImageStoreError';
  }
}

/** What storing a manifest did. */
export interface PutManifestResult {
  image: EcrImage;
  /** `created`: a new manifest; `tagged`: a known one got the tag; `unchanged`: nothing new. */
  outcome: 'created' | 'tagged' | 'unchanged';
}

/** An image named by tag and/or digest, as ECR's `ImageIdentifier`. */
export interface ImageId {
  imageDigest?: string;
  imageTag?: string;
}

/** An ECR per-image failure (`ImageNotFound`, `InvalidImageTag`, …). */
export interface ImageFailure {
  failureCode: string;
  failureReason: string;
}

function wildcardMatch(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${regex}$`).test(value);
}

/** Whether a tag may not be moved once set, under the repository's mutability setting. */
export function isTagImmutable(repository: EcrRepository, tag: string): boolean {
  const excluded = repository.imageTagMutabilityExclusionFilters.some((filter) =>
    wildcardMatch(filter.filter, tag),
  );
  switch (repository.imageTagMutability) {
    case 'MUTABLE':
      return false;
    case 'IMMUTABLE':
      return true;
    case 'IMMUTABLE_WITH_EXCLUSION':
      return !excluded;
    case 'MUTABLE_WITH_EXCLUSION':
      return excluded;
    default: {
      const never: never = repository.imageTagMutability;
      throw new Error(`unknown tag mutability ${String(never)}`);
    }
  }
}

/** Links a blob to a repository (after an upload or a mount). */
export function linkLayer(repository: EcrRepository, digest: string, size: number): void {
  repository.layers[digest] ??= { size };
}

/** The image a tag or digest names in a repository. */
export function imageByReference(
  repository: EcrRepository,
  reference: string,
): EcrImage | undefined {
  const digest = Object.hasOwn(repository.imageTags, reference)
    ? repository.imageTags[reference]
    : reference;
  return digest !== undefined && Object.hasOwn(repository.images, digest)
    ? repository.images[digest]
    : undefined;
}

/** The tags of an image, sorted. */
export function tagsOf(repository: EcrRepository, digest: string): string[] {
  return Object.entries(repository.imageTags)
    .filter(([, target]) => target === digest)
    .map(([tag]) => tag)
    .sort();
}

/**
 * Stores a manifest, optionally tagging it. Throws {@link ImageStoreError} when the manifest is
 * malformed, its digest is not the expected one, it references blobs or manifests the
 * repository lacks, or the tag is immutable and already names another manifest.
 */
export function putManifest(
  repository: EcrRepository,
  request: { bytes: Buffer; mediaType?: string; tag?: string; expectedDigest?: string; now: Date },
): PutManifestResult {
  const { tag } = request;
  if (tag !== undefined && !isValidTag(tag)) {
    throw new ImageStoreError('tag-invalid', `invalid tag ${JSON.stringify(tag)}`);
  }
  let parsed;
  try {
    parsed = parseManifest(request.bytes, request.mediaType);
  } catch (error: unknown) {
    if (error instanceof ManifestError)
      throw new ImageStoreError('manifest-invalid', error.message);
    throw error;
  }
  if (request.expectedDigest !== undefined && request.expectedDigest !== parsed.digest) {
    throw new ImageStoreError(
      'digest-mismatch',
      `the manifest's digest is ${parsed.digest}, not ${request.expectedDigest}`,
      [parsed.digest],
    );
  }
  const missingBlobs = parsed.blobs
    .filter((blob) => !blob.foreign && !Object.hasOwn(repository.layers, blob.digest))
    .map((blob) => blob.digest);
  if (missingBlobs.length > 0) {
    throw new ImageStoreError(
      'blobs-unknown',
      `blobs unknown to the repository: ${missingBlobs.join(', ')}`,
      missingBlobs,
    );
  }
  const missingManifests = parsed.manifests
    .filter((child) => !Object.hasOwn(repository.images, child.digest))
    .map((child) => child.digest);
  if (missingManifests.length > 0) {
    throw new ImageStoreError(
      'manifests-unknown',
      `manifests unknown to the repository: ${missingManifests.join(', ')}`,
      missingManifests,
    );
  }
  const current = tag !== undefined ? repository.imageTags[tag] : undefined;
  if (tag !== undefined && current !== undefined && current !== parsed.digest) {
    if (isTagImmutable(repository, tag)) {
      throw new ImageStoreError(
        'tag-immutable',
        `The image tag '${tag}' already exists in the '${repository.name}' repository and cannot be overwritten because the tag is immutable.`,
      );
    }
  }
  let image = repository.images[parsed.digest];
  const created = image === undefined;
  if (!image) {
    for (const blob of parsed.blobs) {
      const layer = repository.layers[blob.digest];
      if (layer && blob.mediaType !== undefined) layer.mediaType ??= blob.mediaType;
    }
    const layersSize = parsed.blobs.slice(1).reduce((sum, blob) => sum + blob.size, 0);
    image = {
      digest: parsed.digest,
      mediaType: parsed.mediaType,
      manifest: request.bytes.toString('utf8'),
      manifestSize: parsed.size,
      imageSize: isIndexMediaType(parsed.mediaType) ? parsed.size : layersSize,
      pushedAt: request.now.toISOString(),
      ...(parsed.configMediaType !== undefined
        ? { artifactMediaType: parsed.configMediaType }
        : {}),
      ...(parsed.subject !== undefined ? { subject: parsed.subject } : {}),
      blobs: parsed.blobs.map((blob) => blob.digest),
      children: parsed.manifests.map((child) => child.digest),
    };
    repository.images[parsed.digest] = image;
  }
  const tagged = tag !== undefined && current !== parsed.digest;
  if (tag !== undefined) repository.imageTags[tag] = parsed.digest;
  return { image, outcome: created ? 'created' : tagged ? 'tagged' : 'unchanged' };
}

/** The indexes in a repository that reference a manifest. */
function referencingIndexes(repository: EcrRepository, digest: string): string[] {
  return Object.values(repository.images)
    .filter((image) => image.children.includes(digest))
    .map((image) => image.digest);
}

function removeImage(repository: EcrRepository, digest: string): void {
  delete repository.images[digest];
  for (const tag of tagsOf(repository, digest)) delete repository.imageTags[tag];
}

/**
 * Deletes an image as ECR's BatchDeleteImage does: by tag (untags it; the image goes with its
 * last tag) or by digest (the image and all its tags). Returns the identifiers removed, or the
 * failure ECR reports for that identifier.
 */
export function deleteImage(
  repository: EcrRepository,
  id: ImageId,
): { removed: ImageId[] } | { failure: ImageFailure } {
  const { imageDigest, imageTag } = id;
  if (imageDigest === undefined && imageTag === undefined) {
    return {
      failure: {
        failureCode: 'MissingDigestAndTag',
        failureReason: 'Invalid request parameters: both tag and digest cannot be null',
      },
    };
  }
  if (imageDigest !== undefined && !isValidDigest(imageDigest)) {
    return {
      failure: { failureCode: 'InvalidImageDigest', failureReason: 'Invalid image digest' },
    };
  }
  if (imageTag !== undefined && !isValidTag(imageTag)) {
    return { failure: { failureCode: 'InvalidImageTag', failureReason: 'Invalid image tag' } };
  }
  const notFound = {
    failure: { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
  };
  const digest = imageTag !== undefined ? repository.imageTags[imageTag] : imageDigest;
  if (digest === undefined || !Object.hasOwn(repository.images, digest)) return notFound;
  if (imageTag !== undefined && imageDigest !== undefined && imageDigest !== digest) {
    return {
      failure: {
        failureCode: 'ImageTagDoesNotMatchDigest',
        failureReason: 'Invalid request parameters: image tag digest did not match image digest',
      },
    };
  }
  const tags = tagsOf(repository, digest);
  const goes = imageTag === undefined || tags.length === 1;
  if (goes) {
    const parents = referencingIndexes(repository, digest);
    if (parents.length > 0) {
      return {
        failure: {
          failureCode: 'ImageReferencedByManifestList',
          failureReason: `Requested image referenced by manifest list: [${parents.join(', ')}]`,
        },
      };
    }
  }
  if (imageTag !== undefined) {
    delete repository.imageTags[imageTag];
    if (goes) delete repository.images[digest];
    return { removed: [{ imageDigest: digest, imageTag }] };
  }
  removeImage(repository, digest);
  return {
    removed:
      tags.length === 0
        ? [{ imageDigest: digest }]
        : tags.map((tag) => ({ imageDigest: digest, imageTag: tag })),
  };
}

/** Finds one image by identifier, or the failure ECR reports. */
export function findImage(
  repository: EcrRepository,
  id: ImageId,
): { image: EcrImage } | { failure: ImageFailure } {
  const { imageDigest, imageTag } = id;
  if (imageDigest === undefined && imageTag === undefined) {
    return {
      failure: {
        failureCode: 'MissingDigestAndTag',
        failureReason: 'Invalid request parameters: both tag and digest cannot be null',
      },
    };
  }
  if (imageDigest !== undefined && !isValidDigest(imageDigest)) {
    return {
      failure: { failureCode: 'InvalidImageDigest', failureReason: 'Invalid image digest' },
    };
  }
  const digest = imageTag !== undefined ? repository.imageTags[imageTag] : imageDigest;
  const image = digest !== undefined ? repository.images[digest] : undefined;
  if (!image) {
    return {
      failure: { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
    };
  }
  if (imageTag !== undefined && imageDigest !== undefined && imageDigest !== image.digest) {
    return {
      failure: {
        failureCode: 'ImageTagDoesNotMatchDigest',
        failureReason: 'Invalid request parameters: image tag digest did not match image digest',
      },
    };
  }
  return { image };
}

/** Which images a listing includes. */
export type TagStatus = 'TAGGED' | 'UNTAGGED' | 'ANY';

/** The images of a repository in push order, filtered by tag status. */
export function imagesByStatus(repository: EcrRepository, status: TagStatus): EcrImage[] {
  const tagged = new Set(Object.values(repository.imageTags));
  return Object.values(repository.images).filter((image) =>
    status === 'ANY'
      ? true
      : status === 'TAGGED'
        ? tagged.has(image.digest)
        : !tagged.has(image.digest),
  );
}
