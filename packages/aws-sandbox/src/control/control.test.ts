import { CreateRoleCommand, GetRoleCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clients, DEV } from '../../tests/sdk-clients.js';
import { ManualClock } from '../clock.js';
import { startSandbox, type Sandbox } from '../sandbox.js';
import type { SandboxSnapshot } from './sandbox-control.js';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: 'sts:AssumeRole',
    },
  ],
});

describe('control API and faults', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  const nameOf = (promise: Promise<unknown>): Promise<string> =>
    promise.then(
      () => 'success',
      (error: unknown) => (error as Error).name,
    );

  it('throttles once, the SDK retries, and the log shows both attempts', async () => {
    sandbox.control.injectFault({ service: 'sts', action: 'GetCallerIdentity', kind: 'throttle' });
    const { sts } = clients(sandbox, sandbox.credentialsFor(DEV), { clock, maxAttempts: 3 });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(DEV);
    const log = sandbox.control.requestLog({ service: 'sts', action: 'GetCallerIdentity' });
    expect(log.map((entry) => [entry.status, entry.errorCode])).toEqual([
      [400, 'Throttling'],
      [200, undefined],
    ]);
    expect(log[0]).toMatchObject({
      callerArn: `arn:aws:iam::${DEV}:user/admin`,
      accountId: DEV,
      region: 'us-east-1',
    });
    expect(sandbox.control.faults()).toEqual([]);
  });

  it('uses each protocol’s throttling code and 5xx codes, N times or always', async () => {
    const { sts, organizations } = clients(sandbox, sandbox.credentialsFor(DEV), { clock });
    sandbox.control.injectFault({ service: 'organizations', kind: 'throttle', times: 2 });
    expect(await nameOf(organizations.send(new DescribeOrganizationCommand({})))).toBe(
      'ThrottlingException',
    );
    expect(await nameOf(organizations.send(new DescribeOrganizationCommand({})))).toBe(
      'ThrottlingException',
    );
    expect(await nameOf(organizations.send(new DescribeOrganizationCommand({})))).toBe('success');

    const fault = sandbox.control.injectFault({
      service: 'sts',
      kind: 'internal-error',
      times: 'always',
    });
    for (let i = 0; i < 3; i += 1) {
      expect(await nameOf(sts.send(new GetCallerIdentityCommand({})))).toBe('InternalFailure');
    }
    sandbox.control.clearFaults(fault.id);
    sandbox.control.injectFault({ service: 'sts', kind: 'unavailable', accountId: '999999999999' });
    expect(await nameOf(sts.send(new GetCallerIdentityCommand({})))).toBe('success');
    sandbox.control.clearFaults();
    sandbox.control.injectFault({ service: 'sts', kind: 'unavailable' });
    expect(await nameOf(sts.send(new GetCallerIdentityCommand({})))).toBe('ServiceUnavailable');
    const statuses = sandbox.control.requestLog({ service: 'sts' }).map((entry) => entry.status);
    expect(statuses).toEqual([500, 500, 500, 200, 503]);
  });

  it('adds latency without failing the call', async () => {
    sandbox.control.injectFault({ service: 'sts', kind: 'latency', latencyMs: 5 });
    const { sts } = clients(sandbox, sandbox.credentialsFor(DEV), { clock });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(DEV);
    expect(sandbox.control.faults()).toEqual([]);
  });

  it('restores a snapshot', async () => {
    const { iam } = clients(sandbox, sandbox.credentialsFor(DEV), { clock });
    await iam.send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: TRUST }));
    const snapshot = JSON.parse(JSON.stringify(sandbox.control.snapshot())) as SandboxSnapshot;
    await iam.send(new CreateRoleCommand({ RoleName: 'dropped', AssumeRolePolicyDocument: TRUST }));
    sandbox.control.restore(snapshot);
    expect((await iam.send(new GetRoleCommand({ RoleName: 'kept' }))).Role?.RoleName).toBe('kept');
    await expect(iam.send(new GetRoleCommand({ RoleName: 'dropped' }))).rejects.toBeInstanceOf(
      NoSuchEntityException,
    );
    expect(() =>
      sandbox.control.restore({ format: 'other' } as unknown as SandboxSnapshot),
    ).toThrow(/not a sandbox snapshot/);
  });

  it('creates accounts that can be used at once', async () => {
    const account = sandbox.control.createAccount({ name: 'sandbox-pr-42' });
    expect(account).toMatchObject({ id: '555555555556', role: 'workload' });
    const { sts } = clients(sandbox, account.credentials, { clock });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(account.id);
    expect(() => sandbox.control.createAccount({ id: '12', name: 'bad' })).toThrow(/12 digits/);
  });

  it('serves the same operations over HTTP on loopback', async () => {
    const base = `${sandbox.endpoint}/_sandbox`;
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ ok: true });
    const created = await fetch(`${base}/accounts`, {
      method: 'POST',
      body: JSON.stringify({ name: 'extra', id: '777777777777' }),
    });
    expect(created.status).toBe(201);
    const accounts = (await (await fetch(`${base}/accounts`)).json()) as { id: string }[];
    expect(accounts.map((a) => a.id)).toContain('777777777777');

    const fault = await fetch(`${base}/faults`, {
      method: 'POST',
      body: JSON.stringify({ service: 'sts', kind: 'throttle', times: 'always' }),
    });
    const { id } = (await fault.json()) as { id: string };
    expect(((await (await fetch(`${base}/faults`)).json()) as unknown[]).length).toBe(1);
    await fetch(`${base}/faults/${id}`, { method: 'DELETE' });
    expect(await (await fetch(`${base}/faults`)).json()).toEqual([]);

    const { sts } = clients(sandbox, sandbox.credentialsFor(DEV), { clock });
    await sts.send(new GetCallerIdentityCommand({}));
    const log = (await (await fetch(`${base}/requests?service=sts`)).json()) as {
      action: string;
    }[];
    expect(log.map((entry) => entry.action)).toEqual(['GetCallerIdentity']);

    const snapshot = await (await fetch(`${base}/snapshot`)).text();
    await fetch(`${base}/reset`, { method: 'POST' });
    expect(sandbox.control.accounts().map((a) => a.id)).not.toContain('777777777777');
    expect((await fetch(`${base}/restore`, { method: 'POST', body: snapshot })).status).toBe(200);
    expect(sandbox.control.accounts().map((a) => a.id)).toContain('777777777777');

    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const bad = await fetch(`${base}/faults`, {
      method: 'POST',
      body: '{"service":"sts","kind":"throttle","times":0}',
    });
    expect(bad.status).toBe(400);
  });
});
