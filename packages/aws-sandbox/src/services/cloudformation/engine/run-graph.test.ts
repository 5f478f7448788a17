import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../clock.js';
import { runGraph, type GraphResult } from './run-graph.js';
import { StackScheduler } from './stack-scheduler.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');

describe('runGraph stabilization', () => {
  it('keeps a node in progress until its check says ready, then starts its dependents', async () => {
    const clock = new ManualClock(T0);
    const scheduler = new StackScheduler(clock);
    const trail: string[] = [];
    const checks: number[] = [];
    let outcome: GraphResult | undefined;
    scheduler.run('op', async () => {
      outcome = await runGraph(
        [
          { id: 'service', deps: [] },
          { id: 'alarm', deps: ['service'] },
        ],
        T0,
        {
          start: (id, at) => {
            trail.push(`start ${id} +${at.getTime() - T0}`);
            if (id !== 'service') return Promise.resolve({ ok: true, delayMs: 0 });
            return Promise.resolve({
              ok: true,
              delayMs: 1000,
              stabilize: (check: Date) => {
                checks.push(check.getTime() - T0);
                // Ready 30 s in: until then, check again 15 s later.
                const t = check.getTime();
                return Promise.resolve(t >= T0 + 30_000 ? true : Math.min(t + 15_000, T0 + 30_000));
              },
            });
          },
          finish: (id, at, ok) => trail.push(`finish ${id} +${at.getTime() - T0} ${String(ok)}`),
        },
        scheduler,
        () => true,
      );
    });
    await scheduler.settle();
    expect(trail).toEqual(['start service +0']);
    expect(checks).toEqual([]);
    clock.advance(20_000);
    await scheduler.settle();
    expect(checks).toEqual([1000, 16_000]);
    expect(trail).toEqual(['start service +0']);
    clock.advance(20_000);
    await scheduler.settle();
    expect(checks).toEqual([1000, 16_000, 30_000]);
    expect(trail).toEqual([
      'start service +0',
      'finish service +30000 true',
      'start alarm +30000',
      'finish alarm +30000 true',
    ]);
    expect(outcome).toEqual({ failed: [], endAt: T0 + 30_000 });
  });

  it('fails a node whose check says so, and checks no node that failed to start', async () => {
    const clock = new ManualClock(T0);
    const scheduler = new StackScheduler(clock);
    let checked = 0;
    let outcome: GraphResult | undefined;
    scheduler.run('op', async () => {
      outcome = await runGraph(
        [
          { id: 'a', deps: [] },
          { id: 'b', deps: [] },
        ],
        T0,
        {
          start: (id) =>
            Promise.resolve({
              ok: id === 'a',
              delayMs: 0,
              stabilize: () => {
                checked += 1;
                return Promise.resolve(false);
              },
            }),
          finish: () => undefined,
        },
        scheduler,
        () => true,
      );
    });
    await scheduler.settle();
    expect(checked).toBe(1);
    expect(outcome?.failed.sort()).toEqual(['a', 'b']);
  });
});
