/** Times are stored as ISO 8601 UTC text with milliseconds so that text order is time order. */
import { RampartError } from '@rampart/core';

/**
 * Parses `value` as a time and returns it in `Date.prototype.toISOString()` form. Due times and
 * leases are compared as text in SQL, which is only correct when every value has this one form.
 */
export function normalizeIsoTime(value: string, field: string): string {
  const time = new Date(value);
  const ms = time.getTime();
  if (typeof value !== 'string' || Number.isNaN(ms)) {
    throw new RampartError(
      'STORE_VALUE_UNSUPPORTED',
      `${field} is not an ISO time: ${JSON.stringify(value)}`,
      {
        source: 'system',
      },
    );
  }
  // toISOString switches to a six-digit year outside 0000–9999, which breaks text ordering.
  if (time.getUTCFullYear() < 0 || time.getUTCFullYear() > 9999) {
    throw new RampartError(
      'STORE_VALUE_UNSUPPORTED',
      `${field} is outside the years 0000–9999: ${value}`,
      {
        source: 'system',
      },
    );
  }
  return time.toISOString();
}

/** `time` plus `ms` milliseconds, in the stored form. */
export function addMilliseconds(time: string, ms: number): string {
  return new Date(new Date(time).getTime() + ms).toISOString();
}
