// IAM users and their access keys (enough for the sandbox's own admin users and tests).
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { newAccessKey, uniqueId } from '../../state/ids.js';
import type { IamUser } from '../../state/iam-state.js';
import type { UserCredential } from '../../state/sandbox-state.js';
import { getUser, iamOf, userResource } from './iam-access.js';
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from './iam-errors.js';
import { iamPage, mergeTags } from './iam-lists.js';
import { checkName, checkPath, iamArn } from './iam-names.js';
import { userXml } from './iam-render.js';

const onUser = (handler: (ctx: ActionContext) => unknown): ActionDefinition => ({
  resources: (ctx) => [userResource(ctx)],
  handler,
});

/** The user named by `UserName`, or the calling user when it is absent (as IAM does). */
function targetUser(ctx: ActionContext): IamUser {
  const name = ctx.input.str('UserName');
  if (name !== undefined) return getUser(ctx, name);
  if (ctx.caller.kind !== 'user') {
    throw noSuchEntity('Must specify userName when calling with non-User credentials');
  }
  return getUser(ctx, ctx.caller.userName);
}

function userKeys(ctx: ActionContext, user: IamUser): UserCredential[] {
  return Object.values(ctx.world.credentials).filter(
    (credential): credential is UserCredential =>
      credential.kind === 'user' &&
      credential.accountId === ctx.accountId &&
      credential.userName === user.name,
  );
}

/** User actions, by name. */
export const userActions: Record<string, ActionDefinition> = {
  CreateUser: onUser((ctx) => {
    const name = checkName('userName', ctx.input.reqStr('UserName'), 64);
    const path = checkPath(ctx.input.str('Path'));
    const iam = iamOf(ctx);
    if (Object.keys(iam.users).some((existing) => existing.toLowerCase() === name.toLowerCase())) {
      throw entityAlreadyExists(`User with name ${name} already exists.`);
    }
    const boundary = ctx.input.str('PermissionsBoundary');
    const user: IamUser = {
      name,
      path,
      arn: iamArn(ctx.accountId, 'user', path, name),
      id: uniqueId('AIDA'),
      createDate: ctx.clock.now().toISOString(),
      inlinePolicies: {},
      attachedPolicies: [],
      tags: mergeTags([], ctx.input.tags()),
      ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}),
    };
    iam.users[name] = user;
    return { User: userXml(user, true) };
  }),
  GetUser: onUser((ctx) => ({ User: userXml(targetUser(ctx), true) })),
  ListUsers: {
    handler: (ctx) => {
      const prefix = ctx.input.str('PathPrefix') ?? '/';
      const users = Object.values(iamOf(ctx).users)
        .filter((user) => user.path.startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name));
      const { page, ...rest } = iamPage(ctx, users);
      return { Users: page.map((user) => userXml(user, false)), ...rest };
    },
  },
  DeleteUser: onUser((ctx) => {
    const user = getUser(ctx, ctx.input.reqStr('UserName'));
    if (user.attachedPolicies.length > 0 || Object.keys(user.inlinePolicies).length > 0) {
      throw deleteConflict('Cannot delete entity, must delete policies first.');
    }
    if (userKeys(ctx, user).length > 0)
      throw deleteConflict('Cannot delete entity, must delete access keys first.');
    delete iamOf(ctx).users[user.name];
    return undefined;
  }),
  PutUserPermissionsBoundary: onUser((ctx) => {
    const user = getUser(ctx, ctx.input.reqStr('UserName'));
    user.permissionsBoundary = ctx.input.reqStr('PermissionsBoundary');
    return undefined;
  }),
  DeleteUserPermissionsBoundary: onUser((ctx) => {
    delete getUser(ctx, ctx.input.reqStr('UserName')).permissionsBoundary;
    return undefined;
  }),
  CreateAccessKey: onUser((ctx) => {
    const user = targetUser(ctx);
    if (userKeys(ctx, user).length >= 2) {
      throw limitExceeded('Cannot exceed quota for AccessKeysPerUser: 2');
    }
    const keys = newAccessKey('AKIA');
    const createDate = ctx.clock.now().toISOString();
    ctx.world.credentials[keys.accessKeyId] = {
      kind: 'user',
      ...keys,
      accountId: ctx.accountId,
      userName: user.name,
      status: 'Active',
      createDate,
    };
    return {
      AccessKey: {
        UserName: user.name,
        AccessKeyId: keys.accessKeyId,
        Status: 'Active',
        SecretAccessKey: keys.secretAccessKey,
        CreateDate: new Date(createDate),
      },
    };
  }),
  ListAccessKeys: onUser((ctx) => {
    const user = targetUser(ctx);
    const { page, ...rest } = iamPage(ctx, userKeys(ctx, user));
    return {
      AccessKeyMetadata: page.map((key) => ({
        UserName: user.name,
        AccessKeyId: key.accessKeyId,
        Status: key.status,
        CreateDate: new Date(key.createDate),
      })),
      ...rest,
    };
  }),
  UpdateAccessKey: onUser((ctx) => {
    const user = targetUser(ctx);
    const id = ctx.input.reqStr('AccessKeyId');
    const credential = ctx.world.credentials[id];
    if (
      credential?.kind !== 'user' ||
      credential.userName !== user.name ||
      credential.accountId !== ctx.accountId
    ) {
      throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
    }
    credential.status = ctx.input.reqStr('Status') === 'Inactive' ? 'Inactive' : 'Active';
    return undefined;
  }),
  DeleteAccessKey: onUser((ctx) => {
    const user = targetUser(ctx);
    const id = ctx.input.reqStr('AccessKeyId');
    const credential = ctx.world.credentials[id];
    if (
      credential?.kind !== 'user' ||
      credential.userName !== user.name ||
      credential.accountId !== ctx.accountId
    ) {
      throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
    }
    delete ctx.world.credentials[id];
    return undefined;
  }),
};
