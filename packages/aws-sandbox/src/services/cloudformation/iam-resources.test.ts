import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourcesCommand,
  UpdateStackCommand,
  type CloudFormationClient,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import {
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  cfnClients,
  describeStack,
  stackEvents,
  userWithPolicy,
} from './test-support/cfn-sandbox.js';

const ACCOUNT = DEV;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const READ_S3 = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
};

/** The IAM template; `v` selects what changes between versions. */
function iamTemplate(v: {
  inlineAction?: string;
  managedAction?: string;
  roleName?: string;
  clientIds?: string[];
  url?: string;
  tags?: Record<string, string>;
  description?: string;
  attachReadOnly?: boolean;
  extraPolicyDocument?: object;
}): string {
  const statement = (action: string): object => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
  });
  return JSON.stringify({
    Parameters: { Env: { Type: 'String', Default: 'dev' } },
    Resources: {
      Provider: {
        Type: 'AWS::IAM::OIDCProvider',
        Properties: {
          Url: v.url ?? 'https://token.example.com',
          ClientIdList: v.clientIds ?? ['sts.amazonaws.com'],
          ThumbprintList: ['0123456789abcdef0123456789abcdef01234567'],
        },
      },
      Boundary: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { ManagedPolicyName: 'boundary', PolicyDocument: statement('*') },
      },
      Managed: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Description: 'managed',
          PolicyDocument: statement(v.managedAction ?? 's3:GetObject'),
        },
      },
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: v.roleName ?? 'deployer',
          Path: '/rampart/',
          Description: v.description ?? 'deploys',
          MaxSessionDuration: 7200,
          PermissionsBoundary: { Ref: 'Boundary' },
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: { 'Fn::GetAtt': ['Provider', 'Arn'] } },
                Action: 'sts:AssumeRoleWithWebIdentity',
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'inline',
              PolicyDocument: statement(v.inlineAction ?? 'sqs:SendMessage'),
            },
          ],
          ManagedPolicyArns: [
            { Ref: 'Managed' },
            ...(v.attachReadOnly === false ? [] : ['arn:aws:iam::aws:policy/ReadOnlyAccess']),
          ],
          Tags: Object.entries(v.tags ?? { team: 'platform' }).map(([Key, Value]) => ({
            Key,
            Value,
          })),
        },
      },
      Extra: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: { 'Fn::Sub': 'extra-${Env}' },
          PolicyDocument: v.extraPolicyDocument ?? statement('sns:Publish'),
          Roles: [{ Ref: 'Role' }],
        },
      },
    },
    Outputs: {
      RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } },
      RoleId: { Value: { 'Fn::GetAtt': ['Role', 'RoleId'] } },
      ManagedArn: { Value: { Ref: 'Managed' } },
      ProviderArn: { Value: { Ref: 'Provider' } },
    },
  });
}

describe('IAM resource types', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let cfn: CloudFormationClient;
  let iam: IAMClient;

  const deploy = async (
    command: 'create' | 'update',
    body: string,
    options: { name?: string; tags?: Record<string, string>; parameters?: Parameter[] } = {},
  ): Promise<void> => {
    const input = {
      StackName: options.name ?? 'iam',
      TemplateBody: body,
      Capabilities: ['CAPABILITY_NAMED_IAM' as const],
      ...(options.tags
        ? { Tags: Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })) }
        : {}),
      ...(options.parameters ? { Parameters: options.parameters } : {}),
    };
    await cfn.send(
      command === 'create' ? new CreateStackCommand(input) : new UpdateStackCommand(input),
    );
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    ({ cfn, iam } = cfnClients(sandbox, sandbox.credentialsFor(ACCOUNT), clock));
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  it('creates roles, managed and inline policies and OIDC providers as IAM shows them', async () => {
    await deploy('create', iamTemplate({}), { tags: { cost: 'cc-1' } });
    const stack = await describeStack(cfn, 'iam');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const outputs: Record<string, string> = Object.fromEntries(
      (stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
    );
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
    expect(Role).toMatchObject({
      Path: '/rampart/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/rampart/deployer`,
      Description: 'deploys',
      MaxSessionDuration: 7200,
      PermissionsBoundary: { PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundary` },
    });
    expect(outputs['RoleArn']).toBe(Role?.Arn);
    expect(outputs['RoleId']).toBe(Role?.RoleId);
    // Stack tags propagate to resources that take tags; the resource's own win.
    expect(Role?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'cost', Value: 'cc-1' },
        { Key: 'team', Value: 'platform' },
      ]),
    );
    const trust = JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '')) as {
      Statement: { Principal: { Federated: string } }[];
    };
    expect(trust.Statement[0]?.Principal.Federated).toBe(
      `arn:aws:iam::${ACCOUNT}:oidc-provider/token.example.com`,
    );
    expect(outputs['ProviderArn']).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/token.example.com`);
    const provider = await iam.send(
      new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: outputs['ProviderArn'] }),
    );
    expect(provider.ClientIDList).toEqual(['sts.amazonaws.com']);
    const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: 'deployer' }));
    expect(inline.PolicyNames).toEqual(['extra-dev', 'inline']);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'deployer' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([
      outputs['ManagedArn'],
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
    expect(outputs['ManagedArn']).toMatch(
      new RegExp(`^arn:aws:iam::${ACCOUNT}:policy/iam-Managed-[A-Z0-9]{12}$`),
    );
    const managed = await iam.send(new GetPolicyCommand({ PolicyArn: outputs['ManagedArn'] }));
    expect(managed.Policy?.Description).toBe('managed');
  });

  it('updates in place: documents, attachments, client ids, tags; managed policies gain a version', async () => {
    await deploy('create', iamTemplate({}));
    const managedArn =
      (await describeStack(cfn, 'iam')).Outputs?.find((o) => o.OutputKey === 'ManagedArn')
        ?.OutputValue ?? '';
    const roleId = (await iam.send(new GetRoleCommand({ RoleName: 'deployer' }))).Role?.RoleId;
    await deploy(
      'update',
      iamTemplate({
        inlineAction: 'sqs:ReceiveMessage',
        managedAction: 's3:PutObject',
        clientIds: ['sts.amazonaws.com', 'rampart'],
        tags: { team: 'apps' },
        attachReadOnly: false,
      }),
      { parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }] },
    );
    expect((await describeStack(cfn, 'iam')).StackStatus).toBe('UPDATE_COMPLETE');
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
    expect(Role?.RoleId).toBe(roleId);
    expect(Role?.Tags).toEqual([{ Key: 'team', Value: 'apps' }]);
    const inline = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'inline' }),
    );
    expect(decodeURIComponent(inline.PolicyDocument ?? '')).toContain('sqs:ReceiveMessage');
    // The inline policy's name came from a parameter: the old one is removed, the new one put.
    expect(
      (await iam.send(new ListRolePoliciesCommand({ RoleName: 'deployer' }))).PolicyNames,
    ).toEqual(['extra-prod', 'inline']);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'deployer' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([managedArn]);
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: managedArn }));
    expect(policy.Policy?.DefaultVersionId).toBe('v2');
    const version = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: managedArn, VersionId: 'v2' }),
    );
    expect(decodeURIComponent(version.PolicyVersion?.Document ?? '')).toContain('s3:PutObject');
    const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.example.com`;
    const provider = await iam.send(
      new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: providerArn }),
    );
    expect(provider.ClientIDList).toEqual(['sts.amazonaws.com', 'rampart']);
  });

  it('replaces a role whose name changes and an OIDC provider whose URL changes', async () => {
    await deploy('create', iamTemplate({}));
    await deploy(
      'update',
      iamTemplate({ roleName: 'deployer-2', url: 'https://other.example.com' }),
    );
    expect((await describeStack(cfn, 'iam')).StackStatus).toBe('UPDATE_COMPLETE');
    expect(await rejection(iam.send(new GetRoleCommand({ RoleName: 'deployer' })))).toBeInstanceOf(
      NoSuchEntityException,
    );
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'deployer-2' }));
    expect(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '')).toContain('other.example.com');
    // The inline AWS::IAM::Policy followed the role it refers to.
    expect(
      (await iam.send(new ListRolePoliciesCommand({ RoleName: 'deployer-2' }))).PolicyNames,
    ).toEqual(['extra-dev', 'inline']);
    const events = await stackEvents(cfn, 'iam');
    const replaced = events.find(
      (e) =>
        e.LogicalResourceId === 'Role' &&
        e.ResourceStatusReason?.startsWith('Requested update requires'),
    );
    expect(replaced?.PhysicalResourceId).toBe('deployer');
    const cleanup = events
      .filter((e) => e.ResourceStatus === 'DELETE_COMPLETE')
      .map((e) => e.PhysicalResourceId);
    expect(cleanup).toEqual(
      expect.arrayContaining([
        'deployer',
        `arn:aws:iam::${ACCOUNT}:oidc-provider/token.example.com`,
      ]),
    );
    const order = events.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`);
    expect(order.indexOf('Role DELETE_COMPLETE')).toBeLessThan(
      order.indexOf('Provider DELETE_IN_PROGRESS'),
    );
  });

  it('rolls a failed create back to ROLLBACK_COMPLETE, leaving nothing behind', async () => {
    await deploy('create', iamTemplate({ extraPolicyDocument: { Statement: 'nope' } }));
    const stack = await describeStack(cfn, 'iam');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(stack.StackStatusReason).toBe('The following resource(s) failed to create: [Extra].');
    const events = await stackEvents(cfn, 'iam');
    const failed = events.find((e) => e.ResourceStatus === 'CREATE_FAILED');
    expect(failed?.LogicalResourceId).toBe('Extra');
    expect(failed?.ResourceStatusReason).toMatch(
      /^Resource handler returned message: ".+ \(Service: Iam, Status Code: 400, Request ID: [0-9a-f-]+\)" \(HandlerErrorCode: InvalidRequest\)$/,
    );
    expect(
      events.map((e) => e.ResourceStatus).filter((s) => s === 'ROLLBACK_IN_PROGRESS'),
    ).toHaveLength(1);
    expect(await rejection(iam.send(new GetRoleCommand({ RoleName: 'deployer' })))).toBeInstanceOf(
      NoSuchEntityException,
    );
    const { StackResources = [] } = await cfn.send(
      new DescribeStackResourcesCommand({ StackName: 'iam' }),
    );
    expect(StackResources.every((r) => r.ResourceStatus === 'DELETE_COMPLETE')).toBe(true);
  });

  it('rolls a caller without iam:CreateRole back, with the denial as the reason', async () => {
    const credentials = await userWithPolicy(iam, 'limited', [
      {
        Effect: 'Allow',
        Action: [
          'cloudformation:*',
          'iam:CreateOpenIDConnectProvider',
          'iam:DeleteOpenIDConnectProvider',
          'iam:CreatePolicy',
          'iam:DeletePolicy',
          'iam:ListPolicyVersions',
        ],
        Resource: '*',
      },
    ]);
    const limited = cfnClients(sandbox, credentials, clock).cfn;
    await limited.send(
      new CreateStackCommand({
        StackName: 'iam',
        TemplateBody: iamTemplate({}),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    const stack = await describeStack(limited, 'iam');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    const failed = (await stackEvents(limited, 'iam')).find(
      (e) => e.ResourceStatus === 'CREATE_FAILED',
    );
    expect(failed?.LogicalResourceId).toBe('Role');
    expect(failed?.ResourceStatusReason).toContain(
      `User: arn:aws:iam::${ACCOUNT}:user/limited is not authorized to perform: iam:CreateRole`,
    );
    expect(failed?.ResourceStatusReason).toContain('(HandlerErrorCode: AccessDenied)');
    expect(
      await rejection(
        iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/boundary` })),
      ),
    ).toBeInstanceOf(NoSuchEntityException);
  });

  it('rolls a failed update back to UPDATE_ROLLBACK_COMPLETE with the previous state restored', async () => {
    await deploy('create', iamTemplate({}));
    const before = await describeStack(cfn, 'iam');
    const managedArn = before.Outputs?.find((o) => o.OutputKey === 'ManagedArn')?.OutputValue ?? '';
    await deploy(
      'update',
      iamTemplate({
        description: 'changed',
        managedAction: 's3:DeleteObject',
        roleName: 'deployer-new',
        extraPolicyDocument: { Statement: 'nope' },
      }),
    );
    const stack = await describeStack(cfn, 'iam');
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(stack.StackStatusReason).toBe('The following resource(s) failed to update: [Extra].');
    expect(stack.Outputs).toEqual(before.Outputs);
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
    expect(Role?.Description).toBe('deploys');
    expect(
      await rejection(iam.send(new GetRoleCommand({ RoleName: 'deployer-new' }))),
    ).toBeInstanceOf(NoSuchEntityException);
    expect(
      (await iam.send(new ListRolePoliciesCommand({ RoleName: 'deployer' }))).PolicyNames,
    ).toEqual(['extra-dev', 'inline']);
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: managedArn }));
    const version = await iam.send(
      new GetPolicyVersionCommand({
        PolicyArn: managedArn,
        VersionId: policy.Policy?.DefaultVersionId,
      }),
    );
    expect(decodeURIComponent(version.PolicyVersion?.Document ?? '')).toContain('s3:GetObject');
    const statuses = (await stackEvents(cfn, 'iam'))
      .filter((e) => e.LogicalResourceId === 'iam')
      .map((e) => e.ResourceStatus);
    expect(statuses.slice(2)).toEqual([
      'UPDATE_IN_PROGRESS',
      'UPDATE_ROLLBACK_IN_PROGRESS',
      'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'UPDATE_ROLLBACK_COMPLETE',
    ]);
    // The stack can be updated again after the rollback.
    await deploy('update', iamTemplate({ description: 'again' }));
    expect((await describeStack(cfn, 'iam')).StackStatus).toBe('UPDATE_COMPLETE');
    expect((await iam.send(new GetRoleCommand({ RoleName: 'deployer' }))).Role?.Description).toBe(
      'again',
    );
  });

  it('keeps resources with DeletionPolicy Retain and replaced ones with UpdateReplacePolicy Retain', async () => {
    const body = (name: string): string =>
      JSON.stringify({
        Resources: {
          Kept: {
            Type: 'AWS::IAM::Role',
            DeletionPolicy: 'Retain',
            UpdateReplacePolicy: 'Retain',
            Properties: {
              RoleName: name,
              AssumeRolePolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { Service: 'ec2.amazonaws.com' },
                    Action: 'sts:AssumeRole',
                  },
                ],
              },
              Policies: [{ PolicyName: 'p', PolicyDocument: READ_S3 }],
            },
          },
        },
      });
    await deploy('create', body('kept-1'));
    const stackId = (await describeStack(cfn, 'iam')).StackId ?? '';
    await deploy('update', body('kept-2'));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'kept-1' }))).Role).toBeDefined();
    await cfn.send(new DeleteStackCommand({ StackName: 'iam' }));
    expect((await describeStack(cfn, stackId)).StackStatus).toBe('DELETE_COMPLETE');
    expect((await iam.send(new GetRoleCommand({ RoleName: 'kept-2' }))).Role).toBeDefined();
    const skipped = (await stackEvents(cfn, stackId))
      .filter((e) => e.ResourceStatus === 'DELETE_SKIPPED')
      .map((e) => e.PhysicalResourceId);
    expect(skipped).toEqual(['kept-1', 'kept-2']);
  });
});
