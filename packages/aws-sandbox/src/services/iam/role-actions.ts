// IAM role actions: create, read, list, update, delete, tags, permissions boundary.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { uniqueId } from '../../state/ids.js';
import { getPolicy, getRole, iamOf, roleResource } from './iam-access.js';
import { deleteConflict, entityAlreadyExists, validationError } from './iam-errors.js';
import { iamPage, mergeTags } from './iam-lists.js';
import { checkName, checkPath, iamArn } from './iam-names.js';
import { roleXml } from './iam-render.js';
import { validatePolicyDocument } from './policy-document.js';

const onRole = (handler: (ctx: ActionContext) => unknown): ActionDefinition => ({
  resources: (ctx) => [roleResource(ctx)],
  handler,
});

function maxSession(value: number | undefined): number {
  const seconds = value ?? 3600;
  if (seconds < 3600 || seconds > 43200) {
    throw validationError(
      `1 validation error detected: Value '${seconds}' at 'maxSessionDuration' failed to satisfy constraint: ` +
        'Member must have value between 3600 and 43200',
    );
  }
  return seconds;
}

function boundaryArn(ctx: ActionContext, arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  getPolicy(ctx, arn);
  return arn;
}

/** The role actions, by name. */
export const roleActions: Record<string, ActionDefinition> = {
  CreateRole: onRole((ctx) => {
    const name = checkName('roleName', ctx.input.reqStr('RoleName'), 64);
    const path = checkPath(ctx.input.str('Path'));
    const document = validatePolicyDocument(ctx.input.reqStr('AssumeRolePolicyDocument'), 'trust');
    const iam = iamOf(ctx);
    if (Object.keys(iam.roles).some((existing) => existing.toLowerCase() === name.toLowerCase())) {
      throw entityAlreadyExists(`Role with name ${name} already exists.`);
    }
    const description = ctx.input.str('Description');
    const boundary = boundaryArn(ctx, ctx.input.str('PermissionsBoundary'));
    const role = {
      name,
      path,
      arn: iamArn(ctx.accountId, 'role', path, name),
      id: uniqueId('AROA'),
      createDate: ctx.clock.now().toISOString(),
      inlinePolicies: {},
      attachedPolicies: [],
      tags: mergeTags([], ctx.input.tags()),
      assumeRolePolicyDocument: document,
      maxSessionDuration: maxSession(ctx.input.int('MaxSessionDuration')),
      ...(description !== undefined ? { description } : {}),
      ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}),
    };
    iam.roles[name] = role;
    return { Role: roleXml(role, true) };
  }),
  GetRole: onRole((ctx) => ({ Role: roleXml(getRole(ctx, ctx.input.reqStr('RoleName')), true) })),
  ListRoles: {
    handler: (ctx) => {
      const prefix = ctx.input.str('PathPrefix') ?? '/';
      const roles = Object.values(iamOf(ctx).roles)
        .filter((role) => role.path.startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name));
      const { page, ...rest } = iamPage(ctx, roles);
      return { Roles: page.map((role) => roleXml(role, false)), ...rest };
    },
  },
  DeleteRole: onRole((ctx) => {
    const role = getRole(ctx, ctx.input.reqStr('RoleName'));
    if (role.attachedPolicies.length > 0) {
      throw deleteConflict('Cannot delete entity, must detach all policies first.');
    }
    if (Object.keys(role.inlinePolicies).length > 0) {
      throw deleteConflict('Cannot delete entity, must delete policies first.');
    }
    delete iamOf(ctx).roles[role.name];
    return undefined;
  }),
  UpdateRole: onRole((ctx) => {
    const role = getRole(ctx, ctx.input.reqStr('RoleName'));
    const description = ctx.input.str('Description');
    if (description !== undefined) role.description = description;
    if (ctx.input.has('MaxSessionDuration'))
      role.maxSessionDuration = maxSession(ctx.input.int('MaxSessionDuration'));
    return {};
  }),
  UpdateRoleDescription: onRole((ctx) => {
    const role = getRole(ctx, ctx.input.reqStr('RoleName'));
    role.description = ctx.input.reqStr('Description');
    return { Role: roleXml(role, true) };
  }),
  UpdateAssumeRolePolicy: onRole((ctx) => {
    const role = getRole(ctx, ctx.input.reqStr('RoleName'));
    role.assumeRolePolicyDocument = validatePolicyDocument(
      ctx.input.reqStr('PolicyDocument'),
      'trust',
    );
    return undefined;
  }),
  TagRole: onRole((ctx) => {
    const role = getRole(ctx, ctx.input.reqStr('RoleName'));
    role.tags = mergeTags(role.tags, ctx.input.tags());
    return undefined;
  }),
  UntagRole: onRole((ctx) => {
    const role = getRole(ctx, ctx.input.reqStr('RoleName'));
    const keys = new Set(ctx.input.strList('TagKeys'));
    role.tags = role.tags.filter((tag) => !keys.has(tag.Key));
    return undefined;
  }),
  ListRoleTags: onRole((ctx) => {
    const role = getRole(ctx, ctx.input.reqStr('RoleName'));
    const { page, ...rest } = iamPage(ctx, role.tags);
    return { Tags: page, ...rest };
  }),
  PutRolePermissionsBoundary: onRole((ctx) => {
    const role = getRole(ctx, ctx.input.reqStr('RoleName'));
    role.permissionsBoundary = boundaryArn(ctx, ctx.input.reqStr('PermissionsBoundary'));
    return undefined;
  }),
  DeleteRolePermissionsBoundary: onRole((ctx) => {
    const role = getRole(ctx, ctx.input.reqStr('RoleName'));
    delete role.permissionsBoundary;
    return undefined;
  }),
};
