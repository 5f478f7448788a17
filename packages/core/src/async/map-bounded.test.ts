import { describe, expect, it } from 'vitest';
import { mapBounded } from './map-bounded.js';

describe('mapBounded', () => {
  it('keeps at most `limit` items in flight and returns results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const running = mapBounded([1, 2, 3, 4, 5], 2, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise<void>((resolve) => gates.push(resolve));
      inFlight -= 1;
      return n * 10;
    });
    // Release the waiting items one by one until all have run.
    for (let released = 0; released < 5;) {
      await new Promise((r) => setImmediate(r));
      const gate = gates.shift();
      if (gate !== undefined) {
        gate();
        released += 1;
      }
    }
    expect(await running).toEqual([10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
  });

  it('handles no items and propagates a failure', async () => {
    expect(await mapBounded([], 4, () => Promise.resolve(1))).toEqual([]);
    await expect(mapBounded([1], 4, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
  });
});
