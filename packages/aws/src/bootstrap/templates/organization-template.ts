/**
 * `Rampart-<org>-Org`, in the CI/CD account: the organization's KMS key and alias, and the
 * Terraform state bucket every stage keeps its state in, each stage role confined to its own
 * `<slug>/<stage>/` prefix by the bucket policy as well as by its own policy.
 */
import {
  POLICY_VERSION,
  organizationKeyAlias,
  partitionOf,
  terraformStateBucketName,
  terraformStatePrefix,
  type PipelineModel,
  type PolicyDocument,
  type PolicyDocumentStatement,
} from '@rampart/core';
import type { BootstrapSettings } from './bootstrap-settings.js';
import { KEEP_DATA, getAtt, ref, type CfnTemplate } from './cfn-template.js';
import { LOGICAL_IDS, logicalIdPart } from './logical-ids.js';
import {
  accountRoot,
  denyInsecureTransport,
  exactRoles,
  stageRolesOf,
  type StageRoleRef,
} from './policy-helpers.js';
import { rampartTags } from './rampart-tags.js';
import { BOOTSTRAP_TEMPLATE_VERSION, templateVersionOutput } from './template-version.js';

/** What the stage roles do with the key: read and write SSE-KMS state objects. */
const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'];

/** S3 refuses bucket policies over 20 KB. */
export const BUCKET_POLICY_LIMIT = 20_480;

/**
 * The org stack's template. `pipelines` must be every pipeline of the organization, not only the
 * ones being bootstrapped: the key and bucket policies list every stage role, and a role left
 * out loses its state.
 */
export function organizationTemplate(
  settings: BootstrapSettings,
  pipelines: readonly PipelineModel[],
): CfnTemplate {
  const { organization } = settings;
  const partition = partitionOf(organization.cicd_account_region);
  const bucket = terraformStateBucketName({
    cicdAccountId: organization.cicd_account_id,
    org: organization.slug,
  });
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const roles = [...pipelines]
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    .flatMap((model) => stageRolesOf(organization, model));
  const tags = rampartTags({ org: organization.slug });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Rampart organization stack for ${organization.slug}: KMS key and Terraform state bucket (template version ${BOOTSTRAP_TEMPLATE_VERSION})`,
    Resources: {
      [LOGICAL_IDS.organizationKey]: {
        Type: 'AWS::KMS::Key',
        ...KEEP_DATA,
        Properties: {
          Description: `Rampart organization ${organization.slug}: encrypts Terraform state`,
          EnableKeyRotation: true,
          KeyPolicy: keyPolicy(accountRoot(partition, organization.cicd_account_id), roles),
          Tags: tags,
        },
      },
      [LOGICAL_IDS.organizationKeyAlias]: {
        Type: 'AWS::KMS::Alias',
        Properties: {
          AliasName: organizationKeyAlias({ org: organization.slug }),
          TargetKeyId: ref(LOGICAL_IDS.organizationKey),
        },
      },
      [LOGICAL_IDS.stateBucket]: {
        Type: 'AWS::S3::Bucket',
        ...KEEP_DATA,
        Properties: {
          BucketName: bucket,
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              {
                ServerSideEncryptionByDefault: {
                  SSEAlgorithm: 'aws:kms',
                  KMSMasterKeyID: getAtt(LOGICAL_IDS.organizationKey, 'Arn'),
                },
                BucketKeyEnabled: true,
              },
            ],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          // Objects written by stage roles of other accounts belong to the bucket owner.
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          Tags: tags,
        },
      },
      [LOGICAL_IDS.stateBucketPolicy]: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: ref(LOGICAL_IDS.stateBucket),
          PolicyDocument: stateBucketPolicy(bucketArn, roles),
        },
      },
    },
    Outputs: {
      TemplateVersion: templateVersionOutput(),
      KeyArn: {
        Description: 'ARN of the organization KMS key; stage stacks grant its use by this ARN',
        Value: getAtt(LOGICAL_IDS.organizationKey, 'Arn'),
      },
      KeyAlias: {
        Description: 'Alias of the organization KMS key',
        Value: ref(LOGICAL_IDS.organizationKeyAlias),
      },
      StateBucketName: {
        Description: 'The Terraform state bucket; stage state lives under <pipeline>/<stage>/',
        Value: ref(LOGICAL_IDS.stateBucket),
      },
    },
  };
}

/**
 * The CI/CD account administers the key (which also lets its IAM policies grant use of it, for
 * secrets stored with it later); the stage roles may use it, named exactly.
 */
function keyPolicy(cicdRoot: string, roles: readonly StageRoleRef[]): PolicyDocument {
  const statements: PolicyDocumentStatement[] = [
    {
      Sid: 'AccountAdministersKey',
      Effect: 'Allow',
      Principal: { AWS: cicdRoot },
      Action: 'kms:*',
      Resource: '*',
    },
  ];
  if (roles.length > 0) {
    statements.push({
      Sid: 'StageRolesUseKey',
      Effect: 'Allow',
      ...exactRoles(roles),
      Action: KEY_USE_ACTIONS,
      Resource: '*',
    });
  }
  return { Version: POLICY_VERSION, Statement: statements };
}

/**
 * TLS only, and each stage role only its own prefix: list it, and read, write and delete the
 * state and lock objects under it. When per-role statements would pass S3's 20 KB limit, one
 * statement admits all stage roles to the bucket instead; each role's own policy still confines
 * it to its prefix (cross-account access needs both to allow).
 */
function stateBucketPolicy(bucketArn: string, roles: readonly StageRoleRef[]): PolicyDocument {
  const perRole: PolicyDocumentStatement[] = roles.flatMap((role) => {
    const prefix = terraformStatePrefix({ slug: role.slug, stage: role.stage });
    const sid = logicalIdPart(`${role.slug}-${role.stage}`);
    const { Principal, Condition } = exactRoles([role]);
    return [
      {
        Sid: `StateList${sid}`,
        Effect: 'Allow',
        Principal,
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { ...Condition, StringLike: { 's3:prefix': `${prefix}*` } },
      },
      {
        Sid: `StateObjects${sid}`,
        Effect: 'Allow',
        Principal,
        Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        Resource: `${bucketArn}/${prefix}*`,
        Condition,
      },
    ];
  });
  const detailed: PolicyDocument = {
    Version: POLICY_VERSION,
    Statement: [denyInsecureTransport(bucketArn), ...uniqueSids(perRole)],
  };
  if (roles.length === 0 || JSON.stringify(detailed).length <= BUCKET_POLICY_LIMIT) return detailed;
  return {
    Version: POLICY_VERSION,
    Statement: [
      denyInsecureTransport(bucketArn),
      {
        Sid: 'StageRolesState',
        Effect: 'Allow',
        ...exactRoles(roles),
        Action: ['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject'],
        Resource: [bucketArn, `${bucketArn}/*`],
      },
    ],
  };
}

/** `prod-eu` of `a` and `eu` of `a-prod` both give `AProdEu`: number the repeats. */
function uniqueSids(statements: PolicyDocumentStatement[]): PolicyDocumentStatement[] {
  const seen = new Map<string, number>();
  return statements.map((s) => {
    const sid = s.Sid ?? '';
    const count = (seen.get(sid) ?? 0) + 1;
    seen.set(sid, count);
    return count === 1 ? s : { ...s, Sid: `${sid}N${count}` };
  });
}
