// How an executor reports an error it caught: a stopped step says so, a RampartError keeps its
// code, and an AWS error keeps its name (`AccessDeniedException: …`) under the step code `aws`.
import { isRampartError } from '@rampart/core';
import type { StepOutcome } from '@rampart/engine';
import { PollTimeout } from './poll.js';

/** A failed step outcome. */
export type FailedOutcome = Extract<StepOutcome, { kind: 'failed' }>;

/** The failed outcome for `error`, caught while the step was `doing` something (`deployed`). */
export function stepFailure(error: unknown, signal: AbortSignal, doing: string): FailedOutcome {
  if (signal.aborted) {
    return { kind: 'failed', code: 'cancelled', message: `the step was stopped while it ${doing}` };
  }
  if (error instanceof PollTimeout) {
    return {
      kind: 'failed',
      code: 'timeout',
      message: `the step gave up after ${Math.round(error.waitedMs / 1000)} s of waiting while it ${doing}`,
    };
  }
  if (isRampartError(error)) {
    const hint = error.hint === undefined ? '' : ` (${error.hint})`;
    return { kind: 'failed', code: error.code, message: `${error.message}${hint}` };
  }
  return { kind: 'failed', code: 'aws', message: awsMessage(error) };
}

/** `Name: message` of an SDK error (the name is the AWS error code), or the message alone. */
export function awsMessage(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  return `${name === '' || name === 'Error' ? '' : `${name}: `}${message}`;
}

/** Whether `error` is an AWS error with one of these names (codes). */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}
