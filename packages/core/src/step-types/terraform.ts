/** TERRAFORM:SYNTHESIZE: plan and apply a Terraform configuration from the repository. */
import { z } from 'zod';
import { terraformStatePrefix } from '../naming/index.js';
import { KMS_KEY_PLACEHOLDER, STATE_BUCKET_PLACEHOLDER, allow, arn } from './iam-statement.js';
import { freeMap, oneOf, text } from './param-schemas.js';
import { defineStepType } from './step-type-definition.js';

/** When a Terraform plan waits for a person before it is applied. */
export const TERRAFORM_APPROVAL_MODES = ['ALWAYS', 'NEVER', 'DESTRUCTIVE_CHANGES_ONLY'] as const;

const params = z.strictObject({
  source: text().describe(
    'Folder of the Terraform configuration, relative to the repository root.',
  ),
  variables: freeMap()
    .optional()
    .describe('Input variables passed to Terraform (`-var`), by name.'),
  requires_approval: oneOf(TERRAFORM_APPROVAL_MODES)
    .default('NEVER')
    .describe(
      'When the plan waits for approval before apply: ALWAYS, NEVER, or DESTRUCTIVE_CHANGES_ONLY (a resource is deleted or replaced).',
    ),
});

export const terraformSynthesize = defineStepType({
  id: 'RAMPART:TERRAFORM:SYNTHESIZE',
  description:
    "Plans and applies a Terraform configuration, with state in the organization's state bucket.",
  params,
  outputs: 'any',
  rollback: { mode: 'skip', description: 'skipped during rollback' },
  // Only the state backend: the resources Terraform manages need the pipeline's
  // aws_additional_iam_policies, since nothing offline can tell what a configuration touches.
  iam(_params, ctx) {
    const bucket = ctx.stateBucket ?? STATE_BUCKET_PLACEHOLDER;
    const prefix = terraformStatePrefix({ slug: ctx.pipelineSlug, stage: ctx.stageName });
    return [
      allow('TerraformStateList', ['s3:ListBucket'], arn(ctx.partition, 's3', '', '', bucket), {
        StringLike: { 's3:prefix': `${prefix}*` },
      }),
      // The state object and its `.tflock` lock file (S3-native locking) both live under the prefix.
      allow(
        'TerraformStateObjects',
        ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        arn(ctx.partition, 's3', '', '', `${bucket}/${prefix}*`),
      ),
      allow(
        'TerraformStateKey',
        ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
        ctx.kmsKeyArn ?? KMS_KEY_PLACEHOLDER,
      ),
    ];
  },
});
