// sts:GetCallerIdentity — always allowed, as in AWS.
import type { ActionDefinition } from '../../framework/service.js';

/** `GetCallerIdentity`. */
export const getCallerIdentity: ActionDefinition = {
  auth: 'signature-only',
  handler: (ctx) => ({
    UserId: ctx.caller.userId,
    Account: ctx.caller.accountId,
    Arn: ctx.caller.arn,
  }),
};
