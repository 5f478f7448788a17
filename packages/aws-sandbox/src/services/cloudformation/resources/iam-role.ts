// AWS::IAM::Role: the role, its inline policies, managed policy attachments, boundary and tags.
import type { InputValue } from '../../../framework/input.js';
import {
  optInteger,
  optString,
  outputString,
  policyText,
  reqPolicyText,
  sameValue,
  stringList,
  tagsOf,
} from './property-readers.js';
import type { ProviderContext, ResourceProperties, ResourceProvider } from './resource-provider.js';
import { PropertiesValidationError } from './properties-validation-error.js';
import { ignoringNotFound } from './service-errors.js';

interface InlinePolicy {
  name: string;
  document: string;
}

function inlinePolicies(props: ResourceProperties): InlinePolicy[] {
  const value = props['Policies'];
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new PropertiesValidationError('#/Policies: expected type: JSONArray');
  return value.map((item: unknown, index) => {
    const policy = (item ?? {}) as ResourceProperties;
    const name = optString(policy, 'PolicyName');
    const document = policyText(policy, 'PolicyDocument');
    if (name === undefined) {
      throw new PropertiesValidationError(
        `#/Policies/${index}: required key [PolicyName] not found`,
      );
    }
    if (document === undefined) {
      throw new PropertiesValidationError(
        `#/Policies/${index}: required key [PolicyDocument] not found`,
      );
    }
    return { name, document };
  });
}

/** Removes a role's policies and the role (CloudFormation's handler empties the role first). */
async function deleteRole(ctx: ProviderContext, roleName: string): Promise<void> {
  await ignoringNotFound(async () => {
    const inline = (await ctx.call('iam', 'ListRolePolicies', {
      RoleName: roleName,
      MaxItems: 1000,
    })) as {
      PolicyNames?: string[];
    };
    for (const name of inline.PolicyNames ?? []) {
      await ignoringNotFound(() =>
        ctx.call('iam', 'DeleteRolePolicy', { RoleName: roleName, PolicyName: name }),
      );
    }
    const attached = (await ctx.call('iam', 'ListAttachedRolePolicies', {
      RoleName: roleName,
      MaxItems: 1000,
    })) as { AttachedPolicies?: { PolicyArn: string }[] };
    for (const policy of attached.AttachedPolicies ?? []) {
      await ignoringNotFound(() =>
        ctx.call('iam', 'DetachRolePolicy', { RoleName: roleName, PolicyArn: policy.PolicyArn }),
      );
    }
    await ctx.call('iam', 'DeleteRole', { RoleName: roleName });
  });
}

async function putPolicies(
  ctx: ProviderContext,
  roleName: string,
  policies: InlinePolicy[],
  managed: string[],
): Promise<void> {
  for (const policy of policies) {
    await ctx.call('iam', 'PutRolePolicy', {
      RoleName: roleName,
      PolicyName: policy.name,
      PolicyDocument: policy.document,
    });
  }
  for (const arn of managed) {
    await ctx.call('iam', 'AttachRolePolicy', { RoleName: roleName, PolicyArn: arn });
  }
}

/** The provider. */
export const iamRoleProvider: ResourceProvider = {
  type: 'AWS::IAM::Role',
  replaceOn: ['RoleName', 'Path'],
  attributes: ['Arn', 'RoleId'],
  taggable: true,
  async create(ctx, props) {
    const roleName = optString(props, 'RoleName') ?? ctx.physicalName({ maxLength: 64 });
    const policies = inlinePolicies(props);
    const managed = stringList(props, 'ManagedPolicyArns');
    const input: Record<string, InputValue> = {
      RoleName: roleName,
      AssumeRolePolicyDocument: reqPolicyText(props, 'AssumeRolePolicyDocument'),
    };
    const optional = {
      Path: optString(props, 'Path'),
      Description: optString(props, 'Description'),
      MaxSessionDuration: optInteger(props, 'MaxSessionDuration'),
      PermissionsBoundary: optString(props, 'PermissionsBoundary'),
    };
    for (const [key, value] of Object.entries(optional))
      if (value !== undefined) input[key] = value;
    const tags = tagsOf(props);
    if (tags.length > 0) input['Tags'] = tags.map((tag) => ({ ...tag }));
    const output = await ctx.call('iam', 'CreateRole', input);
    try {
      await putPolicies(ctx, roleName, policies, managed);
    } catch (error: unknown) {
      // Leave nothing behind: the resource failed as a whole.
      await deleteRole(ctx, roleName).catch(() => undefined);
      throw error;
    }
    return {
      physicalId: roleName,
      attributes: {
        Arn: outputString(output, 'Role', 'Arn') ?? '',
        RoleId: outputString(output, 'Role', 'RoleId') ?? '',
      },
    };
  },
  async update(ctx, { physicalId: roleName, previous, props, attributes }) {
    const changed = (name: string): boolean => !sameValue(previous[name], props[name]);
    if (changed('AssumeRolePolicyDocument')) {
      await ctx.call('iam', 'UpdateAssumeRolePolicy', {
        RoleName: roleName,
        PolicyDocument: reqPolicyText(props, 'AssumeRolePolicyDocument'),
      });
    }
    if (changed('Description') || changed('MaxSessionDuration')) {
      await ctx.call('iam', 'UpdateRole', {
        RoleName: roleName,
        Description: optString(props, 'Description') ?? '',
        MaxSessionDuration: optInteger(props, 'MaxSessionDuration') ?? 3600,
      });
    }
    if (changed('PermissionsBoundary')) {
      const boundary = optString(props, 'PermissionsBoundary');
      await (boundary === undefined
        ? ignoringNotFound(() =>
            ctx.call('iam', 'DeleteRolePermissionsBoundary', { RoleName: roleName }),
          )
        : ctx.call('iam', 'PutRolePermissionsBoundary', {
            RoleName: roleName,
            PermissionsBoundary: boundary,
          }));
    }
    if (changed('Policies')) {
      const before = inlinePolicies(previous);
      const after = inlinePolicies(props);
      for (const old of before) {
        if (!after.some((policy) => policy.name === old.name)) {
          await ignoringNotFound(() =>
            ctx.call('iam', 'DeleteRolePolicy', { RoleName: roleName, PolicyName: old.name }),
          );
        }
      }
      const changedPolicies = after.filter(
        (policy) =>
          !before.some((old) => old.name === policy.name && old.document === policy.document),
      );
      await putPolicies(ctx, roleName, changedPolicies, []);
    }
    if (changed('ManagedPolicyArns')) {
      const before = stringList(previous, 'ManagedPolicyArns');
      const after = stringList(props, 'ManagedPolicyArns');
      for (const arn of before.filter((old) => !after.includes(old))) {
        await ignoringNotFound(() =>
          ctx.call('iam', 'DetachRolePolicy', { RoleName: roleName, PolicyArn: arn }),
        );
      }
      await putPolicies(
        ctx,
        roleName,
        [],
        after.filter((arn) => !before.includes(arn)),
      );
    }
    if (changed('Tags')) {
      const after = tagsOf(props);
      const removed = tagsOf(previous)
        .map((tag) => tag.Key)
        .filter((key) => !after.some((tag) => tag.Key === key));
      if (removed.length > 0)
        await ctx.call('iam', 'UntagRole', { RoleName: roleName, TagKeys: removed });
      if (after.length > 0) {
        await ctx.call('iam', 'TagRole', {
          RoleName: roleName,
          Tags: after.map((tag) => ({ ...tag })),
        });
      }
    }
    return { physicalId: roleName, attributes };
  },
  async delete(ctx, { physicalId }) {
    await deleteRole(ctx, physicalId);
  },
};
