import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from './event-envelope.js';
import { fillTemplate, targetInput } from './input-transform.js';

const envelope: EventEnvelope = {
  version: '0',
  id: 'id-1',
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '333333333333',
  time: '2026-03-01T10:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:cloudwatch:us-east-1:333333333333:alarm:api'],
  detail: { alarmName: 'api "5xx"', state: { value: 'ALARM' }, count: 3 },
};
const rule = { name: 'alarms', arn: 'arn:aws:events:us-east-1:333333333333:rule/alarms' };
const at = '2026-03-01T10:00:01Z';

describe('target input', () => {
  it('sends the whole event by default', () => {
    expect(JSON.parse(targetInput({ Id: 't', Arn: 'a' }, envelope, rule, at))).toEqual(envelope);
  });

  it('sends constant Input as given', () => {
    expect(targetInput({ Id: 't', Arn: 'a', Input: '{"fixed":true}' }, envelope, rule, at)).toBe(
      '{"fixed":true}',
    );
  });

  it('selects with InputPath, hyphenated keys and indexes included', () => {
    const input = (path: string) =>
      targetInput({ Id: 't', Arn: 'a', InputPath: path }, envelope, rule, at);
    expect(JSON.parse(input('$.detail.state'))).toEqual({ value: 'ALARM' });
    expect(JSON.parse(input('$.detail-type'))).toBe('CloudWatch Alarm State Change');
    expect(JSON.parse(input('$.resources[0]'))).toBe(envelope.resources[0]);
    expect(input('$.detail.missing')).toBe('null');
  });

  it('fills JSON templates: quoted placeholders as text, bare ones as JSON', () => {
    const body = targetInput(
      {
        Id: 't',
        Arn: 'a',
        InputTransformer: {
          InputPathsMap: {
            name: '$.detail.alarmName',
            state: '$.detail.state',
            count: '$.detail.count',
            missing: '$.detail.nope',
          },
          InputTemplate:
            '{"alarm": <name>, "text": "<name> is <count>", "state": <state>, "rule": "<aws.events.rule-name>", "keep": "<other>", "gone": <missing>}',
        },
      },
      envelope,
      rule,
      at,
    );
    expect(JSON.parse(body)).toEqual({
      alarm: 'api "5xx"',
      text: 'api "5xx" is 3',
      state: { value: 'ALARM' },
      rule: 'alarms',
      keep: '<other>',
      gone: null,
    });
  });

  it('fills text templates with plain text', () => {
    const values = new Map<string, unknown>([
      ['name', 'api'],
      ['n', 2],
    ]);
    expect(fillTemplate('<name> fired <n> times', values)).toBe('api fired 2 times');
    expect(fillTemplate('"<name> fired"', values)).toBe('"api fired"');
  });

  it('gives the rule ARN, ingestion time and the whole event to templates', () => {
    const body = targetInput(
      {
        Id: 't',
        Arn: 'a',
        InputTransformer: {
          InputTemplate:
            '{"arn": "<aws.events.rule-arn>", "at": "<aws.events.event.ingestion-time>", "event": <aws.events.event>}',
        },
      },
      envelope,
      rule,
      at,
    );
    expect(JSON.parse(body)).toEqual({ arn: rule.arn, at, event: envelope });
  });
});
