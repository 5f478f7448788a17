import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  InvalidParameterValueException,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  ValidationException,
  type CloudWatchClient,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { AlarmRuleError, evaluateRule, parseAlarmRule, ruleReferences } from './alarm-rule.js';
import type { AlarmStateValue } from './cloudwatch-state.js';
import {
  rejection,
  startCloudWatchKit,
  type CloudWatchKit,
} from './test-support/cloudwatch-kit.js';

const ARN = (name: string): string => `arn:aws:cloudwatch:us-east-1:${DEV}:alarm:${name}`;

describe('composite alarm rules', () => {
  const states: Record<string, AlarmStateValue> = {
    a: 'ALARM',
    b: 'OK',
    'c d': 'INSUFFICIENT_DATA',
  };
  const holds = (rule: string): boolean =>
    evaluateRule(
      parseAlarmRule(rule),
      (reference) => states[reference.replace(/^arn:.*:alarm:/, '')],
    );

  it('evaluates functions, operators, parentheses and constants', () => {
    expect(holds('ALARM(a)')).toBe(true);
    expect(holds('ALARM(b)')).toBe(false);
    expect(holds('OK("b")')).toBe(true);
    expect(holds('INSUFFICIENT_DATA("c d")')).toBe(true);
    expect(holds(`ALARM(${ARN('a')})`)).toBe(true);
    expect(holds('NOT ALARM(b)')).toBe(true);
    expect(holds('ALARM(a) AND ALARM(b)')).toBe(false);
    expect(holds('ALARM(a) OR ALARM(b)')).toBe(true);
    // NOT binds tighter than AND, AND tighter than OR.
    expect(holds('NOT ALARM(a) AND ALARM(b)')).toBe(false);
    expect(holds('ALARM(b) AND ALARM(a) OR OK(b)')).toBe(true);
    expect(holds('ALARM(b) AND (ALARM(a) OR OK(b))')).toBe(false);
    expect(holds('TRUE AND NOT FALSE')).toBe(true);
    expect(holds('ALARM(gone)')).toBe(false);
    expect(ruleReferences(parseAlarmRule('ALARM(a) OR (OK(a) AND NOT OK("c d"))'))).toEqual([
      'a',
      'c d',
    ]);
  });

  it('rejects malformed rules with the position', () => {
    for (const rule of [
      '',
      'ALARM(a',
      'ALARM a',
      'ALARM(a) AND',
      'alarm(a)',
      'ALARM(a) XOR OK(b)',
      'ALARM()',
      '(OK(a)',
    ]) {
      expect(() => parseAlarmRule(rule), rule).toThrow(AlarmRuleError);
    }
    expect(() => parseAlarmRule('ALARM(a) ALARM(b)')).toThrow(/position 10/);
  });
});

describe('composite alarms', () => {
  let kit: CloudWatchKit;
  let cw: CloudWatchClient;

  beforeAll(async () => {
    kit = await startCloudWatchKit();
    cw = kit.client(kit.sandbox.credentialsFor(DEV));
  });
  beforeEach(async () => {
    kit.sandbox.control.reset();
    kit.events.length = 0;
    for (const name of ['cpu', 'errors', 'latency']) {
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'App',
          MetricName: name,
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
          // Never evaluates to anything but INSUFFICIENT_DATA without data: SetAlarmState drives it.
          TreatMissingData: 'ignore',
        }),
      );
    }
  });
  afterAll(() => kit.stop());

  const set = (name: string, value: AlarmStateValue): Promise<unknown> =>
    cw.send(
      new SetAlarmStateCommand({ AlarmName: name, StateValue: value, StateReason: `set ${value}` }),
    );
  const composite = async (name: string) =>
    (
      await cw.send(
        new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['CompositeAlarm'] }),
      )
    ).CompositeAlarms?.[0];

  it('follows its children at once, with the triggering alarms in the reason', async () => {
    await cw.send(
      new PutCompositeAlarmCommand({
        AlarmName: 'service-down',
        AlarmRule: `ALARM(errors) AND (ALARM("latency") OR ALARM(${ARN('cpu')}))`,
        AlarmDescription: 'errors with latency or cpu',
      }),
    );
    expect(await composite('service-down')).toMatchObject({
      StateValue: 'INSUFFICIENT_DATA',
      AlarmArn: ARN('service-down'),
      AlarmRule: `ALARM(errors) AND (ALARM("latency") OR ALARM(${ARN('cpu')}))`,
    });
    await kit.advance(0);
    expect((await composite('service-down'))?.StateValue).toBe('OK');

    await set('errors', 'ALARM');
    expect((await composite('service-down'))?.StateValue).toBe('OK');
    kit.clock.advance(1000);
    await set('latency', 'ALARM');
    const alarmed = await composite('service-down');
    expect(alarmed?.StateValue).toBe('ALARM');
    expect(alarmed?.StateReason).toBe(
      `${ARN('latency')} transitioned to ALARM at Sunday 1 March, 2026 10:00:01 UTC`,
    );
    expect(JSON.parse(alarmed?.StateReasonData ?? '{}')).toEqual({
      triggeringAlarms: [
        {
          arn: ARN('latency'),
          state: { value: 'ALARM', timestamp: '2026-03-01T10:00:01.000+0000' },
        },
        {
          arn: ARN('errors'),
          state: { value: 'ALARM', timestamp: '2026-03-01T10:00:00.000+0000' },
        },
      ],
    });
    const event = kit.events.find(
      (e) =>
        e.detail['alarmName'] === 'service-down' &&
        (e.detail['state'] as { value: string }).value === 'ALARM',
    );
    expect(event?.detail).toMatchObject({
      previousState: { value: 'OK' },
      configuration: {
        alarmRule: `ALARM(errors) AND (ALARM("latency") OR ALARM(${ARN('cpu')}))`,
        description: 'errors with latency or cpu',
      },
    });
    expect(event?.resources).toEqual([ARN('service-down')]);

    await set('errors', 'OK');
    expect((await composite('service-down'))?.StateValue).toBe('OK');
  });

  it('nests composites and lists children and parents', async () => {
    await cw.send(
      new PutCompositeAlarmCommand({
        AlarmName: 'inner',
        AlarmRule: 'ALARM(errors) OR ALARM(cpu)',
      }),
    );
    await cw.send(
      new PutCompositeAlarmCommand({
        AlarmName: 'outer',
        AlarmRule: 'ALARM(inner) AND NOT OK(latency)',
      }),
    );
    await set('latency', 'ALARM');
    await set('cpu', 'ALARM');
    expect((await composite('inner'))?.StateValue).toBe('ALARM');
    expect((await composite('outer'))?.StateValue).toBe('ALARM');

    const children = await cw.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'outer' }));
    expect(children.CompositeAlarms?.map((a) => a.AlarmName)).toEqual(['inner']);
    expect(children.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['latency']);
    const parents = await cw.send(new DescribeAlarmsCommand({ ParentsOfAlarmName: 'errors' }));
    expect(parents.CompositeAlarms?.map((a) => a.AlarmName)).toEqual(['inner']);
    // Metric alarms only, unless composites are asked for.
    expect((await cw.send(new DescribeAlarmsCommand({}))).CompositeAlarms).toEqual([]);
    const both = await cw.send(
      new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
    );
    expect(both.CompositeAlarms?.map((a) => a.AlarmName)).toEqual(['inner', 'outer']);
  });

  it('holds a state set on a composite until a child changes', async () => {
    await cw.send(
      new PutCompositeAlarmCommand({ AlarmName: 'any', AlarmRule: 'ALARM(errors) OR ALARM(cpu)' }),
    );
    await kit.advance(0);
    await set('any', 'ALARM');
    await kit.advance(60_000);
    expect((await composite('any'))?.StateValue).toBe('ALARM');
    await set('cpu', 'OK');
    expect((await composite('any'))?.StateValue).toBe('OK');
  });

  it('refuses rules that are malformed, name missing alarms or loop', async () => {
    const put = (name: string, rule: string) =>
      cw.send(new PutCompositeAlarmCommand({ AlarmName: name, AlarmRule: rule }));
    const malformed = await rejection(put('bad', 'ALARM(errors) AND'));
    expect(malformed).toBeInstanceOf(InvalidParameterValueException);
    expect(malformed.message).toContain('alarm rule');
    const missing = await rejection(put('bad', 'ALARM(errors) OR ALARM(ghost)'));
    expect(missing.message).toBe(
      'Could not save the composite alarm as alarms [ghost] in the alarm rule do not exist',
    );
    await put('first', 'ALARM(errors)');
    await put('second', 'ALARM(first)');
    expect(await rejection(put('first', 'ALARM(second)'))).toBeInstanceOf(
      InvalidParameterValueException,
    );
    expect(await rejection(put('self', 'ALARM(self)'))).toBeInstanceOf(
      InvalidParameterValueException,
    );
    expect(await rejection(put('cpu', 'ALARM(errors)'))).toBeInstanceOf(
      InvalidParameterValueException,
    );
  });

  it('refuses to delete a child while a composite depends on it', async () => {
    await cw.send(
      new PutCompositeAlarmCommand({ AlarmName: 'any', AlarmRule: 'ALARM(errors) OR ALARM(cpu)' }),
    );
    const refused = await rejection(
      cw.send(new DeleteAlarmsCommand({ AlarmNames: ['errors', 'latency'] })),
    );
    expect(refused).toBeInstanceOf(ValidationException);
    expect(refused.message).toBe(
      'Cannot delete errors as there are composite alarm(s) depending on it.',
    );
    expect(
      (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['latency'] }))).MetricAlarms,
    ).toHaveLength(1);
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['any', 'errors'] }));
    const left = await cw.send(
      new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
    );
    expect(
      [...(left.MetricAlarms ?? []), ...(left.CompositeAlarms ?? [])].map((a) => a.AlarmName),
    ).toEqual(['cpu', 'latency']);
  });
});
