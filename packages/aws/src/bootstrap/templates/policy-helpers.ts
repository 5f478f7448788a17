/** Pieces of resource policies the bootstrap templates share. */
import {
  partitionOf,
  stageRoleName,
  type AwsPartition,
  type PipelineModel,
  type PolicyDocumentStatement,
  type StagePolicyOrganization,
} from '@rampart/core';

/** `arn:<partition>:iam::<account>:root`: the account as a principal, which always exists. */
export function accountRoot(partition: AwsPartition, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/** Refuses every request to a bucket that does not come over TLS. */
export function denyInsecureTransport(bucketArn: string): PolicyDocumentStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** One stage role of a pipeline, as resource policies name it. */
export interface StageRoleRef {
  slug: string;
  stage: string;
  accountId: string;
  region: string;
  roleArn: string;
}

/** The role of every stage and ephemeral environment of a pipeline, in pipeline order. */
export function stageRolesOf(
  organization: Pick<StagePolicyOrganization, 'slug'>,
  model: Pick<PipelineModel, 'slug' | 'stages' | 'ephemeral'>,
): StageRoleRef[] {
  return [...model.stages, ...model.ephemeral].map((stage) => {
    const roleName = stageRoleName({ org: organization.slug, slug: model.slug, stage: stage.name });
    return {
      slug: model.slug,
      stage: stage.name,
      accountId: stage.accountId,
      region: stage.region,
      roleArn: `arn:${partitionOf(stage.region)}:iam::${stage.accountId}:role/${roleName}`,
    };
  });
}

/**
 * Principal and condition that admit exactly `roles`: their accounts as principals (an account
 * always exists, while a role may not yet, and S3, KMS and ECR refuse policies naming a missing
 * role) narrowed by `aws:PrincipalArn` to the role ARNs.
 */
export function exactRoles(
  roles: readonly StageRoleRef[],
): Pick<PolicyDocumentStatement, 'Principal' | 'Condition'> {
  const roots = roles.map((r) => accountRoot(partitionOf(r.region), r.accountId));
  return {
    Principal: { AWS: [...new Set(roots)].sort() },
    Condition: {
      ArnEquals: { 'aws:PrincipalArn': [...new Set(roles.map((r) => r.roleArn))].sort() },
    },
  };
}
