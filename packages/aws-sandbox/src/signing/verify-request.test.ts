import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedFetch, signer } from '../../tests/raw-requests.js';
import { clients, MANAGEMENT } from '../../tests/sdk-clients.js';
import { ManualClock } from '../clock.js';
import { startSandbox, type Sandbox } from '../sandbox.js';

describe('signature verification', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
  });
  beforeEach(() => clock.set('2026-03-01T10:00:00Z'));
  afterAll(async () => {
    await sandbox.stop();
  });

  const nameOf = (promise: Promise<unknown>): Promise<string> =>
    promise.then(
      () => 'success',
      (error: unknown) => (error as Error).name,
    );

  it('rejects an unknown access key in each protocol shape', async () => {
    const unknown = { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' };
    const { sts, organizations } = clients(sandbox, unknown, { clock });
    expect(await nameOf(sts.send(new GetCallerIdentityCommand({})))).toBe('InvalidClientTokenId');
    expect(await nameOf(organizations.send(new DescribeOrganizationCommand({})))).toBe(
      'UnrecognizedClientException',
    );
  });

  it('rejects a wrong secret with SignatureDoesNotMatch / InvalidSignatureException', async () => {
    const { accessKeyId } = sandbox.credentialsFor(MANAGEMENT);
    const { sts, organizations } = clients(
      sandbox,
      { accessKeyId, secretAccessKey: 'wrong' },
      { clock },
    );
    expect(await nameOf(sts.send(new GetCallerIdentityCommand({})))).toBe('SignatureDoesNotMatch');
    expect(await nameOf(organizations.send(new DescribeOrganizationCommand({})))).toBe(
      'InvalidSignatureException',
    );
  });

  it('rejects a session token on long-term keys', async () => {
    const { sts } = clients(
      sandbox,
      { ...sandbox.credentialsFor(MANAGEMENT), sessionToken: 'bogus' },
      { clock },
    );
    expect(await nameOf(sts.send(new GetCallerIdentityCommand({})))).toBe('InvalidClientTokenId');
  });

  it('rejects requests signed more than 15 minutes away from the sandbox clock', async () => {
    const { sts, organizations } = clients(sandbox, sandbox.credentialsFor(MANAGEMENT), { clock });
    clock.advance(16 * 60 * 1000);
    expect(await nameOf(sts.send(new GetCallerIdentityCommand({})))).toBe('RequestExpired');
    expect(await nameOf(organizations.send(new DescribeOrganizationCommand({})))).toBe(
      'InvalidSignatureException',
    );
    clock.advance(-32 * 60 * 1000);
    expect(await nameOf(sts.send(new GetCallerIdentityCommand({})))).toBe('RequestExpired');
  });

  it('corrects the SDK clock from the Date header when retries are allowed', async () => {
    const { sts } = clients(sandbox, sandbox.credentialsFor(MANAGEMENT), { clock, maxAttempts: 2 });
    clock.advance(60 * 60 * 1000);
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(MANAGEMENT);
  });

  it('accepts presigned URLs until X-Amz-Expires passes', async () => {
    const url = new URL(sandbox.endpoint);
    const presigned = await signer('sts', sandbox.credentialsFor(MANAGEMENT)).presign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: url.host },
      },
      { signingDate: clock.now(), expiresIn: 60 },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const ok = await fetch(`${sandbox.endpoint}/?${query}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain(`<Arn>arn:aws:iam::${MANAGEMENT}:user/admin</Arn>`);
    const tampered = await fetch(
      `${sandbox.endpoint}/?${query.replace('GetCallerIdentity', 'GetSessionToken')}`,
    );
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    clock.advance(61 * 1000);
    const late = await fetch(`${sandbox.endpoint}/?${query}`);
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('<Code>RequestExpired</Code>');
  });

  it('accepts UNSIGNED-PAYLOAD and rejects a payload hash that does not match the body', async () => {
    const credentials = sandbox.credentialsFor(MANAGEMENT);
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const unsigned = await signedFetch(sandbox, {
      service: 'sts',
      body,
      credentials,
      clock,
      headers: { ...headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect(unsigned.status).toBe(200);
    const mismatch = await signedFetch(sandbox, {
      service: 'sts',
      body,
      credentials,
      clock,
      headers: { ...headers, 'x-amz-content-sha256': '0'.repeat(64) },
    });
    expect(await mismatch.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('asks unsigned requests for authentication', async () => {
    const response = await fetch(sandbox.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('rejects malformed Authorization headers with IncompleteSignature', async () => {
    const response = await fetch(sandbox.endpoint, {
      method: 'POST',
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20260301/us-east-1/sts',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>IncompleteSignature</Code>');
  });
});
