// The XML shapes of IAM entities in responses.
import type { XmlValue } from '../../protocols/xml.js';
import type {
  IamAccountState,
  IamRole,
  IamUser,
  ManagedPolicy,
  Tag,
} from '../../state/iam-state.js';
import { policyUsage, type PolicyView } from './iam-access.js';
import { encodeDocument } from './iam-names.js';

const tagsXml = (tags: Tag[]): XmlValue =>
  tags.length > 0 ? tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined;

const boundaryXml = (arn: string | undefined): XmlValue =>
  arn === undefined
    ? undefined
    : { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn };

/** A `Role` element; `full` adds what only GetRole/CreateRole return (tags, boundary). */
export function roleXml(role: IamRole, full: boolean): XmlValue {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: new Date(role.createDate),
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    ...(full
      ? { PermissionsBoundary: boundaryXml(role.permissionsBoundary), Tags: tagsXml(role.tags) }
      : {}),
  };
}

/** A `User` element. */
export function userXml(user: IamUser, full: boolean): XmlValue {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: user.arn,
    CreateDate: new Date(user.createDate),
    ...(full
      ? { PermissionsBoundary: boundaryXml(user.permissionsBoundary), Tags: tagsXml(user.tags) }
      : {}),
  };
}

/** A `Policy` element. */
export function policyXml(iam: IamAccountState, view: PolicyView): XmlValue {
  const arn = view.kind === 'aws' ? view.arn : view.policy.arn;
  const usage = policyUsage(iam, arn);
  if (view.kind === 'aws') {
    return {
      PolicyName: view.name,
      PolicyId: view.id,
      Arn: view.arn,
      Path: '/',
      DefaultVersionId: 'v1',
      AttachmentCount: usage.attachments,
      PermissionsBoundaryUsageCount: usage.boundaries,
      IsAttachable: true,
      CreateDate: new Date('2015-02-06T18:39:46Z'),
      UpdateDate: new Date('2015-02-06T18:39:46Z'),
    };
  }
  const policy: ManagedPolicy = view.policy;
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: usage.attachments,
    PermissionsBoundaryUsageCount: usage.boundaries,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: new Date(policy.createDate),
    UpdateDate: new Date(policy.updateDate),
    Tags: tagsXml(policy.tags),
  };
}
