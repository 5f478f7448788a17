import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../clock.js';
import { StackScheduler } from './stack-scheduler.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');

describe('StackScheduler', () => {
  it('runs due work to completion on settle', async () => {
    const clock = new ManualClock(T0);
    const scheduler = new StackScheduler(clock);
    const steps: string[] = [];
    scheduler.run('op', async () => {
      steps.push('start');
      await scheduler.at(T0);
      steps.push('due now');
    });
    expect(steps).toEqual([]);
    expect(scheduler.live.has('op')).toBe(true);
    await scheduler.settle();
    expect(steps).toEqual(['start', 'due now']);
    expect(scheduler.live.has('op')).toBe(false);
  });

  it('parks future work until the clock reaches it, waking in time order', async () => {
    const clock = new ManualClock(T0);
    const scheduler = new StackScheduler(clock);
    const steps: string[] = [];
    scheduler.run('late', async () => {
      await scheduler.at(T0 + 2000);
      steps.push('late');
    });
    scheduler.run('early', async () => {
      await scheduler.at(T0 + 1000);
      steps.push('early');
    });
    await scheduler.settle();
    expect(steps).toEqual([]);
    clock.advance(1000);
    await scheduler.settle();
    expect(steps).toEqual(['early']);
    expect(scheduler.live.has('late')).toBe(true);
    clock.advance(5000);
    await scheduler.settle();
    expect(steps).toEqual(['early', 'late']);
    expect(scheduler.live.size).toBe(0);
  });

  it('wakes parked work on its own once the clock reaches it (the system clock case)', async () => {
    // A clock that has moved on by the time the scheduler arms its timer.
    let reads = 0;
    const scheduler = new StackScheduler({ now: () => new Date(reads++ === 0 ? T0 : T0 + 1000) });
    const woken = new Promise<string>((resolve) => {
      scheduler.run('timed', async () => {
        await scheduler.at(T0 + 1000);
        resolve('woken');
      });
    });
    expect(await woken).toBe('woken');
  });

  it('keeps running after work that throws', async () => {
    const scheduler = new StackScheduler(new ManualClock(T0));
    scheduler.run('bad', () => Promise.reject(new Error('boom')));
    await scheduler.settle();
    expect(scheduler.live.size).toBe(0);
  });
});
