// The execution role a function is given: the caller must be allowed to pass it to Lambda, and it
// must exist in the function's account and trust lambda.amazonaws.com, as Lambda checks.
import type { ActionContext } from '../../framework/service.js';
import { invalidParameter } from './lambda-errors.js';

const SERVICE = 'lambda.amazonaws.com';

function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether a trust policy lets Lambda assume the role (conditions are not evaluated). */
export function trustsLambda(document: string): boolean {
  let policy: unknown;
  try {
    policy = JSON.parse(document);
  } catch {
    return false;
  }
  if (policy === null || typeof policy !== 'object') return false;
  return listOf((policy as { Statement?: unknown }).Statement).some((raw) => {
    if (raw === null || typeof raw !== 'object') return false;
    const statement = raw as { Effect?: unknown; Action?: unknown; Principal?: unknown };
    if (statement.Effect !== 'Allow') return false;
    const assumes = listOf(statement.Action).some(
      (action) => action === '*' || action === 'sts:*' || action === 'sts:AssumeRole',
    );
    if (!assumes) return false;
    const principal = statement.Principal;
    if (principal === '*') return true;
    if (principal === null || typeof principal !== 'object') return false;
    return listOf((principal as { Service?: unknown }).Service).includes(SERVICE);
  });
}

/**
 * Checks `iam:PassRole` (with `iam:PassedToService`), then that the role exists in the function's
 * account and trusts Lambda; otherwise `InvalidParameterValueException` as Lambda answers.
 */
export async function checkExecutionRole(
  ctx: ActionContext,
  roleArn: string,
  functionAccount: string,
): Promise<void> {
  await ctx.authorize('iam:PassRole', roleArn, { 'iam:PassedToService': SERVICE });
  const match = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  const accountId = match?.[1];
  const roleName = match?.[2];
  const iam = accountId !== undefined ? ctx.world.accounts[accountId]?.iam : undefined;
  const role =
    iam && roleName !== undefined && Object.hasOwn(iam.roles, roleName)
      ? iam.roles[roleName]
      : undefined;
  if (
    !role ||
    role.arn !== roleArn ||
    accountId !== functionAccount ||
    !trustsLambda(role.assumeRolePolicyDocument)
  ) {
    throw invalidParameter('The role defined for the function cannot be assumed by Lambda.');
  }
}
