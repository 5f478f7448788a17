// Public API of @rampart/artifacts: mirroring images between registries and bundles between buckets,
// and building or importing a revision's artifacts (the engine's ArtifactBuilder port).
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
export { createStageArtifactMirror } from './stage-mirror/stage-artifact-mirror.js';
export { describeStageMirrorEvent } from './stage-mirror/stage-mirror-event-text.js';
export type {
  MirrorClientTarget,
  MirrorClients,
  StageArtifactMirrorOptions,
  StageMirrorEvent,
} from './stage-mirror/stage-mirror-options.js';
export { createArtifactBuilder } from './build/artifact-builder.js';
export type {
  ArtifactBuilderOptions,
  BuildClientTarget,
  BuildClients,
  BuildWorkspaceRequest,
  ImageBuilderChoice,
} from './build/artifact-builder-options.js';
export { artifactTag, bundleKey } from './build/artifact-names.js';
export { ecrLogin, ecrRepository, type EcrLogin } from './build/ecr-registry.js';
