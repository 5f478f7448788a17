import {
  AddClientIDToOpenIDConnectProviderCommand,
  AttachRolePolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteConflictException,
  DeleteOpenIDConnectProviderCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  EntityAlreadyExistsException,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  LimitExceededException,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  SetDefaultPolicyVersionCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clients, DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';

const trust = (principal: object): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  });
const allow = (action: string, resource = '*'): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
  });

describe('IAM API', () => {
  let sandbox: Sandbox;
  let iam: IAMClient;
  const clock = new ManualClock('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    iam = clients(sandbox, sandbox.credentialsFor(DEV), { clock }).iam;
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  describe('roles', () => {
    it('creates, reads, lists, updates and deletes a role', async () => {
      const created = await iam.send(
        new CreateRoleCommand({
          RoleName: 'deployer',
          Path: '/rampart/',
          AssumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::222222222222:root' }),
          Description: 'deploys',
          MaxSessionDuration: 7200,
          Tags: [{ Key: 'team', Value: 'platform' }],
        }),
      );
      expect(created.Role).toMatchObject({
        RoleName: 'deployer',
        Path: '/rampart/',
        Arn: `arn:aws:iam::${DEV}:role/rampart/deployer`,
        MaxSessionDuration: 7200,
        Description: 'deploys',
      });
      expect(created.Role?.RoleId).toMatch(/^AROA/);
      expect(created.Role?.CreateDate).toEqual(new Date('2026-03-01T10:00:00Z'));

      const got = await iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
      expect(
        JSON.parse(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? '')),
      ).toMatchObject({
        Statement: [{ Principal: { AWS: 'arn:aws:iam::222222222222:root' } }],
      });
      expect(got.Role?.Tags).toEqual([{ Key: 'team', Value: 'platform' }]);

      const listed = await iam.send(new ListRolesCommand({ PathPrefix: '/rampart/' }));
      expect(listed.Roles?.map((role) => role.RoleName)).toEqual(['deployer']);

      await iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: 'deployer',
          PolicyDocument: trust({ AWS: 'arn:aws:iam::111111111111:root' }),
        }),
      );
      const updated = await iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
      expect(decodeURIComponent(updated.Role?.AssumeRolePolicyDocument ?? '')).toContain(
        '111111111111',
      );

      await iam.send(
        new TagRoleCommand({ RoleName: 'deployer', Tags: [{ Key: 'env', Value: 'dev' }] }),
      );
      await iam.send(new UntagRoleCommand({ RoleName: 'deployer', TagKeys: ['team'] }));
      const tags = await iam.send(new ListRoleTagsCommand({ RoleName: 'deployer' }));
      expect(tags.Tags).toEqual([{ Key: 'env', Value: 'dev' }]);

      await iam.send(new DeleteRoleCommand({ RoleName: 'deployer' }));
      await expect(iam.send(new GetRoleCommand({ RoleName: 'deployer' }))).rejects.toBeInstanceOf(
        NoSuchEntityException,
      );
    });

    it('rejects duplicates, unknown roles, bad names and malformed trust policies', async () => {
      const doc = trust({ AWS: 'arn:aws:iam::222222222222:root' });
      await iam.send(new CreateRoleCommand({ RoleName: 'r1', AssumeRolePolicyDocument: doc }));
      await expect(
        iam.send(new CreateRoleCommand({ RoleName: 'r1', AssumeRolePolicyDocument: doc })),
      ).rejects.toBeInstanceOf(EntityAlreadyExistsException);
      const missing = await iam
        .send(new GetRoleCommand({ RoleName: 'nope' }))
        .catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(NoSuchEntityException);
      expect((missing as Error).message).toBe('The role with name nope cannot be found.');
      await expect(
        iam.send(new CreateRoleCommand({ RoleName: 'r2', AssumeRolePolicyDocument: '{not json' })),
      ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
      await expect(
        iam.send(
          new CreateRoleCommand({
            RoleName: 'r2',
            AssumeRolePolicyDocument: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Maybe' }],
            }),
          }),
        ),
      ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
      const badName = await iam
        .send(new CreateRoleCommand({ RoleName: 'bad/name', AssumeRolePolicyDocument: doc }))
        .catch((e: unknown) => e);
      expect((badName as Error).name).toBe('ValidationError');
      const missingParam = await iam
        .send(new CreateRoleCommand({ RoleName: 'r3' } as never))
        .catch((e: unknown) => e);
      expect((missingParam as Error).name).toBe('ValidationError');
    });

    it('manages inline policies, attachments and the delete conflicts they cause', async () => {
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'app',
          AssumeRolePolicyDocument: trust({ Service: 'ecs-tasks.amazonaws.com' }),
        }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: 'app',
          PolicyName: 'read',
          PolicyDocument: allow('s3:GetObject'),
        }),
      );
      const inline = await iam.send(
        new GetRolePolicyCommand({ RoleName: 'app', PolicyName: 'read' }),
      );
      expect(JSON.parse(decodeURIComponent(inline.PolicyDocument ?? ''))).toMatchObject({
        Statement: [{ Action: 's3:GetObject' }],
      });
      expect(
        (await iam.send(new ListRolePoliciesCommand({ RoleName: 'app' }))).PolicyNames,
      ).toEqual(['read']);
      await expect(
        iam.send(
          new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'bad', PolicyDocument: '[]' }),
        ),
      ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
      await expect(
        iam.send(new GetRolePolicyCommand({ RoleName: 'app', PolicyName: 'nope' })),
      ).rejects.toBeInstanceOf(NoSuchEntityException);

      await iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'app',
          PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        }),
      );
      const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'app' }));
      expect(attached.AttachedPolicies).toEqual([
        { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      ]);
      await expect(
        iam.send(
          new AttachRolePolicyCommand({
            RoleName: 'app',
            PolicyArn: `arn:aws:iam::${DEV}:policy/none`,
          }),
        ),
      ).rejects.toBeInstanceOf(NoSuchEntityException);

      await expect(iam.send(new DeleteRoleCommand({ RoleName: 'app' }))).rejects.toBeInstanceOf(
        DeleteConflictException,
      );
      await iam.send(
        new DetachRolePolicyCommand({
          RoleName: 'app',
          PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        }),
      );
      await expect(iam.send(new DeleteRoleCommand({ RoleName: 'app' }))).rejects.toBeInstanceOf(
        DeleteConflictException,
      );
      await iam.send(new DeleteRolePolicyCommand({ RoleName: 'app', PolicyName: 'read' }));
      await iam.send(new DeleteRoleCommand({ RoleName: 'app' }));
    });

    it('sets and removes a permissions boundary', async () => {
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'bounded',
          AssumeRolePolicyDocument: trust({ Service: 'lambda.amazonaws.com' }),
        }),
      );
      await iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: 'bounded',
          PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        }),
      );
      const got = await iam.send(new GetRoleCommand({ RoleName: 'bounded' }));
      expect(got.Role?.PermissionsBoundary).toEqual({
        PermissionsBoundaryType: 'Policy',
        PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      });
      await expect(
        iam.send(
          new PutRolePermissionsBoundaryCommand({
            RoleName: 'bounded',
            PermissionsBoundary: `arn:aws:iam::${DEV}:policy/x`,
          }),
        ),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
      await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'bounded' }));
      expect(
        (await iam.send(new GetRoleCommand({ RoleName: 'bounded' }))).Role?.PermissionsBoundary,
      ).toBeUndefined();
    });
  });

  describe('managed policies', () => {
    it('keeps at most five versions and switches the default', async () => {
      const created = await iam.send(
        new CreatePolicyCommand({ PolicyName: 'deploy', PolicyDocument: allow('s3:*') }),
      );
      const arn = created.Policy?.Arn ?? '';
      expect(arn).toBe(`arn:aws:iam::${DEV}:policy/deploy`);
      expect(created.Policy).toMatchObject({
        DefaultVersionId: 'v1',
        AttachmentCount: 0,
        IsAttachable: true,
      });
      await expect(
        iam.send(new CreatePolicyCommand({ PolicyName: 'deploy', PolicyDocument: allow('s3:*') })),
      ).rejects.toBeInstanceOf(EntityAlreadyExistsException);

      for (const n of [2, 3, 4, 5]) {
        const version = await iam.send(
          new CreatePolicyVersionCommand({
            PolicyArn: arn,
            PolicyDocument: allow(`kms:Op${n}`),
            SetAsDefault: n === 3,
          }),
        );
        expect(version.PolicyVersion?.VersionId).toBe(`v${n}`);
      }
      await expect(
        iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:*') })),
      ).rejects.toBeInstanceOf(LimitExceededException);
      expect(
        (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId,
      ).toBe('v3');
      const v3 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
      expect(decodeURIComponent(v3.PolicyVersion?.Document ?? '')).toContain('kms:Op3');
      expect(v3.PolicyVersion?.IsDefaultVersion).toBe(true);

      await expect(
        iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })),
      ).rejects.toBeInstanceOf(DeleteConflictException);
      await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
      for (const v of ['v1', 'v2', 'v3', 'v4']) {
        await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
      }
      const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
      expect(versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
        ['v5', true],
      ]);
      await iam.send(
        new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:*') }),
      );
      expect(
        (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions?.map(
          (v) => v.VersionId,
        ),
      ).toEqual(['v6', 'v5']);
      await expect(
        iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
    });

    it('refuses to delete attached policies or policies with versions', async () => {
      const arn =
        (
          await iam.send(
            new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: allow('s3:*') }),
          )
        ).Policy?.Arn ?? '';
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'holder',
          AssumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }),
        }),
      );
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'holder', PolicyArn: arn }));
      expect(
        (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount,
      ).toBe(1);
      await expect(iam.send(new DeletePolicyCommand({ PolicyArn: arn }))).rejects.toBeInstanceOf(
        DeleteConflictException,
      );
      await iam.send(new DetachRolePolicyCommand({ RoleName: 'holder', PolicyArn: arn }));
      await iam.send(
        new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('kms:*') }),
      );
      await expect(iam.send(new DeletePolicyCommand({ PolicyArn: arn }))).rejects.toBeInstanceOf(
        DeleteConflictException,
      );
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
      await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
      await expect(iam.send(new GetPolicyCommand({ PolicyArn: arn }))).rejects.toBeInstanceOf(
        NoSuchEntityException,
      );
    });

    it('serves the AWS managed policies read-only', async () => {
      const admin = await iam.send(
        new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
      );
      expect(admin.Policy).toMatchObject({ PolicyName: 'AdministratorAccess', AttachmentCount: 2 });
      const listed = await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
      expect(listed.Policies?.map((p) => p.PolicyName).sort()).toEqual([
        'AdministratorAccess',
        'ReadOnlyAccess',
      ]);
      const error = await iam
        .send(new DeletePolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }))
        .catch((e: unknown) => e);
      expect((error as Error).name).toBe('UnmodifiableEntityException');
    });
  });

  describe('OIDC providers', () => {
    it('creates, reads, edits client ids and deletes', async () => {
      const url = 'http://127.0.0.1:9999/issuer';
      const created = await iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: url,
          ClientIDList: ['sts.amazonaws.com'],
          ThumbprintList: ['a'.repeat(40)],
        }),
      );
      const arn = created.OpenIDConnectProviderArn ?? '';
      expect(arn).toBe(`arn:aws:iam::${DEV}:oidc-provider/127.0.0.1:9999/issuer`);
      await expect(
        iam.send(new CreateOpenIDConnectProviderCommand({ Url: url, ClientIDList: ['x'] })),
      ).rejects.toBeInstanceOf(EntityAlreadyExistsException);
      await iam.send(
        new AddClientIDToOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: arn,
          ClientID: 'extra',
        }),
      );
      await iam.send(
        new RemoveClientIDFromOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: arn,
          ClientID: 'sts.amazonaws.com',
        }),
      );
      const got = await iam.send(
        new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }),
      );
      expect(got).toMatchObject({
        Url: '127.0.0.1:9999/issuer',
        ClientIDList: ['extra'],
        ThumbprintList: ['a'.repeat(40)],
      });
      expect(
        (await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList,
      ).toEqual([{ Arn: arn }]);
      await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
      await expect(
        iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
      ).rejects.toBeInstanceOf(NoSuchEntityException);
    });

    it('accepts http:// only for loopback issuers', async () => {
      const error = await iam
        .send(
          new CreateOpenIDConnectProviderCommand({
            Url: 'http://issuer.example.com',
            ClientIDList: ['a'],
          }),
        )
        .catch((e: unknown) => e);
      expect((error as Error).name).toBe('ValidationError');
      const https = await iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: 'https://issuer.example.com',
          ClientIDList: ['a'],
        }),
      );
      expect(https.OpenIDConnectProviderArn).toBe(
        `arn:aws:iam::${DEV}:oidc-provider/issuer.example.com`,
      );
    });
  });

  it('creates users and reports the calling user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'ci' }));
    await expect(iam.send(new CreateUserCommand({ UserName: 'CI' }))).rejects.toBeInstanceOf(
      EntityAlreadyExistsException,
    );
    expect((await iam.send(new GetUserCommand({}))).User?.Arn).toBe(
      `arn:aws:iam::${DEV}:user/admin`,
    );
  });
});
