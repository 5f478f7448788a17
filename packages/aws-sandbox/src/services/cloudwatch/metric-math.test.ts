import { describe, expect, it } from 'vitest';
import {
  evaluateExpression,
  MetricMathError,
  parseExpression,
  referencedIds,
  type Series,
} from './metric-math.js';

const series = (points: Record<number, number>): Series =>
  new Map(Object.entries(points).map(([time, value]) => [Number(time), value]));

describe('metric math', () => {
  const data: Record<string, Series> = {
    errors: series({ 0: 2, 60: 0, 120: 5 }),
    requests: series({ 0: 10, 60: 0, 180: 50 }),
  };
  const run = (text: string): Series | number =>
    evaluateExpression(parseExpression(text), (id) => data[id]);

  it('follows arithmetic precedence and parentheses', () => {
    expect(run('1 + 2 * 3')).toBe(7);
    expect(run('(1 + 2) * 3')).toBe(9);
    expect(run('2 ^ 3 ^ 2')).toBe(512);
    expect(run('-2 ^ 2')).toBe(-4);
    expect(run('10 - 4 - 3')).toBe(3);
    expect(run('1.5e2 / 3')).toBe(50);
  });

  it('aligns series by timestamp and drops points that cannot be computed', () => {
    // 60: division by zero; 120 and 180: a point missing from one operand.
    expect([...(run('100 * errors / requests') as Series)]).toEqual([[0, 20]]);
    expect([...(run('errors + 1') as Series)]).toEqual([
      [0, 3],
      [60, 1],
      [120, 6],
    ]);
    expect([...(run('-errors') as Series)]).toEqual([
      [0, -2],
      [60, -0],
      [120, -5],
    ]);
  });

  it('lists the ids an expression reads', () => {
    expect(referencedIds(parseExpression('(errors + errors) / requests * 100'))).toEqual([
      'errors',
      'requests',
    ]);
  });

  it('refuses what it cannot parse or evaluate', () => {
    for (const text of ['', 'errors +', '(errors', 'errors errors', 'errors $ 2', 'SUM(errors)']) {
      expect(() => parseExpression(text), text).toThrow(MetricMathError);
    }
    expect(() => parseExpression('FILL(errors, 0)')).toThrow(/FILL is not supported/);
    expect(() => run('unknown * 2')).toThrow(/Unknown metric id unknown/);
  });
});
