import { describe, expect, it } from 'vitest';
import {
  breaches,
  evaluateRange,
  type Comparison,
  type EvaluationRequest,
  type MissingDataTreatment,
} from './alarm-evaluation.js';
import { stateReason, stateReasonData } from './alarm-reason.js';
import { javaDouble, javaTimestamp, longDate, reasonDate } from './reason-format.js';

const MINUTE = 60_000;
const END = Date.parse('2026-03-01T10:10:00Z');

/**
 * A range from a picture, oldest first as AWS's documentation draws it: `X` breaching (10), `0`
 * not breaching (1), `-` missing. The threshold is 5, GreaterThanThreshold.
 */
function range(picture: string): EvaluationRequest['range'] {
  const symbols = picture.split(' ');
  return symbols
    .map((symbol, index) => {
      const start = END - (symbols.length - index) * MINUTE;
      if (symbol === '-') return { start };
      return { start, value: symbol === 'X' ? 10 : 1, sampleCount: 1 };
    })
    .reverse();
}

function request(
  picture: string,
  treatMissingData: MissingDataTreatment,
  options: Partial<EvaluationRequest> = {},
): EvaluationRequest {
  return {
    range: range(picture),
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    threshold: 5,
    comparison: 'GreaterThanThreshold',
    treatMissingData,
    ...options,
  };
}

function decide(
  picture: string,
  treatment: MissingDataTreatment,
  options: Partial<EvaluationRequest> = {},
): string {
  const outcome = evaluateRange(request(picture, treatment, options));
  return outcome.kind === 'retain' ? 'retain' : outcome.state;
}

describe('alarm evaluation', () => {
  // AWS's table "How alarm state is evaluated when data is missing" (3 of 3, range of 5).
  const table: [string, string, string, string, string][] = [
    //  data        missing               ignore    breaching  notBreaching
    ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - 0', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - -', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
    ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['- - X - -', 'ALARM', 'retain', 'ALARM', 'OK'],
  ];
  for (const [picture, missing, ignore, breaching, notBreaching] of table) {
    it(`decides "${picture}" as AWS documents for every treatment`, () => {
      expect(decide(picture, 'missing')).toBe(missing);
      expect(decide(picture, 'ignore')).toBe(ignore);
      expect(decide(picture, 'breaching')).toBe(breaching);
      expect(decide(picture, 'notBreaching')).toBe(notBreaching);
    });
  }

  it('alarms on M out of N breaching datapoints, not fewer', () => {
    const twoOfThree = { datapointsToAlarm: 2 };
    expect(decide('0 X 0 0 X', 'missing', twoOfThree)).toBe('OK');
    expect(decide('0 0 X 0 X', 'missing', twoOfThree)).toBe('ALARM');
    expect(decide('0 0 X 0 0', 'missing', twoOfThree)).toBe('OK');
    // Only the most recent N count when they are all present.
    expect(decide('X X 0 0 X', 'missing', twoOfThree)).toBe('OK');
  });

  it('uses older real datapoints of the range before the treatment', () => {
    // One of one: the newest period is missing, the one before is real and decides.
    expect(decide('- X -', 'notBreaching', { evaluationPeriods: 1, datapointsToAlarm: 1 })).toBe(
      'ALARM',
    );
    expect(decide('- - -', 'breaching', { evaluationPeriods: 1, datapointsToAlarm: 1 })).toBe(
      'ALARM',
    );
  });

  it('fills missing slots with the treatment as few times as possible', () => {
    const outcome = evaluateRange(request('- - X - 0', 'breaching', { datapointsToAlarm: 2 }));
    expect(outcome).toMatchObject({ kind: 'state', state: 'ALARM', filledAs: 'Breaching' });
    if (outcome.kind !== 'state') throw new Error('decided');
    expect(outcome.evaluated.map((p) => p.value)).toEqual([1, 10]);
    expect(outcome.filled).toHaveLength(1);
  });

  it('compares with each operator, equality included only where it should be', () => {
    const at = (comparison: Comparison, value: number): boolean => breaches(value, 5, comparison);
    expect([4, 5, 6].map((v) => at('GreaterThanThreshold', v))).toEqual([false, false, true]);
    expect([4, 5, 6].map((v) => at('GreaterThanOrEqualToThreshold', v))).toEqual([
      false,
      true,
      true,
    ]);
    expect([4, 5, 6].map((v) => at('LessThanThreshold', v))).toEqual([true, false, false]);
    expect([4, 5, 6].map((v) => at('LessThanOrEqualToThreshold', v))).toEqual([true, true, false]);
  });

  it('writes the reason and reason data CloudWatch writes', () => {
    const req = request('0 0 0 X X', 'missing', { datapointsToAlarm: 2 });
    const outcome = evaluateRange({ ...req, threshold: 0.5 });
    if (outcome.kind !== 'state') throw new Error('decided');
    expect(outcome.state).toBe('ALARM');
    expect(stateReason(outcome, { ...req, threshold: 0.5 }, 'OK')).toBe(
      'Threshold Crossed: 3 out of the last 3 datapoints [10.0 (01/03/26 10:09:00), 10.0 (01/03/26 10:08:00), 1.0 (01/03/26 10:07:00)] were greater than the threshold (0.5) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    const data = JSON.parse(
      stateReasonData(outcome, req, { now: END + 5000, period: 60, statistic: 'Sum' }),
    ) as Record<string, unknown>;
    expect(data).toEqual({
      version: '1.0',
      queryDate: '2026-03-01T10:10:05.000+0000',
      startDate: '2026-03-01T10:07:00.000+0000',
      statistic: 'Sum',
      period: 60,
      recentDatapoints: [1, 10, 10],
      threshold: 5,
      evaluatedDatapoints: [
        { timestamp: '2026-03-01T10:09:00.000+0000', sampleCount: 1, value: 10 },
        { timestamp: '2026-03-01T10:08:00.000+0000', sampleCount: 1, value: 10 },
        { timestamp: '2026-03-01T10:07:00.000+0000', sampleCount: 1, value: 1 },
      ],
    });
  });

  it('words OK transitions, filled periods and insufficient data', () => {
    const ok = request('X X 0 0 0', 'missing', { datapointsToAlarm: 2 });
    const okOutcome = evaluateRange(ok);
    if (okOutcome.kind !== 'state') throw new Error('decided');
    expect(stateReason(okOutcome, ok, 'ALARM')).toBe(
      'Threshold Crossed: 3 out of the last 3 datapoints [1.0 (01/03/26 10:09:00), 1.0 (01/03/26 10:08:00), 1.0 (01/03/26 10:07:00)] were not greater than the threshold (5.0) (minimum 2 datapoints for ALARM -> OK transition).',
    );
    const empty = request('- - - - -', 'breaching');
    const filled = evaluateRange(empty);
    if (filled.kind !== 'state') throw new Error('decided');
    expect(stateReason(filled, empty, 'OK')).toBe(
      'Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching].',
    );
    const unknown = request('- - - - -', 'missing');
    const insufficient = evaluateRange(unknown);
    if (insufficient.kind !== 'state') throw new Error('decided');
    expect(stateReason(insufficient, unknown, 'OK')).toBe(
      'Insufficient Data: 3 datapoints were unknown.',
    );
  });

  it('prints numbers and dates as CloudWatch (Java) does', () => {
    expect([5, 0.25, -3, 0, 12345678, 0.0001, 99.50160229693434].map(javaDouble)).toEqual([
      '5.0',
      '0.25',
      '-3.0',
      '0.0',
      '1.2345678E7',
      '1.0E-4',
      '99.50160229693434',
    ]);
    const time = Date.parse('2021-04-30T06:51:49.364Z');
    expect(reasonDate(time)).toBe('30/04/21 06:51:49');
    expect(javaTimestamp(time)).toBe('2021-04-30T06:51:49.364+0000');
    expect(longDate(time)).toBe('Friday 30 April, 2021 06:51:49 UTC');
  });
});
