// Who CloudFormation acts as: the caller's own identity, or a service role (`RoleARN`) that trusts
// cloudformation.amazonaws.com and that the caller may pass (iam:PassRole).
import type { Caller } from '../../../auth/caller.js';
import type { ActionContext } from '../../../framework/service.js';
import { validationError } from '../cfn-errors.js';

const SERVICE = 'cloudformation.amazonaws.com';
const SESSION_NAME = 'AWSCloudFormation';

function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether a trust policy lets CloudFormation assume the role (conditions are not evaluated). */
function trustsCloudFormation(document: string): boolean {
  let policy: unknown;
  try {
    policy = JSON.parse(document);
  } catch {
    return false;
  }
  const statements = listOf((policy as { Statement?: unknown }).Statement);
  return statements.some((raw) => {
    const statement = raw as { Effect?: unknown; Action?: unknown; Principal?: unknown };
    if (statement.Effect !== 'Allow') return false;
    const actions = listOf(statement.Action);
    if (
      !actions.some((action) => action === '*' || action === 'sts:*' || action === 'sts:AssumeRole')
    ) {
      return false;
    }
    const principal = statement.Principal;
    if (principal === '*') return true;
    if (principal === null || typeof principal !== 'object') return false;
    const { Service, AWS } = principal as { Service?: unknown; AWS?: unknown };
    return listOf(Service).includes(SERVICE) || listOf(AWS).includes('*');
  });
}

/**
 * The identity stack work runs as. With a role: the role must exist in the caller's account and
 * trust CloudFormation; `checkPassRole` also requires `iam:PassRole` (done when a call names the
 * role, not when a later operation reuses the stack's role).
 */
export async function actingIdentity(
  ctx: ActionContext,
  roleArn: string | undefined,
  checkPassRole: boolean,
): Promise<Caller> {
  if (roleArn === undefined) return ctx.caller;
  const invalid = validationError(`Role ${roleArn} is invalid or cannot be assumed`);
  const match = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/.exec(roleArn);
  const accountId = match?.[1];
  const roleName = match?.[2];
  if (accountId === undefined || roleName === undefined) {
    throw validationError(
      `1 validation error detected: Value '${roleArn}' at 'roleARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:.+:iam::[0-9]{12}:role/.+`,
    );
  }
  if (checkPassRole) {
    await ctx.authorize('iam:PassRole', roleArn, { 'iam:PassedToService': SERVICE });
  }
  const role = ctx.world.accounts[accountId]?.iam.roles[roleName];
  if (!role || role.arn !== roleArn || accountId !== ctx.accountId) throw invalid;
  if (!trustsCloudFormation(role.assumeRolePolicyDocument)) throw invalid;
  return {
    kind: 'assumed-role',
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${SESSION_NAME}`,
    userId: `${role.id}:${SESSION_NAME}`,
    principalArn: role.arn,
    roleName: role.name,
    sessionName: SESSION_NAME,
    // Never stored: the session exists only inside CloudFormation.
    credential: {
      kind: 'session',
      accessKeyId: '',
      secretAccessKey: '',
      sessionToken: '',
      accountId,
      roleName: role.name,
      roleId: role.id,
      sessionName: SESSION_NAME,
      expiration: '9999-12-31T23:59:59.000Z',
      chained: false,
      tags: [],
    },
  };
}
