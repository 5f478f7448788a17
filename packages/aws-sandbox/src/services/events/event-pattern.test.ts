import { describe, expect, it } from 'vitest';
import { AwsError } from '../../framework/aws-error.js';
import { compileEventPattern, matchesEventPattern } from './event-pattern.js';

const alarmEvent = {
  version: '0',
  id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '333333333333',
  time: '2026-03-01T10:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:cloudwatch:us-east-1:333333333333:alarm:api-5xx'],
  detail: {
    alarmName: 'api-5xx',
    state: { value: 'ALARM', reason: 'Threshold Crossed' },
    previousState: { value: 'OK' },
    configuration: { metrics: [{ id: 'm1', metricStat: { period: 60 } }] },
    count: 7,
    tags: ['prod', 'api'],
    nothing: null,
  },
};

function matches(pattern: unknown, event: Record<string, unknown> = alarmEvent): boolean {
  return matchesEventPattern(compileEventPattern(JSON.stringify(pattern)), event);
}

function reason(pattern: string): string {
  try {
    compileEventPattern(pattern);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).code).toBe('InvalidEventPatternException');
    return (error as AwsError).message;
  }
  throw new Error(`pattern ${pattern} was accepted`);
}

describe('event patterns', () => {
  it('matches the alarm state change rule', () => {
    const rule = {
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { state: { value: ['ALARM'] } },
    };
    expect(matches(rule)).toBe(true);
    expect(
      matches(rule, { ...alarmEvent, detail: { ...alarmEvent.detail, state: { value: 'OK' } } }),
    ).toBe(false);
    expect(matches({ ...rule, source: ['aws.ec2'] })).toBe(false);
  });

  it('matches exact values on every envelope field', () => {
    expect(matches({ account: ['333333333333'], region: ['us-east-1', 'eu-west-1'] })).toBe(true);
    expect(matches({ account: ['111111111111'] })).toBe(false);
    expect(
      matches({ resources: ['arn:aws:cloudwatch:us-east-1:333333333333:alarm:api-5xx'] }),
    ).toBe(true);
    expect(matches({ detail: { count: [7] } })).toBe(true);
    expect(matches({ detail: { count: ['7'] } })).toBe(false);
    expect(matches({ detail: { nothing: [null] } })).toBe(true);
  });

  it('matches when any element of an event array matches', () => {
    expect(matches({ detail: { tags: ['api'] } })).toBe(true);
    expect(matches({ detail: { tags: ['web'] } })).toBe(false);
    expect(matches({ detail: { configuration: { metrics: { id: ['m1'] } } } })).toBe(true);
    expect(
      matches({ detail: { configuration: { metrics: { metricStat: { period: [60] } } } } }),
    ).toBe(true);
  });

  it('supports prefix and suffix, optionally ignoring case', () => {
    expect(matches({ source: [{ prefix: 'aws.' }] })).toBe(true);
    expect(matches({ source: [{ prefix: 'custom.' }] })).toBe(false);
    expect(matches({ detail: { alarmName: [{ suffix: '-5xx' }] } })).toBe(true);
    expect(matches({ detail: { alarmName: [{ suffix: { 'equals-ignore-case': '-5XX' } }] } })).toBe(
      true,
    );
    expect(matches({ source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] })).toBe(true);
  });

  it('supports anything-but with values, prefixes, suffixes and wildcards', () => {
    expect(matches({ detail: { state: { value: [{ 'anything-but': 'OK' }] } } })).toBe(true);
    expect(matches({ detail: { state: { value: [{ 'anything-but': ['ALARM', 'OK'] }] } } })).toBe(
      false,
    );
    expect(matches({ source: [{ 'anything-but': { prefix: 'aws.' } }] })).toBe(false);
    expect(matches({ source: [{ 'anything-but': { prefix: 'custom.' } }] })).toBe(true);
    expect(matches({ detail: { alarmName: [{ 'anything-but': { suffix: '-5xx' } }] } })).toBe(
      false,
    );
    expect(matches({ detail: { alarmName: [{ 'anything-but': { wildcard: 'api-*' } }] } })).toBe(
      false,
    );
    expect(
      matches({
        detail: { alarmName: [{ 'anything-but': { 'equals-ignore-case': ['API-5XX'] } }] },
      }),
    ).toBe(false);
    expect(matches({ detail: { count: [{ 'anything-but': [1, 2] }] } })).toBe(true);
    // Absent fields never match anything-but.
    expect(matches({ detail: { missing: [{ 'anything-but': 'x' }] } })).toBe(false);
  });

  it('supports numeric ranges', () => {
    expect(matches({ detail: { count: [{ numeric: ['>', 5] }] } })).toBe(true);
    expect(matches({ detail: { count: [{ numeric: ['>', 0, '<=', 7] }] } })).toBe(true);
    expect(matches({ detail: { count: [{ numeric: ['>=', 8] }] } })).toBe(false);
    expect(matches({ detail: { count: [{ numeric: ['=', 7] }] } })).toBe(true);
    expect(matches({ detail: { alarmName: [{ numeric: ['>', 0] }] } })).toBe(false);
  });

  it('supports exists, equals-ignore-case and wildcard', () => {
    expect(matches({ detail: { alarmName: [{ exists: true }] } })).toBe(true);
    expect(matches({ detail: { missing: [{ exists: true }] } })).toBe(false);
    expect(matches({ detail: { missing: [{ exists: false }] } })).toBe(true);
    expect(matches({ detail: { alarmName: [{ exists: false }] } })).toBe(false);
    expect(
      matches({ 'detail-type': [{ 'equals-ignore-case': 'cloudwatch alarm state change' }] }),
    ).toBe(true);
    expect(matches({ resources: [{ wildcard: 'arn:aws:cloudwatch:*:alarm:api-*' }] })).toBe(true);
    expect(matches({ resources: [{ wildcard: 'arn:aws:cloudwatch:*:alarm:web-*' }] })).toBe(false);
    expect(matches({ source: [{ wildcard: 'aws\\*' }] })).toBe(false);
  });

  it('supports $or', () => {
    expect(
      matches({ $or: [{ source: ['aws.ec2'] }, { detail: { state: { value: ['ALARM'] } } }] }),
    ).toBe(true);
    expect(matches({ $or: [{ source: ['aws.ec2'] }, { detail: { count: [1] } }] })).toBe(false);
  });

  it('rejects invalid patterns with InvalidEventPatternException', () => {
    expect(reason('not json')).toContain('Event pattern is not valid. Reason:');
    expect(reason('[]')).toContain('not an object');
    expect(reason('{}')).toContain('Empty');
    expect(reason('{"source":"aws.ec2"}')).toContain('"source" must be an object or an array');
    expect(reason('{"source":[]}')).toContain('Empty arrays');
    expect(reason('{"source":[[1]]}')).toContain('Match value');
    expect(reason('{"source":[{"prefix":1}]}')).toContain('prefix');
    expect(reason('{"source":[{"regex":"a"}]}')).toContain('Unrecognized match type regex');
    expect(reason('{"source":[{"prefix":"a","suffix":"b"}]}')).toContain('Only one key');
    expect(reason('{"n":[{"numeric":[">"]}]}')).toContain('numeric');
    expect(reason('{"n":[{"numeric":["<",5,">",1]}]}')).toContain('Bad numeric range');
    expect(reason('{"n":[{"numeric":["~",5]}]}')).toContain('operator');
    expect(reason('{"n":[{"numeric":[">",6e9]}]}')).toContain('5.0E9');
    expect(reason('{"n":[{"exists":"yes"}]}')).toContain('exists');
    expect(reason('{"n":[{"wildcard":"a**b"}]}')).toContain('Consecutive wildcard');
    expect(reason('{"n":[{"anything-but":[]}]}')).toContain('anything-but');
    expect(reason('{"n":[{"anything-but":["a",1]}]}')).toContain('anything-but');
    expect(reason('{"n":[{"anything-but":{"prefix":""}}]}')).toContain('prefix');
    expect(reason('{"$or":[{"a":["b"]}]}')).toContain('$or');
    expect(reason('{"detail":{}}')).toContain('empty object');
  });
});
