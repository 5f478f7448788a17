import { RampartError, isRampartError } from '@rampart/core';
import { describe, expect, it } from 'vitest';
import { withRetry } from './retry.js';

const retryable = () =>
  new RampartError('REGISTRY_UNAVAILABLE', 'down', { source: 'system', retryable: true });

describe('withRetry', () => {
  it('retries retryable failures with doubling, capped, jittered waits', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      (attempt) => {
        calls++;
        return attempt < 5 ? Promise.reject(retryable()) : Promise.resolve('done');
      },
      {
        baseDelayMs: 100,
        maxDelayMs: 500,
        random: () => 0.999,
        sleep: (ms) => (delays.push(ms), Promise.resolve()),
      },
    );
    expect(result).toBe('done');
    expect(calls).toBe(5);
    expect(delays).toEqual([100, 200, 400, 500]);
  });

  it('stops after maxAttempts and throws the last error', async () => {
    let calls = 0;
    const error = await withRetry(
      () => {
        calls++;
        return Promise.reject(retryable());
      },
      { maxAttempts: 3, sleep: () => Promise.resolve() },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(isRampartError(error) && error.code).toBe('REGISTRY_UNAVAILABLE');
  });

  it('does not retry errors that a retry cannot fix', async () => {
    let calls = 0;
    const denied = new RampartError('REGISTRY_DENIED', 'no', { source: 'user' });
    await expect(
      withRetry(() => {
        calls++;
        return Promise.reject(denied);
      }),
    ).rejects.toBe(denied);
    await expect(withRetry(() => Promise.reject(new Error('bug')))).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });

  it('waits at least what Retry-After asks, and stops when cancelled', async () => {
    const delays: number[] = [];
    const controller = new AbortController();
    const error = await withRetry(
      () => Promise.reject(Object.assign(retryable(), { retryAfterMs: 3000 })),
      {
        random: () => 0,
        signal: controller.signal,
        sleep: (ms) => {
          delays.push(ms);
          controller.abort();
          return Promise.resolve();
        },
      },
    ).catch((e: unknown) => e);
    expect(delays).toEqual([3000]);
    expect(isRampartError(error) && error.code).toBe('MIRROR_CANCELLED');
  });
});
