import { describe, expect, it } from 'vitest';
import { engineClockOf, systemClock } from './system-clock.js';

describe('systemClock', () => {
  it('a time already passed, or an aborted signal, resolves at once', async () => {
    await systemClock.waitUntil(new Date(0));
    const controller = new AbortController();
    const waiting = systemClock.waitUntil(new Date('2999-01-01T00:00:00Z'), controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
    const aborted = AbortSignal.abort();
    await expect(
      systemClock.waitUntil(new Date('2999-01-01T00:00:00Z'), aborted),
    ).resolves.toBeUndefined();
  });
});

describe('engineClockOf', () => {
  it('keeps a clock that can wait, and wraps one that can only tell the time', async () => {
    expect(engineClockOf(systemClock)).toBe(systemClock);
    const fixed = { now: () => new Date('2030-01-01T00:00:00Z') };
    const clock = engineClockOf(fixed);
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
    await clock.waitUntil(new Date('2029-12-31T00:00:00Z'));
    const controller = new AbortController();
    const far = clock.waitUntil(new Date('2031-01-01T00:00:00Z'), controller.signal);
    controller.abort();
    await expect(far).resolves.toBeUndefined();
  });
});
