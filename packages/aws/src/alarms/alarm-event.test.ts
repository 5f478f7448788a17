import { describe, expect, it } from 'vitest';
import { AlarmEventError, parseAlarmStateChange } from './alarm-event.js';

const event = {
  version: '0',
  id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '444444444444',
  time: '2026-01-01T00:00:05Z',
  region: 'us-east-1',
  resources: ['arn:aws:cloudwatch:us-east-1:444444444444:alarm:web-5xx'],
  detail: {
    alarmName: 'web-5xx',
    state: {
      value: 'ALARM',
      reason: 'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).',
      timestamp: '2026-01-01T00:00:04.123+0000',
    },
    previousState: { value: 'OK', timestamp: '2025-12-31T00:00:00.000+0000' },
    configuration: { metrics: [] },
  },
};

describe('parseAlarmStateChange', () => {
  it('reads the account, region, alarm, states and change time of a real-shaped event', () => {
    expect(parseAlarmStateChange(event)).toEqual({
      accountId: '444444444444',
      region: 'us-east-1',
      alarmName: 'web-5xx',
      alarmArn: 'arn:aws:cloudwatch:us-east-1:444444444444:alarm:web-5xx',
      state: 'ALARM',
      previousState: 'OK',
      reason: 'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).',
      changedAt: '2026-01-01T00:00:04.123Z',
    });
  });

  it('names the field that is wrong', () => {
    const cases: [unknown, RegExp][] = [
      ['text', /the event must be an object/],
      [{ ...event, source: 'aws.ec2' }, /source/],
      [{ ...event, 'detail-type': 'EC2 Instance State-change Notification' }, /detail-type/],
      [{ ...event, detail: { ...event.detail, alarmName: '' } }, /detail\.alarmName/],
      [
        { ...event, detail: { ...event.detail, state: { value: 'RED', timestamp: event.time } } },
        /detail\.state\.value/,
      ],
      [
        { ...event, time: 'soon', detail: { ...event.detail, state: { value: 'OK' } } },
        /timestamp/,
      ],
    ];
    for (const [body, message] of cases) {
      expect(() => parseAlarmStateChange(body)).toThrow(AlarmEventError);
      expect(() => parseAlarmStateChange(body)).toThrow(message);
    }
  });
});
