import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScaledClock } from './scaled-clock.js';

describe('ScaledClock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-03-01T10:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts at the wall clock and runs speed times faster', () => {
    const clock = new ScaledClock(60, () => Date.now());
    expect(clock.now().toISOString()).toBe('2026-03-01T10:00:00.000Z');
    vi.advanceTimersByTime(1_500);
    expect(clock.now().toISOString()).toBe('2026-03-01T10:01:30.000Z');
    expect(clock.realMs(60_000)).toBe(1_000);
  });

  it('waits until a demo time in the matching real time, not earlier', async () => {
    const clock = new ScaledClock(60, () => Date.now());
    let done = false;
    const waiting = clock.waitUntil(new Date('2026-03-01T10:10:00Z')).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(done).toBe(true);
    expect(clock.now().toISOString()).toBe('2026-03-01T10:10:00.000Z');
  });

  it('sleeps in demo time and resolves at once for the past or an aborted signal', async () => {
    const clock = new ScaledClock(300, () => Date.now());
    let slept = false;
    const sleeping = clock.sleep(5 * 60_000).then(() => (slept = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(slept).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(slept).toBe(true);

    await clock.waitUntil(new Date('2026-03-01T09:00:00Z'));
    const controller = new AbortController();
    const aborted = clock.sleep(60 * 60_000, controller.signal);
    controller.abort();
    await aborted;
    const before = new AbortController();
    before.abort();
    await clock.sleep(60 * 60_000, before.signal);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses a speed below 1 or not a number', () => {
    expect(() => new ScaledClock(0)).toThrow(RangeError);
    expect(() => new ScaledClock(0.5)).toThrow('speed must be a finite number of at least 1');
    expect(() => new ScaledClock(Number.NaN)).toThrow(RangeError);
    expect(() => new ScaledClock(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
