import { connect } from 'node:net';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  GetUserCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedFetch } from '../../tests/raw-requests.js';
import { clients, DEV, PROD } from '../../tests/sdk-clients.js';
import { ManualClock } from '../clock.js';
import { jsonProtocol } from '../protocols/json-protocol.js';
import { startSandbox, type Sandbox } from '../sandbox.js';
import { AwsError } from './aws-error.js';
import type { ActionContext, ServiceDefinition } from './service.js';

/** A toy service on the framework: secrets with resource policies, cross-account by ARN. */
interface VaultState {
  secrets: Record<string, { value: string; policy?: string }>;
}
const vaultState = (ctx: ActionContext, accountId?: string): VaultState =>
  ctx.state<VaultState>(() => ({ secrets: {} }), accountId !== undefined ? { accountId } : {});
const secretArn = (account: string, name: string): string =>
  `arn:aws:secretsmanager:us-east-1:${account}:secret:${name}-AbCdEf`;
const ownerOf = (arn: string): string => arn.split(':')[4] ?? '';
const nameOf = (arn: string): string => (arn.split(':')[6] ?? '').replace(/-AbCdEf$/, '');

const vault: ServiceDefinition = {
  name: 'vault',
  // Unsigned requests with this header are anonymous calls (as S3 serves public buckets).
  claimsUnsigned: (request) => request.headers['x-vault-anonymous'] !== undefined,
  iamPrefix: 'secretsmanager',
  protocol: jsonProtocol({ targetPrefix: 'Vault' }),
  actions: {
    Put: {
      iamAction: 'secretsmanager:CreateSecret',
      resources: (ctx) => [secretArn(ctx.accountId, ctx.input.reqStr('Name'))],
      handler: (ctx) => {
        vaultState(ctx).secrets[ctx.input.reqStr('Name')] = { value: ctx.input.reqStr('Value') };
        return { ARN: secretArn(ctx.accountId, ctx.input.reqStr('Name')) };
      },
    },
    PutPolicy: {
      iamAction: 'secretsmanager:PutResourcePolicy',
      resources: (ctx) => [ctx.input.reqStr('Arn')],
      handler: (ctx) => {
        const secret = vaultState(ctx).secrets[nameOf(ctx.input.reqStr('Arn'))];
        if (!secret) throw new AwsError('ResourceNotFoundException', 'no such secret');
        secret.policy = ctx.input.reqStr('Policy');
        return {};
      },
    },
    Get: {
      iamAction: 'secretsmanager:GetSecretValue',
      resources: (ctx) => {
        const arn = ctx.input.reqStr('Arn');
        const policy = vaultState(ctx, ownerOf(arn)).secrets[nameOf(arn)]?.policy;
        return [
          {
            arn,
            ...(policy !== undefined ? { resourcePolicy: JSON.parse(policy) as unknown } : {}),
          },
        ];
      },
      handler: (ctx) => {
        const arn = ctx.input.reqStr('Arn');
        const secret = vaultState(ctx, ownerOf(arn)).secrets[nameOf(arn)];
        if (!secret) throw new AwsError('ResourceNotFoundException', 'no such secret');
        return { Value: secret.value, Fetched: ctx.clock.now() };
      },
    },
    Link: {
      iamAction: 'secretsmanager:TagResource',
      resources: (ctx) => [ctx.input.reqStr('Arn')],
      handler: async (ctx) => {
        // Like CloudFormation or Lambda: the caller must be allowed to pass the role on.
        await ctx.authorize('iam:PassRole', ctx.input.reqStr('RoleArn'), {
          'iam:PassedToService': 'lambda.amazonaws.com',
        });
        return { Linked: true };
      },
    },
    MakeRole: {
      auth: 'signature-only',
      // Like CloudFormation: create a resource in another service, with the caller's permissions.
      handler: async (ctx) => {
        const output = (await ctx.invoke('iam', 'CreateRole', {
          RoleName: ctx.input.reqStr('RoleName'),
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'lambda.amazonaws.com' },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
          Tags: [{ Key: 'made-by', Value: 'vault' }],
        })) as { Role: { Arn: string } };
        return { Arn: output.Role.Arn };
      },
    },
    Boom: {
      auth: 'signature-only',
      handler: () => {
        throw new Error('handler bug');
      },
    },
  },
};

describe('the dispatcher', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, extraServices: [vault] });
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  const call = (account: string, action: string, input: unknown): Promise<Response> =>
    signedFetch(sandbox, {
      service: 'vault',
      credentials: sandbox.credentialsFor(account),
      clock,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Vault.${action}` },
      body: typeof input === 'string' ? input : JSON.stringify(input),
    });

  describe('a service built on the framework', () => {
    it('keeps per-account state and renders JSON with epoch-second timestamps', async () => {
      const put = await call(DEV, 'Put', { Name: 'db', Value: 's3cret' });
      expect(put.status).toBe(200);
      const got = await call(DEV, 'Get', { Arn: secretArn(DEV, 'db') });
      expect(await got.json()).toEqual({ Value: 's3cret', Fetched: 1772359200 });
    });

    it('needs a resource policy for cross-account access, and both sides must allow', async () => {
      await call(DEV, 'Put', { Name: 'shared', Value: 'v' });
      const denied = await call(PROD, 'Get', { Arn: secretArn(DEV, 'shared') });
      expect(denied.status).toBe(400);
      expect(denied.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
      const body = (await denied.json()) as { __type: string; message: string };
      expect(body.message).toBe(
        `User: arn:aws:iam::${PROD}:user/admin is not authorized to perform: secretsmanager:GetSecretValue on resource: ` +
          `${secretArn(DEV, 'shared')} because no resource-based policy allows the secretsmanager:GetSecretValue action`,
      );
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${PROD}:root` },
            Action: 'secretsmanager:GetSecretValue',
            Resource: '*',
          },
        ],
      };
      await call(DEV, 'PutPolicy', {
        Arn: secretArn(DEV, 'shared'),
        Policy: JSON.stringify(policy),
      });
      const allowed = await call(PROD, 'Get', { Arn: secretArn(DEV, 'shared') });
      expect(((await allowed.json()) as { Value: string }).Value).toBe('v');
    });
  });

  it('authorizes extra actions from inside a handler with ctx.authorize', async () => {
    const { iam, sts } = clients(sandbox, sandbox.credentialsFor(DEV), { clock });
    const doc = (statements: object[]): string =>
      JSON.stringify({ Version: '2012-10-17', Statement: statements });
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'linker',
        AssumeRolePolicyDocument: doc([
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${DEV}:root` },
            Action: 'sts:AssumeRole',
          },
        ]),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'linker',
        PolicyName: 'p',
        PolicyDocument: doc([
          { Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' },
          {
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: '*',
            Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
          },
        ]),
      }),
    );
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${DEV}:role/linker`,
        RoleSessionName: 'link',
      }),
    );
    const session = {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      sessionToken: assumed.Credentials?.SessionToken ?? '',
    };
    const input = { Arn: secretArn(DEV, 'x'), RoleArn: `arn:aws:iam::${DEV}:role/linker` };
    const viaAdmin = await call(DEV, 'Link', input);
    expect(await viaAdmin.json()).toEqual({ Linked: true });
    const viaSession = await signedFetch(sandbox, {
      service: 'vault',
      credentials: session,
      clock,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Vault.Link' },
      body: JSON.stringify(input),
    });
    const denied = (await viaSession.json()) as { __type: string; message: string };
    expect(denied.__type).toBe('AccessDeniedException');
    expect(denied.message).toContain(
      'is not authorized to perform: iam:PassRole on resource: arn:aws:iam::',
    );
  });

  it('invokes other services in-process with the caller’s permissions', async () => {
    const made = await call(DEV, 'MakeRole', { RoleName: 'from-vault' });
    expect(await made.json()).toEqual({ Arn: `arn:aws:iam::${DEV}:role/from-vault` });
    const { iam } = clients(sandbox, sandbox.credentialsFor(DEV), { clock });
    const role = await iam.send(new GetRoleCommand({ RoleName: 'from-vault' }));
    expect(role.Role?.Tags).toEqual([{ Key: 'made-by', Value: 'vault' }]);
    const duplicate = await call(DEV, 'MakeRole', { RoleName: 'from-vault' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('x-amzn-errortype')).toBe('EntityAlreadyExists');
  });

  it('answers GetCallerIdentity under an explicit deny of everything, as AWS does', async () => {
    // sts:GetCallerIdentity needs no permission (auth: 'signature-only'); the same caller's other
    // calls are still authorized, and a bad signature is still refused.
    const admin = clients(sandbox, sandbox.credentialsFor(DEV), { clock });
    await admin.iam.send(new CreateUserCommand({ UserName: 'denied' }));
    await admin.iam.send(
      new PutUserPolicyCommand({
        UserName: 'denied',
        PolicyName: 'deny-all',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
        }),
      }),
    );
    const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: 'denied' }));
    const key = {
      accessKeyId: AccessKey?.AccessKeyId ?? '',
      secretAccessKey: AccessKey?.SecretAccessKey ?? '',
    };
    const denied = clients(sandbox, key, { clock });
    expect((await denied.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:iam::${DEV}:user/denied`,
    );
    const getUser = await denied.iam.send(new GetUserCommand({})).catch((e: unknown) => e);
    expect((getUser as Error).name).toBe('AccessDenied');
    expect((getUser as Error).message).toContain(
      'with an explicit deny in an identity-based policy',
    );
    const forged = clients(sandbox, { ...key, secretAccessKey: 'wrong' }, { clock });
    const refused = await forged.sts
      .send(new GetCallerIdentityCommand({}))
      .catch((e: unknown) => e);
    expect((refused as Error).name).toBe('SignatureDoesNotMatch');
  });

  it('authorizes claimed unsigned requests as anonymous against the resource policy only', async () => {
    await call(DEV, 'Put', { Name: 'public', Value: 'hello' });
    const anonymous = () =>
      fetch(sandbox.endpoint, {
        method: 'POST',
        headers: {
          'x-amz-target': 'Vault.Get',
          'x-vault-anonymous': '1',
          'content-type': 'application/x-amz-json-1.1',
        },
        body: JSON.stringify({ Arn: secretArn(DEV, 'public') }),
      });
    expect((await anonymous()).headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' },
      ],
    };
    await call(DEV, 'PutPolicy', { Arn: secretArn(DEV, 'public'), Policy: JSON.stringify(policy) });
    const allowed = await anonymous();
    expect(((await allowed.json()) as { Value: string }).Value).toBe('hello');
    const log = sandbox.control.requestLog({ service: 'vault', action: 'Get' });
    expect(log.at(-1)?.callerArn).toBe('anonymous');
  });

  describe('bad input', () => {
    it('answers malformed JSON with SerializationException', async () => {
      const response = await call(DEV, 'Put', '{"Name": ');
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
      expect(((await response.json()) as { __type: string }).__type).toBe('SerializationException');
    });

    it('answers a missing parameter with ValidationException', async () => {
      const response = await call(DEV, 'Put', { Name: 'x' });
      expect((await response.json()) as { __type: string; message: string }).toEqual({
        __type: 'ValidationException',
        message: 'The request must contain the parameter Value',
      });
    });

    it('answers unknown operations in each protocol', async () => {
      const json = await call(DEV, 'Nope', {});
      expect(json.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
      const query = await signedFetch(sandbox, {
        service: 'iam',
        credentials: sandbox.credentialsFor(DEV),
        clock,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=MakeCoffee&Version=2010-05-08',
      });
      expect(query.status).toBe(400);
      const text = await query.text();
      expect(text).toMatch(
        /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>Could not find operation MakeCoffee/,
      );
      expect(text).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
    });

    it('turns a handler bug into InternalFailure (500)', async () => {
      const response = await call(DEV, 'Boom', {});
      expect(response.status).toBe(500);
      expect((await response.json()) as { __type: string; message: string }).toEqual({
        __type: 'InternalFailure',
        message: 'Sandbox internal error: handler bug',
      });
    });

    it('refuses bodies over 10 MiB with 413 and keeps serving', async () => {
      const response = await call(DEV, 'Put', { Name: 'big', Value: 'x'.repeat(10 * 1024 * 1024) });
      expect(response.status).toBe(413);
      expect(response.headers.get('x-amzn-errortype')).toBe('RequestEntityTooLargeException');
      const { sts } = clients(sandbox, sandbox.credentialsFor(DEV), { clock });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(DEV);
    });

    it('survives garbage on the socket', async () => {
      const { port, hostname } = new URL(sandbox.endpoint);
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), hostname, () => {
          socket.end(Buffer.from([0, 1, 2, 255, 13, 10, 13, 10, 71, 69, 84]));
        });
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.resume();
      });
      const { sts } = clients(sandbox, sandbox.credentialsFor(DEV), { clock });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(DEV);
    });

    it('answers requests for services it does not emulate', async () => {
      const response = await signedFetch(sandbox, {
        service: 'dynamodb',
        credentials: sandbox.credentialsFor(DEV),
        clock,
        body: '{}',
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(
        'The sandbox does not emulate the service &quot;dynamodb&quot;',
      );
    });
  });
});
