import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE_NAME_LIMITS, stageRoleName, type StageModel } from '@rampart/core';
import {
  TEST_KEY_ARN,
  pipelineFrom,
  removeTempRepos,
  stageNamed,
  type LoadedPipeline,
} from '../../test-support/pipelines.js';
import {
  ALARM_PATTERN_LIMIT,
  ALARM_PUSH_PARAMETER,
  alarmEventsEndpoint,
  alarmPushName,
  alarmWatchOf,
} from './alarm-push.js';
import type { BootstrapSettings } from './bootstrap-settings.js';
import { stageTemplate } from './stage-template.js';
import { checkTemplateReferences } from './template-references.js';

afterAll(removeTempRepos);

const TOKEN = 's3cr3t-alarm-push-token-0123456789abcdef';
const plain: BootstrapSettings = {
  organization: { slug: 'acme', cicd_account_id: '111111111111', cicd_account_region: 'us-east-1' },
  issuerUrl: 'https://rampart.acme.example',
};
const pushing: BootstrapSettings = {
  ...plain,
  alarmPush: { publicUrl: 'https://hooks.acme.example/rampart/', token: TOKEN },
};

// Two stages with alarms in one account and region, one without alarms, one in China.
const PIPELINE = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: blue
      account_id: "222222222222"
      region: eu-west-1
      auto_rollback_alarm_names: [shop-blue-5xx, shop-latency]
    - name: green
      account_id: "222222222222"
      region: eu-west-1
      auto_rollback_alarm_name: shop-green-5xx
    - name: quiet
      account_id: "222222222222"
      region: eu-west-1
    - name: china
      account_id: "333333333333"
      region: cn-north-1
      auto_rollback_alarm_name: shop-cn-5xx
  steps:
    - name: Bake
      type: RAMPART:APPROVAL:BAKE
      params: { duration_minutes: 1 }
`;

let shop: LoadedPipeline;

beforeAll(async () => {
  shop = await pipelineFrom(plain, PIPELINE, { slug: 'shop' });
});

const build = (settings: BootstrapSettings, stage: string) =>
  stageTemplate(settings, {
    model: shop.model,
    stage: stageNamed(shop.model, stage),
    kmsKeyArn: TEST_KEY_ARN,
  });

describe('alarm push in the stage template', () => {
  it('wires a connection, an API destination, a role and a rule for exactly the stage alarms', () => {
    const t = build(pushing, 'blue');
    expect(checkTemplateReferences(t)).toEqual([]);
    expect(t.Parameters?.[ALARM_PUSH_PARAMETER]).toMatchObject({ Type: 'String', NoEcho: true });
    const name = 'rampart-alarms-acme-shop-blue';
    const connection = t.Resources.AlarmPushConnection;
    expect(connection?.Type).toBe('AWS::Events::Connection');
    expect(connection?.Properties).toMatchObject({
      Name: name,
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: 'x-rampart-alarm-token',
          ApiKeyValue: { Ref: ALARM_PUSH_PARAMETER },
        },
      },
    });
    expect(t.Resources.AlarmPushDestination?.Properties).toMatchObject({
      Name: name,
      ConnectionArn: { 'Fn::GetAtt': ['AlarmPushConnection', 'Arn'] },
      InvocationEndpoint: 'https://hooks.acme.example/rampart/api/v1/alarm-events',
      HttpMethod: 'POST',
      InvocationRateLimitPerSecond: 10,
    });
    const rule = t.Resources.AlarmPushRule?.Properties;
    expect(rule?.Name).toBe(name);
    expect(rule?.EventBusName).toBeUndefined();
    expect(rule?.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: [
        'arn:aws:cloudwatch:eu-west-1:222222222222:alarm:shop-blue-5xx',
        'arn:aws:cloudwatch:eu-west-1:222222222222:alarm:shop-latency',
      ],
    });
    expect(rule?.Targets).toEqual([
      expect.objectContaining({
        Id: 'rampart',
        Arn: { 'Fn::GetAtt': ['AlarmPushDestination', 'Arn'] },
        RoleArn: { 'Fn::GetAtt': ['AlarmPushRole', 'Arn'] },
      }),
    ]);
    // No input transformer: the server parses the event as EventBridge sends it.
    expect(JSON.stringify(rule?.Targets)).not.toMatch(/Input/);
  });

  it('lets only that rule use the role, and the role only invoke that destination', () => {
    const role = build(pushing, 'blue').Resources.AlarmPushRole?.Properties;
    expect(role?.RoleName).toBe('rampart-alarms-acme-shop-blue');
    expect(role?.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AlarmPushRuleOnly',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '222222222222' },
            ArnEquals: {
              'aws:SourceArn':
                'arn:aws:events:eu-west-1:222222222222:rule/rampart-alarms-acme-shop-blue',
            },
          },
        },
      ],
    });
    expect(role?.Policies).toEqual([
      {
        PolicyName: 'invoke-alarm-destination',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'InvokeAlarmDestination',
              Effect: 'Allow',
              Action: 'events:InvokeApiDestination',
              Resource: { 'Fn::GetAtt': ['AlarmPushDestination', 'Arn'] },
            },
          ],
        },
      },
    ]);
  });

  it('never puts the token into the template', () => {
    for (const stage of ['blue', 'green', 'quiet', 'china']) {
      expect(JSON.stringify(build(pushing, stage)), stage).not.toContain(TOKEN);
    }
  });

  it('uses the partition of the region in ARNs', () => {
    const t = build(pushing, 'china');
    expect(JSON.stringify(t.Resources.AlarmPushRule?.Properties.EventPattern)).toContain(
      '"arn:aws-cn:cloudwatch:cn-north-1:333333333333:alarm:shop-cn-5xx"',
    );
    expect(JSON.stringify(t.Resources.AlarmPushRole?.Properties)).toContain(
      'arn:aws-cn:events:cn-north-1:333333333333:rule/',
    );
  });

  it('adds nothing for a stage without alarms, or without public_url', () => {
    expect(build(pushing, 'quiet')).toEqual(build(plain, 'quiet'));
    const t = build(plain, 'blue');
    expect(t.Parameters).toBeUndefined();
    expect(Object.keys(t.Resources).filter((id) => id.startsWith('AlarmPush'))).toEqual([]);
    expect(Object.keys(t.Outputs).filter((id) => id.startsWith('AlarmPush'))).toEqual([]);
  });

  it('keeps stages of one account and region apart', () => {
    const names = ['blue', 'green'].map((stage) =>
      JSON.stringify(build(pushing, stage).Resources.AlarmPushRule?.Properties.Name),
    );
    expect(names[0]).not.toBe(names[1]);
    expect(JSON.stringify(build(pushing, 'green').Resources.AlarmPushRule)).not.toContain(
      'shop-blue-5xx',
    );
  });
});

describe('alarmWatchOf', () => {
  it('push with public_url, poll without; nothing for a stage without alarms', () => {
    const blue = stageNamed(shop.model, 'blue');
    expect(alarmWatchOf(pushing, shop.model, blue)).toEqual({
      via: 'push',
      alarms: ['shop-blue-5xx', 'shop-latency'],
      endpoint: 'https://hooks.acme.example/rampart/api/v1/alarm-events',
      name: 'rampart-alarms-acme-shop-blue',
    });
    expect(alarmWatchOf(plain, shop.model, blue)).toEqual({
      via: 'poll',
      alarms: ['shop-blue-5xx', 'shop-latency'],
      reason: 'public-url-not-set',
    });
    expect(alarmWatchOf(pushing, shop.model, stageNamed(shop.model, 'quiet'))).toBeUndefined();
  });

  it('falls back to polling when the alarms do not fit one event pattern', () => {
    const many: StageModel = {
      ...stageNamed(shop.model, 'blue'),
      alarms: Array.from({ length: 60 }, (_, k) => `shop-alarm-number-${k}`),
    };
    expect(alarmWatchOf(pushing, shop.model, many)).toMatchObject({
      via: 'poll',
      reason: 'too-many-alarms',
    });
    const t = stageTemplate(pushing, { model: shop.model, stage: many, kmsKeyArn: TEST_KEY_ARN });
    expect(t.Resources.AlarmPushRule).toBeUndefined();
    // Ten alarms still fit.
    const fits: StageModel = { ...many, alarms: many.alarms.slice(0, 10) };
    expect(alarmWatchOf(pushing, shop.model, fits)?.via).toBe('push');
    expect(ALARM_PATTERN_LIMIT).toBe(4096);
  });
});

describe('alarm push names and endpoint', () => {
  it('are cut to 64 characters with a hash, distinct for long stage names and from stage roles', () => {
    const long = 'production-europe-west-with-a-very-long-name-for-its-stage';
    const a = alarmPushName({ org: 'acme', slug: 'shop', stage: `${long}-a` });
    const b = alarmPushName({ org: 'acme', slug: 'shop', stage: `${long}-b` });
    expect(a).toHaveLength(RESOURCE_NAME_LIMITS['iam-role']);
    expect(b).toHaveLength(64);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^rampart-alarms-acme-shop-production-[a-z0-9-]+-[0-9a-f]{6}$/);
    // EventBridge names: 1–64 of letters, digits, '.', '-', '_'.
    expect(a).toMatch(/^[.\-_A-Za-z0-9]{1,64}$/);
    expect(alarmPushName({ org: 'acme', slug: 'shop', stage: 'prod' })).not.toBe(
      stageRoleName({ org: 'acme', slug: 'shop', stage: 'prod' }),
    );
  });

  it('the endpoint is public_url plus the alarm path, whatever slashes it ends in', () => {
    expect(alarmEventsEndpoint('https://r.example')).toBe('https://r.example/api/v1/alarm-events');
    expect(alarmEventsEndpoint('https://r.example//')).toBe(
      'https://r.example/api/v1/alarm-events',
    );
    expect(alarmEventsEndpoint('https://r.example/base/')).toBe(
      'https://r.example/base/api/v1/alarm-events',
    );
  });
});
