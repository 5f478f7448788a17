/**
 * What a stage role may do with artifacts: push and pull its own mirrored copies, and read the
 * CI/CD account's copies it mirrors from. Nothing else: not another stage's copies, not the CI/CD
 * copies of per_stage artifacts (there are none).
 */
import { partitionOf } from '../aws-facts/index.js';
import type { PipelineModel, StageModel } from '../model/pipeline-model.js';
import { bundleBucketName, imageRepositoryName } from '../naming/index.js';
import { allow, arn, type IamStatement } from '../step-types/iam-statement.js';

/** Reading an image: layers, manifests, and the digest a tag points at. */
export const ECR_PULL_ACTIONS: readonly string[] = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:DescribeImages',
  'ecr:GetDownloadUrlForLayer',
];

/** Writing an image, on top of {@link ECR_PULL_ACTIONS}. */
export const ECR_PUSH_ACTIONS: readonly string[] = [
  'ecr:CompleteLayerUpload',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

/** Reading a bundle from a bucket that another account owns. */
export const BUNDLE_READ_ACTIONS: readonly string[] = ['s3:GetObject'];

/** The CI/CD account's coordinates, from the organization settings. */
export interface CicdLocation {
  cicd_account_id: string;
  cicd_account_region: string;
}

/** The ECR repository ARN `arn:<partition>:ecr:<region>:<account>:repository/<name>`. */
export function repositoryArn(region: string, accountId: string, name: string): string {
  return arn(partitionOf(region), 'ecr', region, accountId, `repository/${name}`);
}

/** The bucket ARN `arn:<partition>:s3:::<name>`; the partition comes from the owner's region. */
export function bucketArn(region: string, name: string): string {
  return arn(partitionOf(region), 's3', '', '', name);
}

/**
 * The statements that let the stage role mirror the pipeline's artifacts into its account and
 * region. `ecr:GetAuthorizationToken` names no resource, so it is granted on `*`; it only yields a
 * registry login, and every repository action is still checked on its own ARN.
 */
export function artifactStatements(input: {
  model: PipelineModel;
  stage: StageModel;
  organization: CicdLocation;
}): IamStatement[] {
  const { model, stage, organization } = input;
  const { cicd_account_id: cicd, cicd_account_region: cicdRegion } = organization;
  const ownRepositories: string[] = [];
  const sourceRepositories: string[] = [];
  const ownBuckets: string[] = [];
  const sourceBuckets: string[] = [];
  for (const artifact of model.artifacts) {
    const names = { slug: model.slug, artifactId: artifact.id };
    if (artifact.kind === 'image') {
      const own = imageRepositoryName({ ...names, stage: stage.name });
      ownRepositories.push(repositoryArn(stage.region, stage.accountId, own));
      if (!artifact.perStage) {
        sourceRepositories.push(repositoryArn(cicdRegion, cicd, imageRepositoryName(names)));
      }
    } else if (artifact.kind === 'bundle') {
      const own = bundleBucketName({ ...names, accountId: stage.accountId, stage: stage.name });
      ownBuckets.push(bucketArn(stage.region, own));
      if (!artifact.perStage) {
        sourceBuckets.push(bucketArn(cicdRegion, bundleBucketName({ ...names, accountId: cicd })));
      }
    }
  }
  const sorted = (list: string[]): string[] => [...list].sort();
  const statements: IamStatement[] = [];
  if (ownRepositories.length > 0) {
    statements.push(allow('ArtifactRegistryLogin', ['ecr:GetAuthorizationToken'], '*'));
    statements.push(
      allow(
        'ArtifactImageMirrors',
        [...ECR_PULL_ACTIONS, ...ECR_PUSH_ACTIONS],
        sorted(ownRepositories),
      ),
    );
  }
  if (sourceRepositories.length > 0) {
    statements.push(allow('ArtifactImageSources', ECR_PULL_ACTIONS, sorted(sourceRepositories)));
  }
  if (ownBuckets.length > 0) {
    statements.push(allow('ArtifactBundleMirrorList', ['s3:ListBucket'], sorted(ownBuckets)));
    statements.push(
      allow(
        'ArtifactBundleMirrors',
        // Aborting lets a failed streamed (multipart) copy clean up the parts it left.
        ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        sorted(ownBuckets).map((b) => `${b}/*`),
      ),
    );
  }
  if (sourceBuckets.length > 0) {
    statements.push(
      allow(
        'ArtifactBundleSources',
        BUNDLE_READ_ACTIONS,
        sorted(sourceBuckets).map((b) => `${b}/*`),
      ),
    );
  }
  return statements;
}
