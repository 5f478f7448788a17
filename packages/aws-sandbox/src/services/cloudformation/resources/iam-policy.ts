// AWS::IAM::Policy: one inline policy put on each listed role and user.
import { reqPolicyText, reqString, stringList } from './property-readers.js';
import type { ProviderContext, ResourceProperties, ResourceProvider } from './resource-provider.js';
import { PropertiesValidationError } from './properties-validation-error.js';
import { ignoringNotFound } from './service-errors.js';

interface Targets {
  name: string;
  roles: string[];
  users: string[];
}

function targets(props: ResourceProperties): Targets {
  if (stringList(props, 'Groups').length > 0) {
    throw new PropertiesValidationError('#/Groups: IAM groups are not emulated by the sandbox');
  }
  const roles = stringList(props, 'Roles');
  const users = stringList(props, 'Users');
  if (roles.length + users.length === 0) {
    throw new PropertiesValidationError(
      '#: At least one of [Roles, Users, Groups] must be specified',
    );
  }
  return { name: reqString(props, 'PolicyName'), roles, users };
}

async function put(ctx: ProviderContext, props: ResourceProperties): Promise<void> {
  const { name, roles, users } = targets(props);
  const document = reqPolicyText(props, 'PolicyDocument');
  for (const role of roles) {
    await ctx.call('iam', 'PutRolePolicy', {
      RoleName: role,
      PolicyName: name,
      PolicyDocument: document,
    });
  }
  for (const user of users) {
    await ctx.call('iam', 'PutUserPolicy', {
      UserName: user,
      PolicyName: name,
      PolicyDocument: document,
    });
  }
}

async function remove(ctx: ProviderContext, from: Targets, keep?: Targets): Promise<void> {
  const kept = (list: string[] | undefined, entity: string): boolean =>
    keep !== undefined && keep.name === from.name && (list ?? []).includes(entity);
  for (const role of from.roles) {
    if (kept(keep?.roles, role)) continue;
    await ignoringNotFound(() =>
      ctx.call('iam', 'DeleteRolePolicy', { RoleName: role, PolicyName: from.name }),
    );
  }
  for (const user of from.users) {
    if (kept(keep?.users, user)) continue;
    await ignoringNotFound(() =>
      ctx.call('iam', 'DeleteUserPolicy', { UserName: user, PolicyName: from.name }),
    );
  }
}

/** The provider. */
export const iamPolicyProvider: ResourceProvider = {
  type: 'AWS::IAM::Policy',
  replaceOn: [],
  attributes: ['Id'],
  async create(ctx, props) {
    const physicalId = ctx.physicalName({ maxLength: 128 });
    await put(ctx, props);
    return { physicalId, attributes: { Id: physicalId } };
  },
  async update(ctx, { physicalId, previous, props }) {
    const next = targets(props);
    await remove(ctx, targets(previous), next);
    await put(ctx, props);
    return { physicalId, attributes: { Id: physicalId } };
  },
  async delete(ctx, { props }) {
    await remove(ctx, targets(props));
  },
};
