// Lookups shared by the IAM actions (entities by name, policies by ARN) with IAM's errors.
import type { ActionContext } from '../../framework/service.js';
import { AWS_MANAGED_POLICIES } from '../../state/aws-managed-policies.js';
import type { IamAccountState, IamRole, IamUser, ManagedPolicy } from '../../state/iam-state.js';
import { noSuchEntity } from './iam-errors.js';
import { iamArn } from './iam-names.js';

/** The IAM data of the account the call acts in. */
export function iamOf(ctx: ActionContext, accountId = ctx.accountId): IamAccountState {
  const account = ctx.world.accounts[accountId];
  if (!account) throw noSuchEntity(`Account ${accountId} does not exist.`);
  return account.iam;
}

/** A role, or `NoSuchEntity`. */
export function getRole(ctx: ActionContext, name: string): IamRole {
  const role = iamOf(ctx).roles[name];
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

/** A user, or `NoSuchEntity`. */
export function getUser(ctx: ActionContext, name: string): IamUser {
  const user = iamOf(ctx).users[name];
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

/** The ARN a role action is authorized on (the role's real ARN when it exists). */
export function roleResource(ctx: ActionContext): string {
  const name = ctx.input.str('RoleName') ?? '';
  return (
    iamOf(ctx).roles[name]?.arn ?? iamArn(ctx.accountId, 'role', ctx.input.str('Path') ?? '/', name)
  );
}

/** The ARN a user action is authorized on (the caller's own user when `UserName` is absent). */
export function userResource(ctx: ActionContext): string {
  const name = ctx.input.str('UserName') ?? (ctx.caller.kind === 'user' ? ctx.caller.userName : '');
  return (
    iamOf(ctx).users[name]?.arn ?? iamArn(ctx.accountId, 'user', ctx.input.str('Path') ?? '/', name)
  );
}

/** A managed policy as the API shows it: customer managed, or AWS managed (read-only). */
export type PolicyView =
  | { kind: 'customer'; policy: ManagedPolicy }
  | { kind: 'aws'; arn: string; name: string; id: string; document: string };

/** A policy by ARN, or `NoSuchEntity`. */
export function getPolicy(ctx: ActionContext, arn: string): PolicyView {
  const aws = AWS_MANAGED_POLICIES.get(arn);
  if (aws) return { kind: 'aws', ...aws };
  const policy = iamOf(ctx).policies[arn];
  if (!policy) throw noSuchEntity(`Policy ${arn} was not found.`);
  return { kind: 'customer', policy };
}

/** How many users and roles of the account have the policy attached (and as boundary). */
export function policyUsage(
  iam: IamAccountState,
  arn: string,
): { attachments: number; boundaries: number } {
  let attachments = 0;
  let boundaries = 0;
  for (const entity of [...Object.values(iam.roles), ...Object.values(iam.users)]) {
    if (entity.attachedPolicies.includes(arn)) attachments += 1;
    if (entity.permissionsBoundary === arn) boundaries += 1;
  }
  return { attachments, boundaries };
}
