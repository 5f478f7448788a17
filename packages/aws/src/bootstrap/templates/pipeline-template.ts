/**
 * `Rampart-<pipeline>-Pipeline`, in the CI/CD account: where builds put the artifacts that are
 * built once (not `per_stage`), readable across accounts by exactly the stage roles that mirror
 * them, and the build role (`buildPolicies`) the pipeline's builds write them with.
 */
import {
  BUNDLE_READ_ACTIONS,
  POLICY_VERSION,
  ECR_PULL_ACTIONS,
  RampartError,
  bucketArn,
  buildPolicies,
  bundleBucketName,
  imageRepositoryName,
  oidcProviderHost,
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
  LOGICAL_IDS,
  artifactIdParts,
  bundleBucketLogicalId,
  bundleBucketPolicyLogicalId,
  imageRepositoryLogicalId,
} from './logical-ids.js';
import { exactRoles, stageRolesOf } from './policy-helpers.js';
import { rampartTags } from './rampart-tags.js';
import { STAGE_ROLE_MAX_SESSION_SECONDS } from './stage-template.js';
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
  const build = buildPolicies({
    model,
    organization,
    issuerHost: oidcProviderHost(settings.issuerUrl),
  });
  if (build !== undefined) {
    // One policy of a few statements per artifact: managed policies are never needed in practice,
    // and a build role too large for inline policies is refused rather than half supported.
    const refused = build.notes.length > 0 || build.policies.some((p) => p.kind !== 'inline');
    if (refused) {
      throw new RampartError(
        'IAM_POLICY_TOO_LARGE',
        `the build role ${build.roleName} of pipeline "${model.slug}" needs more than the 10,240 characters of inline policy IAM allows a role`,
        { hint: 'Split the pipeline: its artifacts are too many for one build role.' },
      );
    }
    resources[LOGICAL_IDS.buildRole] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: build.roleName,
        Description: `Rampart build role of pipeline ${model.slug}: pushes its artifacts to the CI/CD copies`,
        AssumeRolePolicyDocument: build.trustPolicy,
        MaxSessionDuration: STAGE_ROLE_MAX_SESSION_SECONDS,
        Policies: build.policies.map((p) => ({ PolicyName: p.name, PolicyDocument: p.document })),
        Tags: tags,
      },
    };
    outputs.BuildRoleArn = {
      Description: 'The build role; tokens with the pipeline build subject assume it',
      Value: getAtt(LOGICAL_IDS.buildRole, 'Arn'),
    };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Rampart pipeline stack for ${model.slug}: artifact repositories and buckets in the CI/CD account, and the build role (template version ${BOOTSTRAP_TEMPLATE_VERSION})`,
    Resources: resources,
    Outputs: { TemplateVersion: templateVersionOutput(), ...outputs },
  };
}
