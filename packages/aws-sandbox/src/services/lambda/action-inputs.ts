// Inputs several Lambda actions share: the IAM target of a function name, list paging.
import type { ResourceTarget } from '../../auth/authorizer.js';
import type { ActionContext } from '../../framework/service.js';
import { readFunctionName, referenceArn } from './function-names.js';
import { invalidParameter, validation } from './lambda-errors.js';

/** The IAM target of a call naming a function (qualified when the call names a qualifier). */
export function functionTarget(ctx: ActionContext, qualifiers = false): ResourceTarget {
  const ref = readFunctionName(ctx, { qualifiers });
  return { arn: referenceArn(ref), accountId: ref.accountId };
}

/** Reads `MaxItems` (1…10000, default 50). */
export function readMaxItems(ctx: ActionContext): number {
  const max = ctx.input.int('MaxItems') ?? 50;
  if (max < 1 || max > 10000) {
    throw validation('maxItems', max, 'Member must have value between 1 and 10000');
  }
  return max;
}

/** A `Marker` the sandbox did not issue. */
export const invalidMarker = () => invalidParameter('Invalid Marker value.');
