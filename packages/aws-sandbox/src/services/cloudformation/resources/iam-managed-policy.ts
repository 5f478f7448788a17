// AWS::IAM::ManagedPolicy: a customer managed policy; document updates add a default version.
import type { InputValue } from '../../../framework/input.js';
import {
  optString,
  outputString,
  reqPolicyText,
  sameValue,
  stringList,
} from './property-readers.js';
import type { ProviderContext, ResourceProperties, ResourceProvider } from './resource-provider.js';
import { PropertiesValidationError } from './properties-validation-error.js';
import { ignoringNotFound } from './service-errors.js';

/** IAM keeps at most five versions of a policy. */
const MAX_VERSIONS = 5;

function checkGroups(props: ResourceProperties): void {
  if (stringList(props, 'Groups').length > 0) {
    throw new PropertiesValidationError('#/Groups: IAM groups are not emulated by the sandbox');
  }
}

async function attach(
  ctx: ProviderContext,
  arn: string,
  roles: string[],
  users: string[],
): Promise<void> {
  for (const role of roles)
    await ctx.call('iam', 'AttachRolePolicy', { RoleName: role, PolicyArn: arn });
  for (const user of users)
    await ctx.call('iam', 'AttachUserPolicy', { UserName: user, PolicyArn: arn });
}

async function detach(
  ctx: ProviderContext,
  arn: string,
  roles: string[],
  users: string[],
): Promise<void> {
  for (const role of roles) {
    await ignoringNotFound(() =>
      ctx.call('iam', 'DetachRolePolicy', { RoleName: role, PolicyArn: arn }),
    );
  }
  for (const user of users) {
    await ignoringNotFound(() =>
      ctx.call('iam', 'DetachUserPolicy', { UserName: user, PolicyArn: arn }),
    );
  }
}

interface VersionEntry {
  VersionId: string;
  IsDefaultVersion: boolean | string;
}

async function versions(ctx: ProviderContext, arn: string): Promise<VersionEntry[]> {
  const listed = (await ctx.call('iam', 'ListPolicyVersions', {
    PolicyArn: arn,
    MaxItems: 1000,
  })) as {
    Versions?: VersionEntry[];
  };
  return listed.Versions ?? [];
}

const isDefault = (version: VersionEntry): boolean =>
  version.IsDefaultVersion === true || version.IsDefaultVersion === 'true';

async function deletePolicy(
  ctx: ProviderContext,
  arn: string,
  props: ResourceProperties,
): Promise<void> {
  await detach(ctx, arn, stringList(props, 'Roles'), stringList(props, 'Users'));
  await ignoringNotFound(async () => {
    for (const version of await versions(ctx, arn)) {
      if (!isDefault(version)) {
        await ctx.call('iam', 'DeletePolicyVersion', {
          PolicyArn: arn,
          VersionId: version.VersionId,
        });
      }
    }
    await ctx.call('iam', 'DeletePolicy', { PolicyArn: arn });
  });
}

/** The provider. */
export const iamManagedPolicyProvider: ResourceProvider = {
  type: 'AWS::IAM::ManagedPolicy',
  replaceOn: ['ManagedPolicyName', 'Path', 'Description'],
  attributes: ['PolicyArn', 'PolicyId', 'DefaultVersionId'],
  async create(ctx, props) {
    checkGroups(props);
    const input: Record<string, InputValue> = {
      PolicyName: optString(props, 'ManagedPolicyName') ?? ctx.physicalName({ maxLength: 128 }),
      PolicyDocument: reqPolicyText(props, 'PolicyDocument'),
    };
    const path = optString(props, 'Path');
    if (path !== undefined) input['Path'] = path;
    const description = optString(props, 'Description');
    if (description !== undefined) input['Description'] = description;
    const output = await ctx.call('iam', 'CreatePolicy', input);
    const arn = outputString(output, 'Policy', 'Arn') ?? '';
    try {
      await attach(ctx, arn, stringList(props, 'Roles'), stringList(props, 'Users'));
    } catch (error: unknown) {
      await deletePolicy(ctx, arn, props).catch(() => undefined);
      throw error;
    }
    return {
      physicalId: arn,
      attributes: {
        PolicyArn: arn,
        PolicyId: outputString(output, 'Policy', 'PolicyId') ?? '',
        DefaultVersionId: 'v1',
      },
    };
  },
  async update(ctx, { physicalId: arn, previous, props, attributes }) {
    checkGroups(props);
    const result = { ...attributes };
    if (!sameValue(previous['PolicyDocument'], props['PolicyDocument'])) {
      const existing = await versions(ctx, arn);
      if (existing.length >= MAX_VERSIONS) {
        // CloudFormation makes room by deleting the oldest non-default version.
        const oldest = [...existing].reverse().find((version) => !isDefault(version));
        if (oldest) {
          await ctx.call('iam', 'DeletePolicyVersion', {
            PolicyArn: arn,
            VersionId: oldest.VersionId,
          });
        }
      }
      const output = await ctx.call('iam', 'CreatePolicyVersion', {
        PolicyArn: arn,
        PolicyDocument: reqPolicyText(props, 'PolicyDocument'),
        SetAsDefault: true,
      });
      result['DefaultVersionId'] = outputString(output, 'PolicyVersion', 'VersionId') ?? '';
    }
    const rolesBefore = stringList(previous, 'Roles');
    const rolesAfter = stringList(props, 'Roles');
    const usersBefore = stringList(previous, 'Users');
    const usersAfter = stringList(props, 'Users');
    await detach(
      ctx,
      arn,
      rolesBefore.filter((role) => !rolesAfter.includes(role)),
      usersBefore.filter((user) => !usersAfter.includes(user)),
    );
    await attach(
      ctx,
      arn,
      rolesAfter.filter((role) => !rolesBefore.includes(role)),
      usersAfter.filter((user) => !usersBefore.includes(user)),
    );
    return { physicalId: arn, attributes: result };
  },
  async delete(ctx, { physicalId, props }) {
    await deletePolicy(ctx, physicalId, props);
  },
};
