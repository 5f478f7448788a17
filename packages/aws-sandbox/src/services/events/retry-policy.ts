// When EventBridge retries a failed delivery, and how long it waits: exponential backoff on the
// sandbox clock, bounded by the target's RetryPolicy (AWS defaults: 185 retries, 24 hours).

/** AWS's default retry count. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;
/** AWS's default maximum event age, in seconds. */
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;
/** The wait after the first failed attempt; it doubles after each failure. */
export const FIRST_RETRY_DELAY_MS = 1000;
/** The longest wait between attempts. */
export const MAX_RETRY_DELAY_MS = 5 * 60 * 1000;

/**
 * Whether a response status is worth retrying. As AWS documents for API destinations: 401, 407,
 * 409, 429 and 5xx are retried; other statuses (2xx excepted) are final.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 401 || status === 407 || status === 409 || status === 429 || status >= 500;
}

/** The wait before the attempt after failed attempt number `attempt` (1-based). */
export function retryDelayMs(attempt: number): number {
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS);
}
