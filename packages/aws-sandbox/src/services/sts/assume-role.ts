// sts:AssumeRole — the trust policy is the role's resource policy; cross-account needs both sides.
import { CommonError } from '../../framework/aws-error.js';
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { denialMessage } from '../../auth/authorizer.js';
import { mergeTags } from '../iam/iam-lists.js';
import { issueSession } from './issue-session.js';
import { findRole, parseRoleArn } from './role-by-arn.js';
import { checkSessionName, sessionDuration, sessionPolicy } from './session-options.js';

function requestTags(ctx: ActionContext): { Key: string; Value: string }[] {
  return mergeTags([], ctx.input.tags());
}

/** `AssumeRole`. */
export const assumeRole: ActionDefinition = {
  validate: (ctx) => {
    checkSessionName(ctx.input.reqStr('RoleSessionName'));
    parseRoleArn(ctx.input.reqStr('RoleArn'));
  },
  resources: (ctx) => {
    const arn = ctx.input.reqStr('RoleArn');
    const { accountId } = parseRoleArn(arn);
    const role = findRole(ctx.world, arn);
    if (!role) {
      // AWS does not reveal whether the role exists: a missing role is a plain denial.
      throw new CommonError(
        'AccessDenied',
        denialMessage(ctx.caller, 'sts:AssumeRole', arn, '').trimEnd(),
      );
    }
    return [
      { arn, accountId, resourcePolicy: JSON.parse(role.assumeRolePolicyDocument) as unknown },
    ];
  },
  context: (ctx) => {
    const context: Record<string, string | string[]> = {};
    const sessionName = ctx.input.str('RoleSessionName');
    if (sessionName !== undefined) context['sts:RoleSessionName'] = sessionName;
    const externalId = ctx.input.str('ExternalId');
    if (externalId !== undefined) context['sts:ExternalId'] = externalId;
    const sourceIdentity = ctx.input.str('SourceIdentity');
    if (sourceIdentity !== undefined) context['sts:SourceIdentity'] = sourceIdentity;
    const tags = requestTags(ctx);
    for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
    if (tags.length > 0) context['aws:TagKeys'] = tags.map((tag) => tag.Key);
    return context;
  },
  handler: (ctx) => {
    const arn = ctx.input.reqStr('RoleArn');
    const sessionName = checkSessionName(ctx.input.reqStr('RoleSessionName'));
    const role = findRole(ctx.world, arn);
    if (!role) throw new CommonError('AccessDenied', `Role ${arn} does not exist`);
    const { accountId } = parseRoleArn(arn);
    const chained = ctx.caller.kind === 'assumed-role';
    const durationSeconds = sessionDuration(ctx.input.int('DurationSeconds'), role, chained);
    return issueSession(ctx, {
      accountId,
      role,
      sessionName,
      durationSeconds,
      sessionPolicy: sessionPolicy(ctx, accountId),
      chained,
      tags: requestTags(ctx),
    });
  },
};
