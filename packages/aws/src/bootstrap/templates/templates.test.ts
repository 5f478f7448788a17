import { beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_KEY_ARN,
  multiAccountExample,
  stageNamed,
  type LoadedPipeline,
} from '../../test-support/pipelines.js';
import { accountTemplate } from './account-template.js';
import type { BootstrapSettings } from './bootstrap-settings.js';
import type { CfnTemplate } from './cfn-template.js';
import { organizationTemplate } from './organization-template.js';
import { pipelineTemplate } from './pipeline-template.js';
import { stageTemplate } from './stage-template.js';
import { checkTemplateReferences } from './template-references.js';
import { BOOTSTRAP_TEMPLATE_VERSION } from './template-version.js';

let settings: BootstrapSettings;
/** The same, with `public_url` and `alarm_push_token`: stage stacks push their alarms. */
let pushing: BootstrapSettings;
let web: LoadedPipeline;

const TOKEN = 'alarm-push-token-that-must-never-appear-in-a-template';

beforeAll(async () => {
  ({ settings, web } = await multiAccountExample());
  pushing = { ...settings, alarmPush: { publicUrl: 'https://rampart.acme.example', token: TOKEN } };
});

/** Every template of the example, by stack name, generated with `from` (default: no push). */
function allTemplates(from: BootstrapSettings = settings): Record<string, CfnTemplate> {
  const pipeline = pipelineTemplate(from, web.model);
  if (pipeline === undefined) throw new Error('the example builds its image in the CI/CD account');
  const templates: Record<string, CfnTemplate> = {
    'Rampart-Account': accountTemplate(from),
    'Rampart-acme-Org': organizationTemplate(from, [web.model]),
    'Rampart-web-Pipeline': pipeline,
  };
  for (const stage of web.model.stages) {
    templates[`Rampart-web-${stage.name}-Stage`] = stageTemplate(from, {
      model: web.model,
      stage,
      kmsKeyArn: TEST_KEY_ARN,
      ...(web.resolved.has(stage.name) ? { resolved: web.resolved.get(stage.name) } : {}),
    });
  }
  return templates;
}

/** The templates with alarm push, keyed `<stack> (push)`. */
function pushed(): Record<string, CfnTemplate> {
  return Object.fromEntries(
    Object.entries(allTemplates(pushing)).map(([stack, t]) => [`${stack} (push)`, t]),
  );
}

/** Resource types the sandbox emulates (ECR with its part 2); nothing else may appear. */
const SUPPORTED_TYPES = new Set([
  'AWS::IAM::OIDCProvider',
  'AWS::IAM::Role',
  'AWS::IAM::ManagedPolicy',
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::ECR::Repository',
  'AWS::CloudFormation::WaitConditionHandle',
  'AWS::Events::Connection',
  'AWS::Events::ApiDestination',
  'AWS::Events::Rule',
]);

/** Types whose CloudFormation resource takes `Tags`. */
const TAGGABLE = new Set([
  'AWS::IAM::OIDCProvider',
  'AWS::IAM::Role',
  'AWS::KMS::Key',
  'AWS::S3::Bucket',
  'AWS::ECR::Repository',
]);

describe('bootstrap templates of the multi-account example', () => {
  it('match the snapshots', () => {
    for (const [stack, template] of Object.entries(allTemplates())) {
      expect(template, stack).toMatchSnapshot(stack);
    }
  });

  it('with public_url, match the snapshots: only stage stacks gain alarm push', () => {
    const plain = allTemplates();
    for (const [stack, template] of Object.entries(allTemplates(pushing))) {
      if (!stack.endsWith('-Stage')) {
        expect(template, stack).toEqual(plain[stack]);
        continue;
      }
      expect(template, stack).toMatchSnapshot(`${stack} with alarm push`);
    }
  });

  it('are the same JSON every time they are generated', () => {
    expect(JSON.stringify(allTemplates())).toBe(JSON.stringify(allTemplates()));
    expect(JSON.stringify(allTemplates(pushing))).toBe(JSON.stringify(allTemplates(pushing)));
  });

  it('only reference parameters, resources and conditions they define', () => {
    for (const [stack, template] of Object.entries({ ...allTemplates(), ...pushed() })) {
      expect(checkTemplateReferences(template), stack).toEqual([]);
    }
  });

  it('never hold the alarm push token', () => {
    expect(JSON.stringify(allTemplates(pushing))).not.toContain(TOKEN);
  });

  it('carry the version output, a format version and a description', () => {
    for (const [stack, template] of Object.entries({ ...allTemplates(), ...pushed() })) {
      expect(template.AWSTemplateFormatVersion, stack).toBe('2010-09-09');
      expect(template.Description, stack).toContain(
        `template version ${BOOTSTRAP_TEMPLATE_VERSION}`,
      );
      expect(template.Outputs.TemplateVersion?.Value, stack).toBe(
        String(BOOTSTRAP_TEMPLATE_VERSION),
      );
    }
  });

  it('use only resource types the sandbox supports', () => {
    for (const [stack, template] of Object.entries({ ...allTemplates(), ...pushed() })) {
      for (const [id, resource] of Object.entries(template.Resources)) {
        expect(SUPPORTED_TYPES.has(resource.Type), `${stack} ${id} ${resource.Type}`).toBe(true);
      }
    }
  });

  it('tag every taggable resource with ManagedBy, organization, pipeline and stage', () => {
    const templates = { ...allTemplates(), ...pushed() };
    for (const [stack, template] of Object.entries(templates)) {
      const expected: Record<string, string> = {
        ManagedBy: 'Rampart',
        'rampart:organization': 'acme',
      };
      const stage = /^Rampart-web-(.+)-Stage( \(push\))?$/.exec(stack)?.[1];
      if (stack.startsWith('Rampart-web-')) expected['rampart:pipeline'] = 'web';
      if (stage !== undefined) expected['rampart:stage'] = stage;
      for (const [id, resource] of Object.entries(template.Resources)) {
        if (!TAGGABLE.has(resource.Type)) continue;
        const tags = resource.Properties.Tags as { Key: string; Value: string }[];
        expect(Object.fromEntries(tags.map((t) => [t.Key, t.Value])), `${stack} ${id}`).toEqual(
          expected,
        );
      }
    }
  });

  it('keep the data of stateful resources when they leave the stack', () => {
    for (const [stack, template] of Object.entries({ ...allTemplates(), ...pushed() })) {
      for (const [id, resource] of Object.entries(template.Resources)) {
        if (!['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::ECR::Repository'].includes(resource.Type)) {
          continue;
        }
        expect(resource.DeletionPolicy, `${stack} ${id}`).toBe('RetainExceptOnCreate');
        expect(resource.UpdateReplacePolicy, `${stack} ${id}`).toBe('Retain');
      }
    }
  });
});

describe('stage template of the example', () => {
  it('holds the role with the stage trust policy and inline policies, and the mirror', () => {
    const stage = stageNamed(web.model, 'prod-us-east-1');
    const template = stageTemplate(settings, { model: web.model, stage, kmsKeyArn: TEST_KEY_ARN });
    const role = template.Resources.StageRole;
    expect(role?.Type).toBe('AWS::IAM::Role');
    expect(role?.Properties.RoleName).toBe('rampart-acme-web-prod-us-east-1');
    expect(role?.Properties.MaxSessionDuration).toBe(3600);
    expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toContain(
      '"rampart.acme.example:sub":"org:acme/pipeline:web/stage:prod-us-east-1"',
    );
    const policies = role?.Properties.Policies as { PolicyName: string }[];
    expect(policies.map((p) => p.PolicyName)).toEqual([
      'rampart-steps',
      'rampart-stage',
      'additional-1',
      'additional-2',
    ]);
    expect(JSON.stringify(policies)).toContain(TEST_KEY_ARN);
    expect(template.Resources.ImageRepositoryWebImage?.Properties.RepositoryName).toBe(
      'web-prod-us-east-1-web-image',
    );
    expect(template.Resources.ImageRepositoryWebImage?.Properties.RepositoryPolicyText).toBe(
      undefined,
    );
  });
});
