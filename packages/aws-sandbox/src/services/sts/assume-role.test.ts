import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  ExpiredTokenException,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clients,
  DEV,
  MANAGEMENT,
  PROD,
  type TestCredentials,
} from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';

const doc = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

function sessionCredentials(result: {
  Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string };
}): TestCredentials {
  const { AccessKeyId, SecretAccessKey, SessionToken } = result.Credentials ?? {};
  if (!AccessKeyId || !SecretAccessKey || !SessionToken) throw new Error('no credentials');
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken };
}

describe('AssumeRole and IAM enforcement', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const admin = (account: string) => clients(sandbox, sandbox.credentialsFor(account), { clock });

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
  });
  beforeEach(() => {
    sandbox.control.reset();
    clock.set('2026-03-01T10:00:00Z');
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('lets the management admin assume OrganizationAccountAccessRole in a member account', async () => {
    const result = await admin(MANAGEMENT).sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'bootstrap',
      }),
    );
    expect(result.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${PROD}:assumed-role/OrganizationAccountAccessRole/bootstrap`,
    );
    expect(result.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]+:bootstrap$/);
    expect(result.Credentials?.Expiration).toEqual(new Date('2026-03-01T11:00:00Z'));
    expect(result.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    const session = clients(sandbox, sessionCredentials(result), { clock });
    const identity = await session.sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: PROD,
      Arn: `arn:aws:sts::${PROD}:assumed-role/OrganizationAccountAccessRole/bootstrap`,
      UserId: result.AssumedRoleUser?.AssumedRoleId,
    });
    // AdministratorAccess is attached to the role: the session may use IAM in the member account.
    expect((await session.iam.send(new ListRolesCommand({}))).Roles?.length).toBeGreaterThan(0);
  });

  it('denies a member account that the trust policy does not name', async () => {
    const error = await admin(DEV)
      .sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`,
          RoleSessionName: 'x1',
        }),
      )
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AccessDenied');
    expect((error as Error).message).toContain(
      `User: arn:aws:iam::${DEV}:user/admin is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`,
    );
  });

  it('needs the caller identity policy as well as the trust policy across accounts', async () => {
    const mgmt = admin(MANAGEMENT);
    await mgmt.iam.send(new CreateUserCommand({ UserName: 'nobody' }));
    const keys = await mgmt.iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }));
    const nobody = clients(
      sandbox,
      {
        accessKeyId: keys.AccessKey?.AccessKeyId ?? '',
        secretAccessKey: keys.AccessKey?.SecretAccessKey ?? '',
      },
      { clock },
    );
    const arn = `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`;
    const denied = await nobody.sts
      .send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'n1' }))
      .catch((e: unknown) => e);
    expect((denied as Error).name).toBe('AccessDenied');
    await mgmt.iam.send(
      new PutUserPolicyCommand({
        UserName: 'nobody',
        PolicyName: 'assume',
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn }]),
      }),
    );
    const ok = await nobody.sts.send(
      new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'n1' }),
    );
    expect(ok.AssumedRoleUser?.Arn).toContain(':assumed-role/OrganizationAccountAccessRole/n1');
  });

  it('follows the same-account rules: a trust naming the user suffices, naming the root does not', async () => {
    const dev = admin(DEV);
    await dev.iam.send(new CreateUserCommand({ UserName: 'plain' }));
    const keys = await dev.iam.send(new CreateAccessKeyCommand({ UserName: 'plain' }));
    const plain = clients(
      sandbox,
      {
        accessKeyId: keys.AccessKey?.AccessKeyId ?? '',
        secretAccessKey: keys.AccessKey?.SecretAccessKey ?? '',
      },
      { clock },
    );
    for (const [name, principal] of [
      ['names-user', `arn:aws:iam::${DEV}:user/plain`],
      ['names-root', `arn:aws:iam::${DEV}:root`],
    ] as const) {
      await dev.iam.send(
        new CreateRoleCommand({
          RoleName: name,
          AssumeRolePolicyDocument: doc([
            { Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' },
          ]),
        }),
      );
    }
    const byUser = await plain.sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${DEV}:role/names-user`,
        RoleSessionName: 'p1',
      }),
    );
    expect(byUser.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/names-user/p1`);
    const byRoot = await plain.sts
      .send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${DEV}:role/names-root`,
          RoleSessionName: 'p1',
        }),
      )
      .catch((e: unknown) => e);
    expect((byRoot as Error).name).toBe('AccessDenied');
    const missing = await plain.sts
      .send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${DEV}:role/absent`,
          RoleSessionName: 'p1',
        }),
      )
      .catch((e: unknown) => e);
    expect((missing as Error).name).toBe('AccessDenied');
  });

  it('stops accepting deleted and deactivated access keys', async () => {
    const dev = admin(DEV);
    await dev.iam.send(new CreateUserCommand({ UserName: 'temp' }));
    const created = await dev.iam.send(new CreateAccessKeyCommand({ UserName: 'temp' }));
    const id = created.AccessKey?.AccessKeyId ?? '';
    const temp = clients(
      sandbox,
      { accessKeyId: id, secretAccessKey: created.AccessKey?.SecretAccessKey ?? '' },
      { clock },
    );
    expect((await temp.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:iam::${DEV}:user/temp`,
    );
    await dev.iam.send(
      new UpdateAccessKeyCommand({ UserName: 'temp', AccessKeyId: id, Status: 'Inactive' }),
    );
    const inactive = await temp.sts.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
    expect((inactive as Error).name).toBe('InvalidClientTokenId');
    await dev.iam.send(new DeleteAccessKeyCommand({ UserName: 'temp', AccessKeyId: id }));
    const deleted = await temp.sts.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
    expect((deleted as Error).name).toBe('InvalidClientTokenId');
  });

  it('enforces session-name rules, DurationSeconds bounds and the one-hour chaining cap', async () => {
    const mgmt = admin(MANAGEMENT);
    const arn = `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`;
    for (const name of ['x', 'has space', 'a'.repeat(65)]) {
      const error = await mgmt.sts
        .send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: name }))
        .catch((e: unknown) => e);
      expect((error as Error).name).toBe('ValidationError');
    }
    for (const duration of [899, 3601]) {
      const error = await mgmt.sts
        .send(
          new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ok', DurationSeconds: duration }),
        )
        .catch((e: unknown) => e);
      expect((error as Error).name).toBe('ValidationError');
    }
    const prod = admin(PROD);
    await prod.iam.send(
      new CreateRoleCommand({
        RoleName: 'long',
        MaxSessionDuration: 43200,
        AssumeRolePolicyDocument: doc([
          {
            Effect: 'Allow',
            Principal: {
              AWS: [
                `arn:aws:iam::${MANAGEMENT}:root`,
                `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`,
              ],
            },
            Action: 'sts:AssumeRole',
          },
        ]),
      }),
    );
    const longArn = `arn:aws:iam::${PROD}:role/long`;
    const direct = await mgmt.sts.send(
      new AssumeRoleCommand({
        RoleArn: longArn,
        RoleSessionName: 'direct',
        DurationSeconds: 43200,
      }),
    );
    expect(direct.Credentials?.Expiration).toEqual(new Date('2026-03-01T22:00:00Z'));

    const first = await mgmt.sts.send(
      new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'hop1' }),
    );
    const hop = clients(sandbox, sessionCredentials(first), { clock });
    const chained = await hop.sts
      .send(
        new AssumeRoleCommand({ RoleArn: longArn, RoleSessionName: 'hop2', DurationSeconds: 7200 }),
      )
      .catch((e: unknown) => e);
    expect((chained as Error).message).toBe(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    const ok = await hop.sts.send(
      new AssumeRoleCommand({ RoleArn: longArn, RoleSessionName: 'hop2', DurationSeconds: 3600 }),
    );
    expect(ok.Credentials?.Expiration).toEqual(new Date('2026-03-01T11:00:00Z'));
  });

  it('rejects expired session credentials with ExpiredToken', async () => {
    const result = await admin(MANAGEMENT).sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'short',
        DurationSeconds: 900,
      }),
    );
    clock.advance(15 * 60 * 1000 + 1000);
    const session = clients(sandbox, sessionCredentials(result), { clock });
    const error = await session.sts.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
    // Expired credentials get the generic query-protocol code (ExpiredTokenException is for web identity tokens).
    expect(error).not.toBeInstanceOf(ExpiredTokenException);
    expect((error as Error).name).toBe('ExpiredToken');
    expect((error as Error).message).toBe('The security token included in the request is expired');
  });

  describe('enforcement', () => {
    const roleTrust = doc([
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: 'sts:AssumeRole' },
    ]);

    async function assume(roleName: string, extra: Record<string, unknown> = {}) {
      const result = await admin(DEV).sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${DEV}:role/${roleName}`,
          RoleSessionName: 'sess',
          ...extra,
        }),
      );
      return clients(sandbox, sessionCredentials(result), { clock });
    }

    it('restricts an admin role with a permissions boundary', async () => {
      const { iam } = admin(DEV);
      await iam.send(
        new CreateRoleCommand({ RoleName: 'bounded', AssumeRolePolicyDocument: roleTrust }),
      );
      await iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'bounded',
          PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        }),
      );
      await iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: 'bounded',
          PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        }),
      );
      const session = await assume('bounded');
      expect((await session.iam.send(new ListRolesCommand({}))).Roles?.length).toBeGreaterThan(0);
      const error = await session.iam
        .send(new CreateRoleCommand({ RoleName: 'escape', AssumeRolePolicyDocument: roleTrust }))
        .catch((e: unknown) => e);
      expect((error as Error).name).toBe('AccessDenied');
      expect((error as Error).message).toBe(
        `User: arn:aws:sts::${DEV}:assumed-role/bounded/sess is not authorized to perform: iam:CreateRole on resource: ` +
          `arn:aws:iam::${DEV}:role/escape because no permissions boundary allows the iam:CreateRole action`,
      );
    });

    it('restricts an admin role with a session policy', async () => {
      const session = await assume('OrganizationAccountAccessRole', {
        Policy: doc([{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }]),
      }).catch(async () => {
        // OrganizationAccountAccessRole trusts the management account only; use a role of our own.
        const { iam } = admin(DEV);
        await iam.send(
          new CreateRoleCommand({ RoleName: 'adm', AssumeRolePolicyDocument: roleTrust }),
        );
        await iam.send(
          new AttachRolePolicyCommand({
            RoleName: 'adm',
            PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
          }),
        );
        return assume('adm', {
          Policy: doc([{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }]),
        });
      });
      expect((await session.iam.send(new ListRolesCommand({}))).Roles?.length).toBeGreaterThan(0);
      const error = await session.iam
        .send(new CreateRoleCommand({ RoleName: 'escape', AssumeRolePolicyDocument: roleTrust }))
        .catch((e: unknown) => e);
      expect((error as Error).message).toContain(
        'because no session policy allows the iam:CreateRole action',
      );
    });

    it('applies managed session policies from PolicyArns', async () => {
      const { iam } = admin(DEV);
      await iam.send(
        new CreateRoleCommand({ RoleName: 'adm', AssumeRolePolicyDocument: roleTrust }),
      );
      await iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'adm',
          PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        }),
      );
      const session = await assume('adm', {
        PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      });
      await session.iam.send(new ListRolesCommand({}));
      const error = await session.iam
        .send(
          new CreatePolicyCommand({
            PolicyName: 'x',
            PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]),
          }),
        )
        .catch((e: unknown) => e);
      expect((error as Error).name).toBe('AccessDenied');
    });

    it('lets an explicit deny win over AdministratorAccess', async () => {
      const { iam } = admin(DEV);
      await iam.send(
        new CreateRoleCommand({ RoleName: 'adm', AssumeRolePolicyDocument: roleTrust }),
      );
      await iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'adm',
          PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: 'adm',
          PolicyName: 'no-roles',
          PolicyDocument: doc([{ Effect: 'Deny', Action: 'iam:CreateRole', Resource: '*' }]),
        }),
      );
      const session = await assume('adm');
      const error = await session.iam
        .send(new CreateRoleCommand({ RoleName: 'escape', AssumeRolePolicyDocument: roleTrust }))
        .catch((e: unknown) => e);
      expect((error as Error).message).toContain(
        'with an explicit deny in an identity-based policy',
      );
    });

    it('evaluates conditions with the request context keys', async () => {
      const { iam } = admin(DEV);
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'tagged',
          AssumeRolePolicyDocument: roleTrust,
          Tags: [{ Key: 'team', Value: 'blue' }],
        }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: 'tagged',
          PolicyName: 'own-team',
          PolicyDocument: doc([
            {
              Effect: 'Allow',
              Action: 'iam:ListRoles',
              Resource: '*',
              Condition: {
                StringEquals: {
                  'aws:PrincipalTag/team': 'blue',
                  'aws:RequestedRegion': 'us-east-1',
                },
              },
            },
            {
              Effect: 'Allow',
              Action: 'iam:GetRole',
              Resource: '*',
              Condition: { DateGreaterThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } },
            },
          ]),
        }),
      );
      const session = await assume('tagged');
      await session.iam.send(new ListRolesCommand({}));
      const { GetRoleCommand } = await import('@aws-sdk/client-iam');
      const error = await session.iam
        .send(new GetRoleCommand({ RoleName: 'tagged' }))
        .catch((e: unknown) => e);
      expect((error as Error).name).toBe('AccessDenied');
    });
  });
});
