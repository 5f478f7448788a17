// Public API of @rampart/artifacts: mirroring images between registries and bundles between buckets.
export {
  mirrorImage,
  type MirrorImageOptions,
  type MirrorImageResult,
} from './oci/mirror-image.js';
export type { MirrorEvent } from './oci/mirror-events.js';
export {
  formatImageReference,
  parseImageReference,
  type ImageReference,
} from './oci/image-reference.js';
export {
  RegistryClient,
  type BlobStream,
  type ManifestBytes,
  type ManifestHead,
  type MountResult,
  type RegistryClientOptions,
  type RegistryCredentials,
  type RegistryRequestInfo,
} from './oci/registry-client.js';
export {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  OCI_INDEX,
  OCI_MANIFEST,
  parseManifest,
  type Descriptor,
  type ParsedManifest,
} from './oci/media-types.js';
export { digestOf, isDigest, shortDigest } from './oci/digest.js';
export { parseWwwAuthenticate, type AuthChallenge } from './oci/www-authenticate.js';
export { withRetry, type RetryNotice, type RetryOptions } from './oci/retry.js';
export {
  mirrorBundle,
  type BundleLocation,
  type MirrorBundleOptions,
  type MirrorBundleResult,
} from './s3/mirror-bundle.js';
export { SHA256_METADATA_KEY, recordedSha256 } from './s3/bundle-checksum.js';
