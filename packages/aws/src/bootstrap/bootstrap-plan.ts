/**
 * What bootstrap deploys, where and in which order: account stacks first (trust policies name the
 * provider), then the org stack (its `KeyArn` goes into stage stacks), then pipeline and stage
 * stacks. Pure: templates are built from the plan and the org stack's key ARN.
 */
import {
  ACCOUNT_STACK_NAME,
  RampartError,
  orgStackName,
  pipelineStackName,
  stageStackName,
} from '@rampart/core';
import type { ValidPipeline } from './load-pipelines.js';
import { accountTemplate } from './templates/account-template.js';
import { alarmWatchOf, type AlarmWatch } from './templates/alarm-push.js';
import type { BootstrapSettings } from './templates/bootstrap-settings.js';
import type { CfnTemplate } from './templates/cfn-template.js';
import { organizationTemplate } from './templates/organization-template.js';
import { pipelineTemplate } from './templates/pipeline-template.js';
import { rampartTags, type CfnTag } from './templates/rampart-tags.js';
import { stageTemplate } from './templates/stage-template.js';

/** The four stack kinds, in deployment order. */
export type StackKind = 'account' | 'organization' | 'pipeline' | 'stage';

/** One stack of the plan. */
export interface PlannedStack {
  kind: StackKind;
  stackName: string;
  accountId: string;
  region: string;
  /** Stack-level tags; CloudFormation copies them onto every resource that takes tags. */
  tags: CfnTag[];
  /** The template, given the org stack's `KeyArn` (only stage stacks use it). */
  template(kmsKeyArn: string): CfnTemplate;
  /** Stage stacks of stages with rollback alarms: how they are watched. @default none */
  alarms?: { pipeline: string; stage: string; watch: AlarmWatch };
}

/** Everything one bootstrap run deploys. */
export interface BootstrapPlan {
  /** Every account involved, the CI/CD account first. */
  accounts: string[];
  accountStacks: PlannedStack[];
  organizationStack: PlannedStack;
  /** Pipeline and stage stacks. */
  pipelineStacks: PlannedStack[];
}

export interface PlanBootstrapInput {
  settings: BootstrapSettings;
  /** Every pipeline of the organization: the org stack's policies name all their roles. */
  pipelines: readonly ValidPipeline[];
  /** `--pipeline-slugs`: the pipelines whose stacks to deploy. @default all of `pipelines` */
  slugs?: readonly string[];
}

/**
 * The plan for `input`.
 *
 * @throws RampartError `USAGE` when a slug names no valid pipeline.
 */
export function planBootstrap(input: PlanBootstrapInput): BootstrapPlan {
  const { settings } = input;
  const org = settings.organization;
  const known = new Map(input.pipelines.map((p) => [p.model.slug, p]));
  const slugs = input.slugs ?? [...known.keys()];
  const selected = slugs.map((slug) => {
    const found = known.get(slug);
    if (found === undefined) {
      throw new RampartError(
        'USAGE',
        `--pipeline-slugs names "${slug}", which is not a valid pipeline here (found: ${[...known.keys()].join(', ') || 'none'})`,
        {
          source: 'user',
          hint: 'Run `rampart validate` and pass folder names of valid pipelines.',
        },
      );
    }
    return found;
  });
  // The region an account's (global, IAM-only) account stack lives in: the first one we use there.
  const regionOf = new Map<string, string>([[org.cicd_account_id, org.cicd_account_region]]);
  const pipelineStacks: PlannedStack[] = [];
  for (const { model, resolved } of selected) {
    const pipelineTags = rampartTags({ org: org.slug, pipeline: model.slug });
    const built = pipelineTemplate(settings, model);
    if (built !== undefined) {
      pipelineStacks.push({
        kind: 'pipeline',
        stackName: pipelineStackName({ slug: model.slug }),
        accountId: org.cicd_account_id,
        region: org.cicd_account_region,
        tags: pipelineTags,
        template: () => built,
      });
    }
    for (const stage of [...model.stages, ...model.ephemeral]) {
      if (!regionOf.has(stage.accountId)) regionOf.set(stage.accountId, stage.region);
      const stageResolved = resolved.get(stage.name);
      const watch = alarmWatchOf(settings, model, stage);
      pipelineStacks.push({
        kind: 'stage',
        stackName: stageStackName({ slug: model.slug, stage: stage.name }),
        accountId: stage.accountId,
        region: stage.region,
        tags: rampartTags({ org: org.slug, pipeline: model.slug, stage: stage.name }),
        template: (kmsKeyArn) =>
          stageTemplate(settings, {
            model,
            stage,
            kmsKeyArn,
            ...(stageResolved === undefined ? {} : { resolved: stageResolved }),
          }),
        ...(watch === undefined
          ? {}
          : { alarms: { pipeline: model.slug, stage: stage.name, watch } }),
      });
    }
  }
  const orgTags = rampartTags({ org: org.slug });
  const accounts = [...regionOf.keys()];
  const allModels = input.pipelines.map((p) => p.model);
  return {
    accounts,
    accountStacks: accounts.map((accountId) => ({
      kind: 'account',
      stackName: ACCOUNT_STACK_NAME,
      accountId,
      region: regionOf.get(accountId) ?? org.cicd_account_region,
      tags: orgTags,
      template: () => accountTemplate(settings),
    })),
    organizationStack: {
      kind: 'organization',
      stackName: orgStackName({ org: org.slug }),
      accountId: org.cicd_account_id,
      region: org.cicd_account_region,
      tags: orgTags,
      template: () => organizationTemplate(settings, allModels),
    },
    pipelineStacks,
  };
}
