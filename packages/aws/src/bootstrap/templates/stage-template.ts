/**
 * `Rampart-<pipeline>-<stage>-Stage`, in the stage's account and region: the stage's deployment
 * role with the policies `stagePolicies` computes (the same ones `rampart plan` shows), the
 * repositories and buckets its artifacts are mirrored into, and, with `public_url`, the EventBridge
 * wiring that pushes its rollback alarms' state changes to the control plane.
 */
import {
  RampartError,
  bucketArn,
  bundleBucketName,
  imageRepositoryName,
  oidcProviderHost,
  stagePolicies,
  type PipelineModel,
  type ResolvedStage,
  type StageModel,
} from '@rampart/core';
import { alarmPushParts, alarmWatchOf } from './alarm-push.js';
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
  managedPolicyLogicalIds,
} from './logical-ids.js';
import { rampartTags } from './rampart-tags.js';
import { BOOTSTRAP_TEMPLATE_VERSION, templateVersionOutput } from './template-version.js';

/** Sessions never outlive an hour; the broker refreshes them from fresh tokens instead. */
export const STAGE_ROLE_MAX_SESSION_SECONDS = 3600;

export interface StageTemplateTarget {
  model: PipelineModel;
  stage: StageModel;
  /** The `KeyArn` output of the org stack; IAM grants key use by exact key ARN only. */
  kmsKeyArn: string;
  /** The stage resolved with the same organization. @default resolved by `stagePolicies` */
  resolved?: ResolvedStage;
}

/**
 * The stage stack's template. The role's policies are inline while their total fits IAM's
 * 10,240-character limit for a role, and managed policies beyond it. With `settings.alarmPush` and
 * rollback alarms it also has the `AlarmPushToken` parameter, which the deployer fills.
 *
 * @throws RampartError `IAM_POLICY_TOO_LARGE` when IAM would refuse the role's policies;
 *   `RESOURCE_NAME_INVALID` when two artifact ids give one logical id.
 */
export function stageTemplate(
  settings: BootstrapSettings,
  target: StageTemplateTarget,
): CfnTemplate {
  const { organization } = settings;
  const { model, stage } = target;
  const policies = stagePolicies({
    model,
    stage,
    organization,
    issuerHost: oidcProviderHost(settings.issuerUrl),
    kmsKeyArn: target.kmsKeyArn,
    ...(target.resolved === undefined ? {} : { resolved: target.resolved }),
  });
  const tooLarge = policies.notes.filter((n) => n.severity === 'error');
  if (tooLarge.length > 0) {
    throw new RampartError('IAM_POLICY_TOO_LARGE', tooLarge.map((n) => n.message).join('; '), {
      hint: 'Narrow aws_additional_iam_policies; `rampart plan --format json` shows every policy and its size.',
    });
  }
  const tags = rampartTags({ org: organization.slug, pipeline: model.slug, stage: stage.name });
  const resources: Record<string, CfnResource> = {};
  const managed = policies.policies.filter((p) => p.kind === 'managed');
  const managedIds = managedPolicyLogicalIds(managed.map((p) => p.name));
  managed.forEach((policy, k) => {
    resources[managedIds[k] ?? ''] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        Description: `Rampart ${policy.name} policy of ${policies.roleName}`,
        PolicyDocument: policy.document,
      },
    };
  });
  const inline = policies.policies.filter((p) => p.kind === 'inline');
  resources[LOGICAL_IDS.stageRole] = {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: policies.roleName,
      Description: `Rampart deployment role of pipeline ${model.slug}, stage ${stage.name}`,
      AssumeRolePolicyDocument: policies.trustPolicy,
      MaxSessionDuration: STAGE_ROLE_MAX_SESSION_SECONDS,
      ...(inline.length === 0
        ? {}
        : { Policies: inline.map((p) => ({ PolicyName: p.name, PolicyDocument: p.document })) }),
      ...(managedIds.length === 0 ? {} : { ManagedPolicyArns: managedIds.map((id) => ref(id)) }),
      Tags: tags,
    },
  };
  const outputs: Record<string, CfnOutput> = {};
  const parts = artifactIdParts(model);
  for (const artifact of model.artifacts) {
    const part = parts.get(artifact.id) ?? '';
    const names = { slug: model.slug, stage: stage.name, artifactId: artifact.id };
    if (artifact.kind === 'image') {
      const id = imageRepositoryLogicalId(part);
      resources[id] = imageRepositoryResource({ name: imageRepositoryName(names), tags });
      outputs[`${id}Uri`] = {
        Description: `Mirror of artifact "${artifact.name}"`,
        Value: getAtt(id, 'RepositoryUri'),
      };
    } else if (artifact.kind === 'bundle') {
      const id = bundleBucketLogicalId(part);
      const name = bundleBucketName({ ...names, accountId: stage.accountId });
      resources[id] = bundleBucketResource({ name, tags });
      resources[bundleBucketPolicyLogicalId(part)] = bundleBucketPolicyResource({
        bucketLogicalId: id,
        bucketArn: bucketArn(stage.region, name),
      });
      outputs[`${id}Name`] = {
        Description: `Mirror of artifact "${artifact.name}"`,
        Value: ref(id),
      };
    }
  }
  const watch = alarmWatchOf(settings, model, stage);
  const push =
    watch?.via === 'push' ? alarmPushParts(settings, { model, stage }, watch) : undefined;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Rampart stage stack for pipeline ${model.slug}, stage ${stage.name}: deployment role${push === undefined ? ' and artifact mirrors' : ', artifact mirrors and alarm push'} (template version ${BOOTSTRAP_TEMPLATE_VERSION})`,
    ...(push === undefined ? {} : { Parameters: push.parameters }),
    Resources: { ...resources, ...push?.resources },
    Outputs: {
      TemplateVersion: templateVersionOutput(),
      RoleArn: {
        Description: 'The stage deployment role; tokens with the stage subject assume it',
        Value: getAtt(LOGICAL_IDS.stageRole, 'Arn'),
      },
      RoleName: {
        Description: 'Name of the stage deployment role',
        Value: ref(LOGICAL_IDS.stageRole),
      },
      ...outputs,
      ...push?.outputs,
    },
  };
}
