/**
 * What a pipeline's build role may do: push and pull the CI/CD copies of the artifacts built once,
 * and read the literal sources of imports. Nothing of `per_stage` artifacts (stage roles build
 * those) and nothing of another pipeline.
 */
import { partitionOf } from '../aws-facts/index.js';
import type { ArtifactModel, PipelineModel } from '../model/pipeline-model.js';
import { bundleBucketName, imageRepositoryName } from '../naming/index.js';
import { allow, arn, type IamStatement } from '../step-types/iam-statement.js';
import {
  ECR_PULL_ACTIONS,
  ECR_PUSH_ACTIONS,
  bucketArn,
  repositoryArn,
  type CicdLocation,
} from './artifact-access.js';

/** Writing a bundle (multipart uploads included) and reading it back to check its checksum. */
export const BUNDLE_WRITE_ACTIONS: readonly string[] = [
  's3:AbortMultipartUpload',
  's3:GetObject',
  's3:PutObject',
];

// `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repository>[:tag][@digest]`
const ECR_IMAGE =
  /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9._/-]+?)(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?$/;
const S3_URL = /^s3:\/\/([^/]+)\/(.+)$/;

/** A param value known at plan time: a string with no `${{ … }}` in it. */
function literal(value: unknown): string | undefined {
  return typeof value === 'string' && !value.includes('${{') ? value : undefined;
}

/** The repository ARN of a literal ECR `source_image_url`; other registries need no IAM. */
function ecrImportSource(artifact: ArtifactModel): string | undefined {
  const url = literal(artifact.params['source_image_url']);
  const m = url === undefined ? null : ECR_IMAGE.exec(url);
  if (m === null) return undefined;
  const [, account = '', region = '', repository = ''] = m;
  return repositoryArn(region, account, repository);
}

/** The object ARN of a literal `source_s3_url`, in the partition of `source_region`. */
function bundleImportSource(artifact: ArtifactModel, fallbackRegion: string): string | undefined {
  const url = literal(artifact.params['source_s3_url']);
  const m = url === undefined ? null : S3_URL.exec(url);
  if (m === null) return undefined;
  const region = literal(artifact.params['source_region']) ?? fallbackRegion;
  return arn(partitionOf(region), 's3', '', '', `${m[1] ?? ''}/${m[2] ?? ''}`);
}

/**
 * The statements of the build role of `model`. `ecr:GetAuthorizationToken` names no resource, so
 * it is granted on `*` (as for stage roles).
 */
export function buildStatements(input: {
  model: PipelineModel;
  organization: CicdLocation;
}): IamStatement[] {
  const { model, organization } = input;
  const { cicd_account_id: cicd, cicd_account_region: region } = organization;
  const repositories: string[] = [];
  const buckets: string[] = [];
  const imageSources: string[] = [];
  const bundleSources: string[] = [];
  for (const artifact of model.artifacts) {
    if (artifact.perStage) continue;
    const names = { slug: model.slug, artifactId: artifact.id };
    if (artifact.kind === 'image') {
      repositories.push(repositoryArn(region, cicd, imageRepositoryName(names)));
      const source = ecrImportSource(artifact);
      if (source !== undefined) imageSources.push(source);
    } else if (artifact.kind === 'bundle') {
      buckets.push(bucketArn(region, bundleBucketName({ ...names, accountId: cicd })));
      const source = bundleImportSource(artifact, region);
      if (source !== undefined) bundleSources.push(source);
    }
  }
  const sorted = (list: string[]): string[] => [...new Set(list)].sort();
  const statements: IamStatement[] = [];
  if (repositories.length > 0) {
    statements.push(allow('BuildRegistryLogin', ['ecr:GetAuthorizationToken'], '*'));
    statements.push(
      allow(
        'BuildImageRepositories',
        [...ECR_PULL_ACTIONS, ...ECR_PUSH_ACTIONS],
        sorted(repositories),
      ),
    );
  }
  if (imageSources.length > 0) {
    statements.push(allow('BuildImageImports', ECR_PULL_ACTIONS, sorted(imageSources)));
  }
  if (buckets.length > 0) {
    statements.push(allow('BuildBundleList', ['s3:ListBucket'], sorted(buckets)));
    statements.push(
      allow(
        'BuildBundleObjects',
        BUNDLE_WRITE_ACTIONS,
        sorted(buckets).map((b) => `${b}/*`),
      ),
    );
  }
  if (bundleSources.length > 0) {
    statements.push(allow('BuildBundleImports', ['s3:GetObject'], sorted(bundleSources)));
  }
  return statements;
}
