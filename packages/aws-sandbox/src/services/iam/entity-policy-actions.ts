// Inline policies and managed-policy attachments, the same for roles and users.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import type { IamPrincipalEntity } from '../../state/iam-state.js';
import { getPolicy, getRole, getUser, roleResource, userResource } from './iam-access.js';
import { limitExceeded, noSuchEntity } from './iam-errors.js';
import { iamPage } from './iam-lists.js';
import { checkName, encodeDocument } from './iam-names.js';
import { validatePolicyDocument } from './policy-document.js';

interface EntityKind {
  /** `Role` or `User`, as in the action names. */
  noun: 'Role' | 'User';
  nameParam: 'RoleName' | 'UserName';
  get(ctx: ActionContext, name: string): IamPrincipalEntity;
  resource(ctx: ActionContext): string;
  /** AWS's quota of attached managed policies per entity. */
  maxAttached: number;
}

const ROLE: EntityKind = {
  noun: 'Role',
  nameParam: 'RoleName',
  get: getRole,
  resource: roleResource,
  maxAttached: 10,
};

const USER: EntityKind = {
  noun: 'User',
  nameParam: 'UserName',
  get: getUser,
  resource: userResource,
  maxAttached: 10,
};

function actionsFor(kind: EntityKind): Record<string, ActionDefinition> {
  const entity = (ctx: ActionContext): IamPrincipalEntity =>
    kind.get(ctx, ctx.input.reqStr(kind.nameParam));
  const on = (handler: (ctx: ActionContext) => unknown): ActionDefinition => ({
    resources: (ctx) => [kind.resource(ctx)],
    handler,
  });
  const lower = kind.noun.toLowerCase();
  return {
    [`Put${kind.noun}Policy`]: on((ctx) => {
      const target = entity(ctx);
      const name = checkName('policyName', ctx.input.reqStr('PolicyName'), 128);
      target.inlinePolicies[name] = validatePolicyDocument(
        ctx.input.reqStr('PolicyDocument'),
        'identity',
      );
      return undefined;
    }),
    [`Get${kind.noun}Policy`]: on((ctx) => {
      const target = entity(ctx);
      const name = ctx.input.reqStr('PolicyName');
      const document = target.inlinePolicies[name];
      if (document === undefined)
        throw noSuchEntity(`The ${lower} policy with name ${name} cannot be found.`);
      return {
        [kind.nameParam]: target.name,
        PolicyName: name,
        PolicyDocument: encodeDocument(document),
      };
    }),
    [`Delete${kind.noun}Policy`]: on((ctx) => {
      const target = entity(ctx);
      const name = ctx.input.reqStr('PolicyName');
      if (target.inlinePolicies[name] === undefined) {
        throw noSuchEntity(`The ${lower} policy with name ${name} cannot be found.`);
      }
      delete target.inlinePolicies[name];
      return undefined;
    }),
    [`List${kind.noun}Policies`]: on((ctx) => {
      const { page, ...rest } = iamPage(ctx, Object.keys(entity(ctx).inlinePolicies).sort());
      return { PolicyNames: page, ...rest };
    }),
    [`Attach${kind.noun}Policy`]: on((ctx) => {
      const target = entity(ctx);
      const arn = ctx.input.reqStr('PolicyArn');
      try {
        getPolicy(ctx, arn);
      } catch {
        throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
      }
      if (!target.attachedPolicies.includes(arn)) {
        if (target.attachedPolicies.length >= kind.maxAttached) {
          throw limitExceeded(
            `Cannot exceed quota for PoliciesPer${kind.noun}: ${kind.maxAttached}`,
          );
        }
        target.attachedPolicies.push(arn);
      }
      return undefined;
    }),
    [`Detach${kind.noun}Policy`]: on((ctx) => {
      const target = entity(ctx);
      const arn = ctx.input.reqStr('PolicyArn');
      if (!target.attachedPolicies.includes(arn))
        throw noSuchEntity(`Policy ${arn} was not found.`);
      target.attachedPolicies = target.attachedPolicies.filter((attached) => attached !== arn);
      return undefined;
    }),
    [`ListAttached${kind.noun}Policies`]: on((ctx) => {
      const attached = entity(ctx).attachedPolicies.map((arn) => ({
        PolicyName: arn.slice(arn.lastIndexOf('/') + 1),
        PolicyArn: arn,
      }));
      const { page, ...rest } = iamPage(ctx, attached);
      return { AttachedPolicies: page, ...rest };
    }),
  };
}

/** Inline and attached policy actions of roles and users. */
export const entityPolicyActions: Record<string, ActionDefinition> = {
  ...actionsFor(ROLE),
  ...actionsFor(USER),
};
