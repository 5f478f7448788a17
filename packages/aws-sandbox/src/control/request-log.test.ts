import { describe, expect, it } from 'vitest';
import { RequestLog, type RequestLogEntry } from './request-log.js';

function entry(n: number, service = 'sts'): RequestLogEntry {
  return {
    time: '2026-03-01T10:00:00.000Z',
    requestId: `r${n}`,
    service,
    action: n % 2 === 0 ? 'Even' : 'Odd',
    callerArn: '',
    accountId: '',
    region: 'us-east-1',
    status: 200,
    durationMs: 1,
  };
}

const ids = (entries: RequestLogEntry[]): string[] => entries.map((e) => e.requestId);

describe('the request log', () => {
  it('keeps entries oldest first until it is full', () => {
    const log = new RequestLog(3);
    expect(log.list()).toEqual([]);
    log.add(entry(1));
    log.add(entry(2));
    expect(ids(log.list())).toEqual(['r1', 'r2']);
  });

  it('drops the oldest entries once full, across many wraps', () => {
    const log = new RequestLog(3);
    for (let n = 1; n <= 11; n += 1) log.add(entry(n));
    expect(ids(log.list())).toEqual(['r9', 'r10', 'r11']);
  });

  it('filters by service and action', () => {
    const log = new RequestLog(10);
    for (let n = 1; n <= 4; n += 1) log.add(entry(n, n <= 2 ? 'sts' : 'iam'));
    expect(ids(log.list({ service: 'iam' }))).toEqual(['r3', 'r4']);
    expect(ids(log.list({ action: 'Even' }))).toEqual(['r2', 'r4']);
    expect(ids(log.list({ service: 'sts', action: 'Odd' }))).toEqual(['r1']);
  });

  it('starts over after clear', () => {
    const log = new RequestLog(2);
    for (let n = 1; n <= 3; n += 1) log.add(entry(n));
    log.clear();
    expect(log.list()).toEqual([]);
    log.add(entry(4));
    expect(ids(log.list())).toEqual(['r4']);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RequestLog(0)).toThrow(/positive integer/);
    expect(() => new RequestLog(1.5)).toThrow(/positive integer/);
  });
});
