/**
 * `Rampart-<pipeline>-Pipeline`, in the CI/CD account: where builds put the artifacts that are
 * built once (not `per_stage`), readable across accounts by exactly the stage roles that mirror
 * them.
 */
import {
  BUNDLE_READ_ACTIONS,
  POLICY_VERSION,
  ECR_PULL_ACTIONS,
  bucketArn,
  bundleBucketName,
  imageRepositoryName,
  type PipelineModel,
} from '@rampart/core';
import {
  bundleBucketPolicyResource,
  bundleBucketResource,
  imageRepositoryResource,
} from './artifact-stores.js';
import type { BootstrapSettings } from './bootstrap-settings.js';
import { getAtt, ref, type CfnOutput, type CfnResource, type CfnTemplate } from './cfn-template.js';
import {
  artifactIdParts,
  bundleBucketLogicalId,
  bundleBucketPolicyLogicalId,
  imageRepositoryLogicalId,
} from './logical-ids.js';
import { exactRoles, stageRolesOf } from './policy-helpers.js';
import { rampartTags } from './rampart-tags.js';
import { BOOTSTRAP_TEMPLATE_VERSION, templateVersionOutput } from './template-version.js';

/**
 * The pipeline stack's template, or `undefined` when the pipeline builds nothing in the CI/CD
 * account (no artifacts, or only `per_stage` ones): CloudFormation has no empty stacks, and there
 * is nothing to hold. The deployer then creates no stack and removes one left from before.
 *
 * @throws RampartError `RESOURCE_NAME_INVALID` when two artifact ids give one logical id.
 */
export function pipelineTemplate(
  settings: BootstrapSettings,
  model: PipelineModel,
): CfnTemplate | undefined {
  const { organization } = settings;
  const region = organization.cicd_account_region;
  const parts = artifactIdParts(model);
  const readers = exactRoles(stageRolesOf(organization, model));
  const tags = rampartTags({ org: organization.slug, pipeline: model.slug });
  const resources: Record<string, CfnResource> = {};
  const outputs: Record<string, CfnOutput> = {};
  for (const artifact of model.artifacts) {
    const part = parts.get(artifact.id) ?? '';
    if (artifact.perStage) continue;
    if (artifact.kind === 'image') {
      const id = imageRepositoryLogicalId(part);
      resources[id] = imageRepositoryResource({
        name: imageRepositoryName({ slug: model.slug, artifactId: artifact.id }),
        tags,
        policy: {
          Version: POLICY_VERSION,
          Statement: [
            { Sid: 'StageRolesPull', Effect: 'Allow', ...readers, Action: [...ECR_PULL_ACTIONS] },
          ],
        },
      });
      outputs[`${id}Uri`] = {
        Description: `Repository of artifact "${artifact.name}"`,
        Value: getAtt(id, 'RepositoryUri'),
      };
    } else if (artifact.kind === 'bundle') {
      const id = bundleBucketLogicalId(part);
      const name = bundleBucketName({
        accountId: organization.cicd_account_id,
        slug: model.slug,
        artifactId: artifact.id,
      });
      const arn = bucketArn(region, name);
      resources[id] = bundleBucketResource({ name, tags });
      resources[bundleBucketPolicyLogicalId(part)] = bundleBucketPolicyResource({
        bucketLogicalId: id,
        bucketArn: arn,
        grants: [
          {
            Sid: 'StageRolesRead',
            Effect: 'Allow',
            ...readers,
            Action: [...BUNDLE_READ_ACTIONS],
            Resource: `${arn}/*`,
          },
        ],
      });
      outputs[`${id}Name`] = {
        Description: `Bucket of artifact "${artifact.name}"`,
        Value: ref(id),
      };
    }
  }
  if (Object.keys(resources).length === 0) return undefined;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Rampart pipeline stack for ${model.slug}: artifact repositories and buckets in the CI/CD account (template version ${BOOTSTRAP_TEMPLATE_VERSION})`,
    Resources: resources,
    Outputs: { TemplateVersion: templateVersionOutput(), ...outputs },
  };
}
