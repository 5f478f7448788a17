// The grammar of repository names, tags and digests, shared by the API, the registry and lookups.

/** ECR repository names: lower-case path components separated by `/`, 2 to 256 characters. */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** OCI tags. */
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** The only digest algorithm the sandbox verifies. */
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The pattern ECR quotes in its validation messages for repository names. */
export const REPOSITORY_NAME_PATTERN =
  '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*';

/** Whether a repository name is valid. */
export function isValidRepositoryName(name: string): boolean {
  return name.length >= 2 && name.length <= 256 && REPOSITORY_NAME.test(name);
}

/** Whether a tag is valid. */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** Whether a digest is a well-formed `sha256:<64 hex>`. */
export function isValidDigest(digest: string): boolean {
  return DIGEST.test(digest);
}

/** Whether a string looks like a digest of any algorithm (`algo:encoded`), as OCI defines it. */
export function looksLikeDigest(reference: string): boolean {
  return /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(reference);
}

/** Whether a string is a 12-digit account id. */
export function isAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}

/** Whether a string looks like an AWS region name (`us-east-1`, `eu-central-2`, `us-gov-west-1`). */
export function isRegionName(value: string): boolean {
  return /^[a-z]{2}(?:-[a-z]+)+-\d+$/.test(value);
}
