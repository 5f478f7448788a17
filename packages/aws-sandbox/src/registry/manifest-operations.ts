// Manifests over the registry: GET/HEAD with content negotiation, PUT (by tag or digest) with
// the same checks as PutImage, DELETE (by digest, or untag by tag), and the referrers list.
import type { SandboxHttpResponse } from '../framework/http.js';
import { readBody } from '../framework/read-body.js';
import type { EcrImage, EcrRepository } from '../services/ecr/ecr-state.js';
import {
  deleteImage,
  imageByReference,
  ImageStoreError,
  putManifest,
} from '../services/ecr/image-store.js';
import { accepts, OCI_INDEX, parseAccept } from '../services/ecr/manifests.js';
import { isValidDigest, looksLikeDigest } from '../services/ecr/references.js';
import { digestInvalid, OciError } from './oci-error.js';
import { registryPath, repositoryOf, respond, type RegistryCall } from './registry-call.js';

/** The largest manifest accepted, as the OCI specification suggests registries allow. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

function manifestUnknown(reference: string, message = 'Requested image not found'): OciError {
  return new OciError('MANIFEST_UNKNOWN', 404, message, { reference });
}

function manifestHeaders(image: EcrImage): Record<string, string> {
  return {
    'content-type': image.mediaType,
    'content-length': String(image.manifestSize),
    'docker-content-digest': image.digest,
    etag: `"${image.digest}"`,
  };
}

/** GET and HEAD of a manifest by tag or digest. */
export async function getManifest(call: RegistryCall): Promise<SandboxHttpResponse> {
  await call.access.require(call.name, 'ecr:BatchGetImage');
  const repository = repositoryOf(call);
  const reference = call.part;
  if (looksLikeDigest(reference) && !isValidDigest(reference)) {
    throw digestInvalid(`unsupported digest ${reference}`, reference);
  }
  const image = imageByReference(repository, reference);
  if (!image) throw manifestUnknown(reference);
  const accepted = parseAccept(call.request.headers['accept']);
  if (!accepts(accepted, image.mediaType)) {
    throw manifestUnknown(
      reference,
      `the manifest is a ${image.mediaType}, which the request's Accept header does not list`,
    );
  }
  const headers = manifestHeaders(image);
  if (call.request.method === 'HEAD') return respond(200, headers, '');
  return respond(200, headers, Buffer.from(image.manifest, 'utf8'));
}

function storeError(error: ImageStoreError): OciError {
  switch (error.kind) {
    case 'manifest-invalid':
      return new OciError('MANIFEST_INVALID', 400, `manifest invalid: ${error.message}`);
    case 'digest-mismatch':
      return digestInvalid(`provided digest did not match uploaded content: ${error.message}`);
    case 'blobs-unknown':
    case 'manifests-unknown':
      return new OciError(
        'MANIFEST_BLOB_UNKNOWN',
        400,
        `manifest references unknown content: ${error.message}`,
        {
          digests: error.digests,
        },
      );
    case 'tag-immutable':
    case 'tag-invalid':
      return new OciError('TAG_INVALID', 400, error.message);
    default: {
      const never: never = error.kind;
      throw new Error(`unknown image store error ${String(never)}`);
    }
  }
}

/** PUT of a manifest by tag or digest. */
export async function putManifestOperation(call: RegistryCall): Promise<SandboxHttpResponse> {
  await call.access.require(call.name, 'ecr:PutImage');
  const repository = repositoryOf(call);
  const reference = call.part;
  const byDigest = looksLikeDigest(reference);
  if (byDigest && !isValidDigest(reference))
    throw digestInvalid(`unsupported digest ${reference}`, reference);
  let bytes: Buffer;
  try {
    bytes = await readBody(call.request.stream, MAX_MANIFEST_BYTES, call.request.headers);
  } catch {
    throw new OciError('SIZE_INVALID', 413, `manifests are limited to ${MAX_MANIFEST_BYTES} bytes`);
  }
  const mediaType = call.request.headers['content-type'];
  let result;
  try {
    result = putManifest(repository, {
      bytes,
      ...(mediaType !== undefined ? { mediaType } : {}),
      ...(byDigest ? { expectedDigest: reference } : { tag: reference }),
      now: call.runtime.clock.now(),
    });
  } catch (error: unknown) {
    if (error instanceof ImageStoreError) throw storeError(error);
    throw error;
  }
  return respond(201, {
    location: registryPath(call.name, `manifests/${result.image.digest}`),
    'docker-content-digest': result.image.digest,
    ...(result.image.subject !== undefined ? { 'oci-subject': result.image.subject } : {}),
  });
}

/** DELETE of a manifest: by digest removes it with its tags, by tag removes the tag. */
export async function deleteManifest(call: RegistryCall): Promise<SandboxHttpResponse> {
  await call.access.require(call.name, 'ecr:BatchDeleteImage');
  const repository = repositoryOf(call);
  const reference = call.part;
  const byDigest = looksLikeDigest(reference);
  if (byDigest && !isValidDigest(reference))
    throw digestInvalid(`unsupported digest ${reference}`, reference);
  const outcome = deleteImage(
    repository,
    byDigest ? { imageDigest: reference } : { imageTag: reference },
  );
  if ('failure' in outcome) {
    if (outcome.failure.failureCode === 'ImageReferencedByManifestList') {
      throw new OciError('DENIED', 409, outcome.failure.failureReason, { reference });
    }
    if (outcome.failure.failureCode === 'InvalidImageTag') {
      throw new OciError('TAG_INVALID', 400, outcome.failure.failureReason);
    }
    throw manifestUnknown(reference);
  }
  return respond(202, {});
}

function referrerDescriptor(image: EcrImage): Record<string, unknown> {
  let annotations: unknown;
  let artifactType: unknown;
  try {
    const parsed = JSON.parse(image.manifest) as { annotations?: unknown; artifactType?: unknown };
    annotations = parsed.annotations;
    artifactType = parsed.artifactType;
  } catch {
    // Stored manifests were validated on the way in; nothing to add if one is odd.
  }
  return {
    mediaType: image.mediaType,
    digest: image.digest,
    size: image.manifestSize,
    ...(typeof artifactType === 'string'
      ? { artifactType }
      : image.artifactMediaType !== undefined
        ? { artifactType: image.artifactMediaType }
        : {}),
    ...(annotations !== undefined ? { annotations } : {}),
  };
}

function referrersOf(repository: EcrRepository, digest: string): EcrImage[] {
  return Object.values(repository.images).filter((image) => image.subject === digest);
}

/** GET of the referrers of a manifest (OCI 1.1), optionally filtered by artifact type. */
export async function listReferrers(call: RegistryCall): Promise<SandboxHttpResponse> {
  await call.access.require(call.name, 'ecr:BatchGetImage');
  const repository = repositoryOf(call);
  if (!isValidDigest(call.part)) throw digestInvalid(`invalid digest ${call.part}`, call.part);
  const artifactType = call.request.query.get('artifactType');
  const manifests = referrersOf(repository, call.part)
    .map(referrerDescriptor)
    .filter((descriptor) => artifactType === null || descriptor['artifactType'] === artifactType);
  const body = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
  return respond(
    200,
    {
      'content-type': OCI_INDEX,
      ...(artifactType !== null ? { 'oci-filters-applied': 'artifactType' } : {}),
    },
    body,
  );
}
