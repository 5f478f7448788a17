// Function names as callers give them (name, `name:qualifier`, partial or full ARN) and the ARNs
// Lambda answers with.
import type { ActionContext } from '../../framework/service.js';
import { invalidParameter, validation } from './lambda-errors.js';

/** Where a `FunctionName` parameter points. */
export interface FunctionReference {
  accountId: string;
  region: string;
  name: string;
  /** A version number, `$LATEST` or an alias name, from the name or the `Qualifier` parameter. */
  qualifier?: string;
}

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const QUALIFIER = /^(\$LATEST|[a-zA-Z0-9_-]{1,128})$/;
const REFERENCE =
  /^(?:arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:|(\d{12}):function:)?([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/** `arn:aws:lambda:<region>:<account>:function:<name>`. */
export function functionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

/** The function ARN with `:<qualifier>` (a version or alias). */
export function qualifiedArn(
  region: string,
  accountId: string,
  name: string,
  qualifier: string,
): string {
  return `${functionArn(region, accountId, name)}:${qualifier}`;
}

/** Whether a name is a valid new function name. */
export function isFunctionName(name: string): boolean {
  return NAME.test(name);
}

/** Whether a qualifier names a published version (`1`, `2`, …). */
export function isVersionNumber(qualifier: string): boolean {
  return /^[0-9]+$/.test(qualifier);
}

/**
 * Reads `FunctionName` (and `Qualifier` when `qualifiers` is set). Throws `ValidationException`
 * for malformed names and for qualified names where the action takes none, and
 * `InvalidParameterValueException` when the name's qualifier and `Qualifier` disagree.
 */
export function readFunctionName(
  ctx: ActionContext,
  options: { qualifiers: boolean } = { qualifiers: false },
): FunctionReference {
  const given = ctx.input.reqStr('FunctionName');
  const match = given.length <= 170 ? REFERENCE.exec(given) : null;
  const pattern = 'Member must satisfy regular expression pattern: function name or ARN';
  if (!match) throw validation('functionName', given, pattern);
  const [, arnRegion, arnAccount, partialAccount, name = '', nameQualifier] = match;
  if (name.length > 64) throw validation('functionName', given, pattern);
  const parameter = options.qualifiers ? ctx.input.str('Qualifier') : undefined;
  if (parameter !== undefined && !QUALIFIER.test(parameter)) {
    throw validation('qualifier', parameter, 'Member must satisfy regular expression pattern');
  }
  if (nameQualifier !== undefined && !options.qualifiers) {
    throw validation('functionName', given, pattern);
  }
  if (nameQualifier !== undefined && parameter !== undefined && nameQualifier !== parameter) {
    throw invalidParameter(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const qualifier = nameQualifier ?? parameter;
  return {
    accountId: arnAccount ?? partialAccount ?? ctx.accountId,
    region: arnRegion ?? ctx.region,
    name,
    ...(qualifier !== undefined ? { qualifier } : {}),
  };
}

/** The ARN IAM authorizes for a reference: qualified when the call names a version or alias. */
export function referenceArn(ref: FunctionReference): string {
  return ref.qualifier === undefined
    ? functionArn(ref.region, ref.accountId, ref.name)
    : qualifiedArn(ref.region, ref.accountId, ref.name, ref.qualifier);
}
