/** Where copies of built artifacts live: image repositories and bundle buckets (FORMAT.md). */
import {
  RESOURCE_NAME_LIMITS,
  keptPrefixLength,
  normalizeResourceName,
  resourceName,
} from './resource-name.js';

/** Names the pipeline and artifact; `stage` is absent for the CI/CD account's copy. */
export interface ImageRepositoryNameInput {
  slug: string;
  /** The stage whose account holds the copy. @default none: the CI/CD account's copy */
  stage?: string;
  artifactId: string;
}

/**
 * The ECR repository of an image artifact: `<slug>-<artifact_id>` in the CI/CD account,
 * `<slug>-<stage>-<artifact_id>` in each stage's account and region.
 */
export function imageRepositoryName(input: ImageRepositoryNameInput): string {
  const { slug, stage, artifactId } = input;
  return resourceName(
    'ecr-repository',
    stage === undefined ? [slug, artifactId] : [slug, stage, artifactId],
  );
}

/** Names the bucket owner, pipeline and artifact; `stage` is absent for the CI/CD account's copy. */
export interface BundleBucketNameInput {
  /** The CI/CD account id, or the stage's account id when `stage` is set. */
  accountId: string;
  slug: string;
  /** The stage whose account holds the copy. @default none: the CI/CD account's copy */
  stage?: string;
  artifactId: string;
}

/**
 * The S3 bucket of a bundle artifact: `<cicd_account_id>-<slug>-<artifact_id>` in the CI/CD
 * account, `<account_id>-<slug>-<stage>-<artifact_id>` in each stage's account. The account id
 * keeps the globally shared bucket namespace from colliding across organizations.
 */
export function bundleBucketName(input: BundleBucketNameInput): string {
  const { accountId, slug, stage, artifactId } = input;
  return resourceName(
    's3-bucket',
    stage === undefined ? [accountId, slug, artifactId] : [accountId, slug, stage, artifactId],
  );
}

/**
 * An IAM resource wildcard (`arn:…:s3:::<this>/…`) matching the bundle bucket of every artifact
 * of one stage, `<account_id>-<slug>-<stage>-*`, including names cut to the S3 limit.
 */
export function stageBundleBucketPattern(input: {
  accountId: string;
  slug: string;
  stage: string;
}): string {
  const prefix = `${normalizeResourceName('s3-bucket', [input.accountId, input.slug, input.stage])}-`;
  return `${prefix.slice(0, keptPrefixLength(RESOURCE_NAME_LIMITS['s3-bucket']))}*`;
}
