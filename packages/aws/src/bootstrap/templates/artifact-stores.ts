/** The ECR repositories and S3 buckets that hold artifact copies, as template resources. */
import { POLICY_VERSION, type PolicyDocument, type PolicyDocumentStatement } from '@rampart/core';
import { KEEP_DATA, ref, type CfnResource } from './cfn-template.js';
import { denyInsecureTransport } from './policy-helpers.js';
import type { CfnTag } from './rampart-tags.js';

/**
 * An image repository: mutable tags (a revision's tag may be pushed again when a mirror is
 * retried), no scan on push (scanning is the build's business), and a repository policy when
 * other accounts pull from it.
 */
export function imageRepositoryResource(input: {
  name: string;
  tags: CfnTag[];
  /** @default none: only the owning account's IAM policies grant access */
  policy?: PolicyDocument;
}): CfnResource {
  return {
    Type: 'AWS::ECR::Repository',
    ...KEEP_DATA,
    Properties: {
      RepositoryName: input.name,
      ImageTagMutability: 'MUTABLE',
      ImageScanningConfiguration: { ScanOnPush: false },
      ...(input.policy === undefined ? {} : { RepositoryPolicyText: input.policy }),
      Tags: input.tags,
    },
  };
}

/** A bundle bucket: private, encrypted with S3-managed keys, objects owned by the bucket owner. */
export function bundleBucketResource(input: { name: string; tags: CfnTag[] }): CfnResource {
  return {
    Type: 'AWS::S3::Bucket',
    ...KEEP_DATA,
    Properties: {
      BucketName: input.name,
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      Tags: input.tags,
    },
  };
}

/** The policy of a bundle bucket: TLS only, plus `grants`. */
export function bundleBucketPolicyResource(input: {
  bucketLogicalId: string;
  bucketArn: string;
  /** @default none */
  grants?: PolicyDocumentStatement[];
}): CfnResource {
  return {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: ref(input.bucketLogicalId),
      PolicyDocument: {
        Version: POLICY_VERSION,
        Statement: [denyInsecureTransport(input.bucketArn), ...(input.grants ?? [])],
      },
    },
  };
}
