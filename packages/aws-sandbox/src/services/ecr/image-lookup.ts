// Resolving an image URI (as task definitions and Lambda functions name images) to a stored
// manifest, and deciding whether an account may pull it. Read-only: never creates state.
import type { SandboxRuntime } from '../../framework/runtime.js';
import { findRepository, repositoryArn } from './ecr-state.js';
import {
  isAccountId,
  isRegionName,
  isValidDigest,
  isValidRepositoryName,
  isValidTag,
} from './references.js';
import { policyAllowsAccount } from './repository-policy.js';

/** An image found in the sandbox's registry. */
export interface ResolvedImage {
  accountId: string;
  region: string;
  repositoryName: string;
  repositoryArn: string;
  /** The manifest digest (`sha256:…`). */
  digest: string;
  /** The manifest's media type (image manifest, index or manifest list). */
  mediaType: string;
}

/** The parts of an image URI. */
export interface ImageReference {
  accountId: string;
  region: string;
  repositoryName: string;
  /** Set when the URI names a tag (`latest` when it names neither tag nor digest). */
  tag?: string;
  /** Set when the URI names a digest (`@sha256:…`); a digest wins over a tag. */
  digest?: string;
}

const CANONICAL_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * Parses `<host:port>/<account>/<region>/<repo>[:tag|@sha256:…]` (the sandbox's repository URIs)
 * or `<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@sha256:…]`. Undefined when the URI
 * has neither form.
 */
export function parseImageUri(imageUri: string): ImageReference | undefined {
  let rest = imageUri.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isValidDigest(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidTag(tag)) return undefined;
  }
  const segments = rest.split('/');
  const host = segments[0] ?? '';
  let accountId: string;
  let region: string;
  let nameSegments: string[];
  const canonical = CANONICAL_HOST.exec(host);
  if (canonical) {
    accountId = canonical[1] as string;
    region = canonical[2] as string;
    nameSegments = segments.slice(1);
  } else {
    accountId = segments[1] ?? '';
    region = segments[2] ?? '';
    nameSegments = segments.slice(3);
  }
  const repositoryName = nameSegments.join('/');
  if (host === '' || !isAccountId(accountId) || !isRegionName(region)) return undefined;
  if (!isValidRepositoryName(repositoryName)) return undefined;
  if (digest !== undefined) return { accountId, region, repositoryName, digest };
  return { accountId, region, repositoryName, tag: tag ?? 'latest' };
}

/**
 * The stored image an image URI names, or undefined when the URI is not an ECR/sandbox
 * repository URI or its repository, tag or digest does not exist.
 */
export function resolveImage(runtime: SandboxRuntime, imageUri: string): ResolvedImage | undefined {
  const reference = parseImageUri(imageUri);
  if (!reference) return undefined;
  const { accountId, region, repositoryName } = reference;
  const repository = findRepository(runtime, accountId, region, repositoryName);
  if (!repository) return undefined;
  const digest =
    reference.digest ??
    (reference.tag !== undefined && Object.hasOwn(repository.imageTags, reference.tag)
      ? repository.imageTags[reference.tag]
      : undefined);
  if (digest === undefined || !Object.hasOwn(repository.images, digest)) return undefined;
  const image = repository.images[digest];
  if (!image) return undefined;
  return {
    accountId,
    region,
    repositoryName,
    repositoryArn: repositoryArn(region, accountId, repositoryName),
    digest,
    mediaType: image.mediaType,
  };
}

/**
 * Whether `accountId` may pull the image: it owns the repository, or the repository policy
 * allows `ecr:BatchGetImage` to that account (its root or `*`) without conditions.
 */
export function mayPull(runtime: SandboxRuntime, image: ResolvedImage, accountId: string): boolean {
  if (image.accountId === accountId) return true;
  const repository = findRepository(runtime, image.accountId, image.region, image.repositoryName);
  return policyAllowsAccount(repository?.policyText, 'ecr:BatchGetImage', accountId);
}
