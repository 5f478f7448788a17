import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, DEV, MANAGEMENT } from '../tests/sdk-clients.js';
import { ManualClock } from './clock.js';
import { startSandbox, type Sandbox } from './sandbox.js';

describe('startSandbox', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('listens on a free port and lists the default organization', () => {
    expect(sandbox.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.accounts.map((a) => [a.name, a.role])).toEqual([
      ['management', 'management'],
      ['cicd', 'cicd'],
      ['dev', 'workload'],
      ['staging', 'workload'],
      ['prod', 'workload'],
    ]);
  });

  it('answers GetCallerIdentity for each account admin', async () => {
    for (const id of [MANAGEMENT, DEV]) {
      const { sts } = clients(sandbox, sandbox.credentialsFor(id));
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      expect(identity).toMatchObject({ Account: id, Arn: `arn:aws:iam::${id}:user/admin` });
      expect(identity.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    }
  });
});
