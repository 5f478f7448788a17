import { describe, expect, it } from 'vitest';
import { mapBounded } from './bounded-pool.js';

describe('mapBounded', () => {
  it('keeps at most `limit` tasks in flight and returns results in order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      for (let i = 0; i < n; i++) await Promise.resolve();
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('starts nothing after a failure and rejects once running tasks settled', async () => {
    const started: number[] = [];
    let settled = 0;
    const error = await mapBounded([1, 2, 3, 4], 2, async (n) => {
      started.push(n);
      await Promise.resolve();
      settled++;
      if (n === 1) throw new Error('one');
      return n;
    }).catch((e: unknown) => e);
    expect(String(error)).toContain('one');
    expect(started).toEqual([1, 2]);
    expect(settled).toBe(2);
  });
});
