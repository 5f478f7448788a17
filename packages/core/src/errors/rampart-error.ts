/** The one error type of Rampart: a stable code, who is at fault, whether a retry helps, and a fix. */
import type { ErrorCode } from './error-codes.js';
import type { SourceLocation } from './diagnostic.js';

export type ErrorSource = 'user' | 'system';

export interface RampartErrorOptions {
  /** `user` when the input is wrong, `system` when Rampart or a dependency failed. @default 'user' */
  source?: ErrorSource;
  /** Whether the same call may succeed later. @default false */
  retryable?: boolean;
  /** The command or edit that fixes it. */
  hint?: string;
  /** Where in a file the problem is, when it is about a file. */
  location?: SourceLocation;
  cause?: unknown;
}

export class RampartError extends Error {
  readonly code: ErrorCode;
  readonly source: ErrorSource;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(code: ErrorCode, message: string, options: RampartErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RampartError';
    this.code = code;
    this.source = options.source ?? 'user';
    this.retryable = options.retryable ?? false;
    this.hint = options.hint;
    this.location = options.location;
  }
}

/**
 * Whether `value` is a RampartError. Checks the shape, not the class: a bundled CLI and the
 * packages it loads may each hold their own copy of this module.
 */
export function isRampartError(value: unknown): value is RampartError {
  if (value instanceof RampartError) return true;
  if (!(value instanceof Error) || value.name !== 'RampartError') return false;
  const v = value as Partial<RampartError>;
  return typeof v.code === 'string' && (v.source === 'user' || v.source === 'system');
}
