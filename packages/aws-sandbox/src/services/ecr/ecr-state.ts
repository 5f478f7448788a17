// ECR's plain-data state per account and region: repositories, their images, tags and layer
// links, and open layer uploads. Blob bytes live on disk (see blob-store.ts), referenced by digest.
import type { SandboxRuntime } from '../../framework/runtime.js';

/** The service's signing name and state key. */
export const ECR_SERVICE = 'ecr';

/** Tag mutability settings ECR accepts. */
export type TagMutability =
  'MUTABLE' | 'IMMUTABLE' | 'MUTABLE_WITH_EXCLUSION' | 'IMMUTABLE_WITH_EXCLUSION';

/** A tag mutability exclusion filter (`WILDCARD` patterns). */
export interface TagMutabilityExclusion {
  filterType: string;
  filter: string;
}

/** One manifest (image, image index or manifest list) stored in a repository. */
export interface EcrImage {
  /** `sha256:<hex>` of the manifest bytes. */
  digest: string;
  mediaType: string;
  /** The manifest exactly as pushed (UTF-8 JSON text; its bytes hash to `digest`). */
  manifest: string;
  /** The size of the manifest in bytes. */
  manifestSize: number;
  /** What DescribeImages reports: the layers' sizes (image manifests) or the manifest's. */
  imageSize: number;
  /** ISO time on the sandbox clock. */
  pushedAt: string;
  /** The config media type of image manifests (`artifactMediaType`). */
  artifactMediaType?: string;
  /** The `subject` digest of referrers (OCI 1.1). */
  subject?: string;
  /** Blobs the manifest references (config and layers). */
  blobs: string[];
  /** Manifests an index or manifest list references. */
  children: string[];
}

/** A blob linked to a repository (pushed to it, or mounted into it). */
export interface EcrLayer {
  size: number;
  /** Known once a manifest references the blob. */
  mediaType?: string;
}

/** One repository. */
export interface EcrRepository {
  name: string;
  arn: string;
  registryId: string;
  region: string;
  /** ISO time on the sandbox clock. */
  createdAt: string;
  imageTagMutability: TagMutability;
  imageTagMutabilityExclusionFilters: TagMutabilityExclusion[];
  scanOnPush: boolean;
  encryptionType: string;
  kmsKey?: string;
  tags: { Key: string; Value: string }[];
  /** The repository policy, JSON text. */
  policyText?: string;
  /** The lifecycle policy, JSON text (stored, not applied). */
  lifecyclePolicyText?: string;
  /** Manifests by digest, in push order. */
  images: Record<string, EcrImage>;
  /** Tag → manifest digest. */
  imageTags: Record<string, string>;
  /** Blobs this repository holds, by digest. */
  layers: Record<string, EcrLayer>;
}

/** An open layer upload (ECR's InitiateLayerUpload or an OCI upload session). */
export interface EcrUpload {
  id: string;
  repositoryName: string;
  /** Bytes received so far (the upload file's valid length). */
  size: number;
  /** ISO time on the sandbox clock. */
  startedAt: string;
}

/** ECR's state in one account and region. */
export interface EcrRegionState {
  repositories: Record<string, EcrRepository>;
  uploads: Record<string, EcrUpload>;
}

/** A fresh, empty region state. */
export function emptyEcrState(): EcrRegionState {
  return { repositories: {}, uploads: {} };
}

/** ECR's state in an account and region, created on first use (the account must exist). */
export function ecrState(
  runtime: SandboxRuntime,
  accountId: string,
  region: string,
): EcrRegionState {
  return runtime.serviceState(ECR_SERVICE, accountId, region, emptyEcrState);
}

/** ECR's state in an account and region, or undefined when nothing was ever stored there. */
export function peekEcrState(
  runtime: SandboxRuntime,
  accountId: string,
  region: string,
): EcrRegionState | undefined {
  return runtime.state.accounts[accountId]?.services[ECR_SERVICE]?.[region] as
    EcrRegionState | undefined;
}

/** A repository, if it exists. */
export function findRepository(
  runtime: SandboxRuntime,
  accountId: string,
  region: string,
  name: string,
): EcrRepository | undefined {
  const repositories = peekEcrState(runtime, accountId, region)?.repositories;
  return repositories !== undefined && Object.hasOwn(repositories, name)
    ? repositories[name]
    : undefined;
}

/** `arn:aws:ecr:<region>:<account>:repository/<name>`. */
export function repositoryArn(region: string, accountId: string, name: string): string {
  return `arn:aws:ecr:${region}:${accountId}:repository/${name}`;
}

/** The registry host clients use: the sandbox's `host:port`. */
export function registryHost(runtime: SandboxRuntime): string {
  return new URL(runtime.endpoint).host;
}

/** `<host:port>/<account>/<region>/<name>`: the repository URI the sandbox's registry serves. */
export function repositoryUri(
  runtime: SandboxRuntime,
  accountId: string,
  region: string,
  name: string,
): string {
  return `${registryHost(runtime)}/${accountId}/${region}/${name}`;
}
