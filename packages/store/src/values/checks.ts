/** Guards for values the store's callers pass: wrong ones are bugs, reported before any SQL runs. */
import { RampartError } from '@rampart/core';

function unsupported(message: string): RampartError {
  return new RampartError('STORE_VALUE_UNSUPPORTED', message, { source: 'system' });
}

/** `value` if it is a non-empty string. */
export function requireText(value: string, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw unsupported(`${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `value` if it is a safe integer of at least `min`. */
export function requireInteger(value: number, field: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw unsupported(`${field} must be an integer of at least ${min}, got ${String(value)}`);
  }
  return value;
}

/** `value` if it is a finite number above zero. */
export function requirePositive(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw unsupported(`${field} must be a positive number, got ${String(value)}`);
  }
  return value;
}

/** `value` if it is one of `allowed`. */
export function requireOneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  field: string,
): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw unsupported(
      `${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/** `items` in slices of at most `size`, to stay under the databases' bound-parameter limits. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
