/** Retrying a registry operation with exponential backoff and full jitter, boundedly. */
import { isRampartError } from '@rampart/core';
import { cancelled } from './registry-error.js';

/** How often and how patiently failed operations are retried. */
export interface RetryOptions {
  /** Attempts in all, the first included. @default 5 */
  maxAttempts?: number;
  /** The backoff ceiling of the first retry, in ms; it doubles each retry. @default 250 */
  baseDelayMs?: number;
  /** The largest wait between attempts, in ms. @default 8000 */
  maxDelayMs?: number;
  /** Waits `ms`; replaced in tests so that no real time passes. @default a timer */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter; replaced in tests. @default Math.random */
  random?: () => number;
}

/** Told before each wait: which attempt failed and how long the next one waits. */
export interface RetryNotice {
  attempt: number;
  delayMs: number;
  error: Error;
}

function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(cancelled());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not retryable (only
 * RampartErrors with `retryable: true` are: network failures, 5xx, 429), or the attempts run out;
 * then throws the last error. The wait before retry n is uniform in [0, min(max, base·2ⁿ⁻¹)]
 * ("full jitter"), so many copies failing together do not retry in lockstep; a registry's
 * `Retry-After` (carried as `retryAfterMs` on the error) raises it.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions & { signal?: AbortSignal; onRetry?: (notice: RetryNotice) => void } = {},
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 8_000;
  const sleep = options.sleep ?? timerSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted === true) throw cancelled();
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isRampartError(error) || !error.retryable || attempt >= maxAttempts) throw error;
      const ceiling = Math.min(max, base * 2 ** (attempt - 1));
      const retryAfter = (error as { retryAfterMs?: unknown }).retryAfterMs;
      const floor = typeof retryAfter === 'number' ? Math.min(max, retryAfter) : 0;
      const delayMs = Math.max(floor, Math.round(random() * ceiling));
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}
