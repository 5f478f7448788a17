import { CreateOpenIDConnectProviderCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import {
  AssumeRoleWithWebIdentityCommand,
  ExpiredTokenException,
  GetCallerIdentityCommand,
  IDPCommunicationErrorException,
  InvalidIdentityTokenException,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../../../tests/oidc-issuer.js';
import { clients, PROD } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';

const ROLE_ARN = `arn:aws:iam::${PROD}:role/stage-deployer`;
const SUB = 'org:acme/pipeline:web/stage:prod';

describe('AssumeRoleWithWebIdentity', () => {
  let sandbox: Sandbox;
  let issuer: TestIssuer;
  let sts: STSClient;
  const clock = new ManualClock('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    issuer = await startTestIssuer();
    sandbox = await startSandbox({ clock });
    sts = new STSClient({ endpoint: sandbox.endpoint, region: 'us-east-1', maxAttempts: 1 });
  });
  beforeEach(async () => {
    sandbox.control.reset();
    clock.set('2026-03-01T10:00:00Z');
    issuer.up = true;
    const { iam } = clients(sandbox, sandbox.credentialsFor(PROD), { clock });
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: issuer.url,
        ClientIDList: ['sts.amazonaws.com'],
      }),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'stage-deployer',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:aws:iam::${PROD}:oidc-provider/${issuer.host}` },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: {
                  [`${issuer.host}:aud`]: 'sts.amazonaws.com',
                  [`${issuer.host}:sub`]: SUB,
                },
              },
            },
          ],
        }),
      }),
    );
  });
  afterAll(async () => {
    await sandbox.stop();
    await issuer.close();
  });

  const assume = (token: string) =>
    sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: 'step-1',
        WebIdentityToken: token,
      }),
    );
  const failure = (token: string): Promise<Error> =>
    assume(token).then(
      () => {
        throw new Error('expected AssumeRoleWithWebIdentity to fail');
      },
      (error: unknown) => error as Error,
    );

  it('exchanges a good token for working role credentials', async () => {
    const result = await assume(await issuer.sign({}, { now: clock.now() }));
    expect(result.SubjectFromWebIdentityToken).toBe(SUB);
    expect(result.Audience).toBe('sts.amazonaws.com');
    expect(result.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${PROD}:assumed-role/stage-deployer/step-1`,
    );
    expect(result.Credentials?.Expiration).toEqual(new Date('2026-03-01T11:00:00Z'));
    const session = clients(
      sandbox,
      {
        accessKeyId: result.Credentials?.AccessKeyId ?? '',
        secretAccessKey: result.Credentials?.SecretAccessKey ?? '',
        sessionToken: result.Credentials?.SessionToken ?? '',
      },
      { clock },
    );
    expect((await session.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      result.AssumedRoleUser?.Arn,
    );
  });

  it('denies a subject the trust policy does not name', async () => {
    const error = await failure(
      await issuer.sign({ sub: 'org:acme/pipeline:web/stage:dev' }, { now: clock.now() }),
    );
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe('Not authorized to perform sts:AssumeRoleWithWebIdentity');
  });

  it('rejects an audience that is not a client id of the provider', async () => {
    const error = await failure(await issuer.sign({ aud: 'someone-else' }, { now: clock.now() }));
    expect(error).toBeInstanceOf(InvalidIdentityTokenException);
    expect(error.message).toBe('Incorrect token audience');
  });

  it('rejects an expired token on the sandbox clock', async () => {
    const token = await issuer.sign({}, { now: clock.now() });
    clock.advance(11 * 60 * 1000);
    expect(await failure(token)).toBeInstanceOf(ExpiredTokenException);
  });

  it('rejects a token not valid yet', async () => {
    const now = Math.floor(clock.now().getTime() / 1000);
    expect(
      await failure(await issuer.sign({ nbf: now + 600 }, { now: clock.now() })),
    ).toBeInstanceOf(InvalidIdentityTokenException);
  });

  it('rejects a forged signature', async () => {
    const error = await failure(await issuer.sign({}, { now: clock.now(), key: 'forged' }));
    expect(error).toBeInstanceOf(InvalidIdentityTokenException);
  });

  it('rejects an issuer with no provider in the role account', async () => {
    const error = await failure(
      await issuer.sign({ iss: 'http://127.0.0.1:1/other' }, { now: clock.now() }),
    );
    expect(error).toBeInstanceOf(InvalidIdentityTokenException);
    expect(error.message).toBe(
      'No OpenIDConnect provider found in your account for http://127.0.0.1:1/other',
    );
  });

  it('rejects a malformed token', async () => {
    expect(await failure('not-a-jwt')).toBeInstanceOf(InvalidIdentityTokenException);
  });

  it('reports an unreachable JWKS as IDPCommunicationError, then caches keys on the sandbox clock', async () => {
    issuer.up = false;
    expect(await failure(await issuer.sign({}, { now: clock.now() }))).toBeInstanceOf(
      IDPCommunicationErrorException,
    );
    issuer.up = true;
    const before = issuer.jwksFetches;
    await assume(await issuer.sign({}, { now: clock.now() }));
    await assume(await issuer.sign({}, { now: clock.now() }));
    expect(issuer.jwksFetches).toBe(before + 1);
    clock.advance(61 * 60 * 1000);
    await assume(await issuer.sign({}, { now: clock.now() }));
    expect(issuer.jwksFetches).toBe(before + 2);
  });
});
