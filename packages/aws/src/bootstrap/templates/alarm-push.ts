/**
 * EventBridge alarm push in a stage stack: a rule on the default bus matching the state changes of
 * exactly the stage's rollback alarms, delivered to the control plane's alarm endpoint through an
 * API destination, so an alarm reaches the engine at once instead of at its next poll.
 */
import { partitionOf, resourceName, type PipelineModel, type StageModel } from '@rampart/core';
import type { BootstrapSettings } from './bootstrap-settings.js';
import {
  getAtt,
  ref,
  type CfnOutput,
  type CfnParameter,
  type CfnResource,
} from './cfn-template.js';
import { LOGICAL_IDS } from './logical-ids.js';
import { rampartTags } from './rampart-tags.js';

/** The header the server checks against `alarm_push_token` (`@rampart/protocol` names it too). */
export const ALARM_PUSH_TOKEN_HEADER = 'x-rampart-alarm-token';

/** The server's alarm endpoint, under `public_url`. */
export const ALARM_EVENTS_PATH = '/api/v1/alarm-events';

/** The stage template's `NoEcho` parameter carrying the token: never in a template or output. */
export const ALARM_PUSH_PARAMETER = 'AlarmPushToken';

/**
 * Requests per second EventBridge may send to the endpoint. Alarm state changes are rare; the
 * limit only keeps a flapping alarm from flooding the server (EventBridge queues the rest).
 */
export const ALARM_PUSH_RATE_PER_SECOND = 10;

/**
 * How long EventBridge keeps retrying a delivery. Polling notices anything push misses within
 * seconds, so a state change older than this is worth nothing.
 */
export const ALARM_PUSH_MAX_EVENT_AGE_SECONDS = 900;

/** EventBridge refuses longer event patterns. */
export const ALARM_PATTERN_LIMIT = 4096;

/** `public_url` and the token, from the control-plane config. */
export interface AlarmPushSettings {
  /** `public_url`: where AWS reaches the server's API. */
  publicUrl: string;
  /** `alarm_push_token`; only ever passed as the `NoEcho` parameter, never put in a template. */
  token: string;
}

/** How the engine hears about a stage's rollback alarms. */
export type AlarmWatch =
  | {
      via: 'push';
      alarms: string[];
      /** The API destination's endpoint. */
      endpoint: string;
      /** The name of the rule, connection, API destination and role. */
      name: string;
    }
  | {
      via: 'poll';
      alarms: string[];
      /** `public-url-not-set`, or `too-many-alarms` for one rule's event pattern. */
      reason: 'public-url-not-set' | 'too-many-alarms';
    };

/** `<public_url>/api/v1/alarm-events`, whatever slashes `public_url` ends in. */
export function alarmEventsEndpoint(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${ALARM_EVENTS_PATH}`;
}

/**
 * `rampart-alarms-<org>-<slug>-<stage>`: the rule, connection, API destination (each its own
 * namespace) and the role of one stage. EventBridge names take IAM role names' characters and
 * 64-character limit, so the role rule cuts all four alike, with a hash when too long; the prefix
 * keeps the role apart from stage roles (`rampart-<org>-<slug>-<stage>`).
 */
export function alarmPushName(input: { org: string; slug: string; stage: string }): string {
  return resourceName('iam-role', ['rampart', 'alarms', input.org, input.slug, input.stage]);
}

/** The ARN of an alarm of the stage's account and region, as state-change events name it. */
export function alarmArn(stage: Pick<StageModel, 'accountId' | 'region'>, name: string): string {
  return `arn:${partitionOf(stage.region)}:cloudwatch:${stage.region}:${stage.accountId}:alarm:${name}`;
}

/** The rule's pattern: state changes of exactly the stage's alarms. */
export function alarmEventPattern(
  stage: Pick<StageModel, 'accountId' | 'region' | 'alarms'>,
): Record<string, string[]> {
  return {
    source: ['aws.cloudwatch'],
    'detail-type': ['CloudWatch Alarm State Change'],
    resources: stage.alarms.map((name) => alarmArn(stage, name)),
  };
}

/** How a stage's alarms are watched; `undefined` for a stage without rollback alarms. */
export function alarmWatchOf(
  settings: BootstrapSettings,
  model: Pick<PipelineModel, 'slug'>,
  stage: Pick<StageModel, 'name' | 'accountId' | 'region' | 'alarms'>,
): AlarmWatch | undefined {
  const alarms = [...stage.alarms];
  if (alarms.length === 0) return undefined;
  if (settings.alarmPush === undefined)
    return { via: 'poll', alarms, reason: 'public-url-not-set' };
  if (JSON.stringify(alarmEventPattern(stage)).length > ALARM_PATTERN_LIMIT) {
    return { via: 'poll', alarms, reason: 'too-many-alarms' };
  }
  return {
    via: 'push',
    alarms,
    endpoint: alarmEventsEndpoint(settings.alarmPush.publicUrl),
    name: alarmPushName({
      org: settings.organization.slug,
      slug: model.slug,
      stage: stage.name,
    }),
  };
}

/** What alarm push adds to a stage template. */
export interface AlarmPushParts {
  parameters: Record<string, CfnParameter>;
  resources: Record<string, CfnResource>;
  outputs: Record<string, CfnOutput>;
}

/** The parameter, resources and outputs that wire `watch` into the stage's account and region. */
export function alarmPushParts(
  settings: BootstrapSettings,
  target: { model: Pick<PipelineModel, 'slug'>; stage: StageModel },
  watch: Extract<AlarmWatch, { via: 'push' }>,
): AlarmPushParts {
  const { model, stage } = target;
  const { name } = watch;
  const ids = LOGICAL_IDS;
  const partition = partitionOf(stage.region);
  // The rule's ARN is known before it exists; the role cannot name it through Fn::GetAtt, since
  // the rule's target names the role.
  const ruleArn = `arn:${partition}:events:${stage.region}:${stage.accountId}:rule/${name}`;
  const about = `pipeline ${model.slug}, stage ${stage.name}`;
  return {
    parameters: {
      [ALARM_PUSH_PARAMETER]: {
        Type: 'String',
        NoEcho: true,
        MinLength: 32,
        Description: `alarm_push_token of the control plane: EventBridge sends it in ${ALARM_PUSH_TOKEN_HEADER}`,
      },
    },
    resources: {
      [ids.alarmPushConnection]: {
        Type: 'AWS::Events::Connection',
        Properties: {
          Name: name,
          Description: `Rampart alarm push of ${about}: the control plane's token`,
          AuthorizationType: 'API_KEY',
          AuthParameters: {
            ApiKeyAuthParameters: {
              ApiKeyName: ALARM_PUSH_TOKEN_HEADER,
              ApiKeyValue: ref(ALARM_PUSH_PARAMETER),
            },
          },
        },
      },
      [ids.alarmPushDestination]: {
        Type: 'AWS::Events::ApiDestination',
        Properties: {
          Name: name,
          Description: `Rampart alarm push of ${about}: the control plane's alarm endpoint`,
          ConnectionArn: getAtt(ids.alarmPushConnection, 'Arn'),
          InvocationEndpoint: watch.endpoint,
          HttpMethod: 'POST',
          InvocationRateLimitPerSecond: ALARM_PUSH_RATE_PER_SECOND,
        },
      },
      [ids.alarmPushRole]: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: name,
          Description: `EventBridge delivers the alarm changes of Rampart ${about} as this role`,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'AlarmPushRuleOnly',
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sts:AssumeRole',
                Condition: {
                  StringEquals: { 'aws:SourceAccount': stage.accountId },
                  ArnEquals: { 'aws:SourceArn': ruleArn },
                },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'invoke-alarm-destination',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Sid: 'InvokeAlarmDestination',
                    Effect: 'Allow',
                    Action: 'events:InvokeApiDestination',
                    Resource: getAtt(ids.alarmPushDestination, 'Arn'),
                  },
                ],
              },
            },
          ],
          Tags: rampartTags({
            org: settings.organization.slug,
            pipeline: model.slug,
            stage: stage.name,
          }),
        },
      },
      [ids.alarmPushRule]: {
        Type: 'AWS::Events::Rule',
        Properties: {
          Name: name,
          Description: `State changes of the rollback alarms of Rampart ${about}`,
          State: 'ENABLED',
          EventPattern: alarmEventPattern(stage),
          Targets: [
            {
              Id: 'rampart',
              Arn: getAtt(ids.alarmPushDestination, 'Arn'),
              RoleArn: getAtt(ids.alarmPushRole, 'Arn'),
              RetryPolicy: { MaximumEventAgeInSeconds: ALARM_PUSH_MAX_EVENT_AGE_SECONDS },
            },
          ],
        },
      },
    },
    outputs: {
      AlarmPushEndpoint: {
        Description: 'Where EventBridge delivers the state changes of the rollback alarms',
        Value: watch.endpoint,
      },
      AlarmPushRuleArn: {
        Description: 'The rule matching the state changes of the rollback alarms',
        Value: getAtt(ids.alarmPushRule, 'Arn'),
      },
    },
  };
}
