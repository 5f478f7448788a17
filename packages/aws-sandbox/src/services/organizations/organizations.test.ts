import {
  AccessDeniedException,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, DEV, MANAGEMENT } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';

describe('Organizations', () => {
  let sandbox: Sandbox;
  const clock = new ManualClock('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('describes the organization from any member account', async () => {
    const { organizations } = clients(sandbox, sandbox.credentialsFor(DEV), { clock });
    const { Organization } = await organizations.send(new DescribeOrganizationCommand({}));
    expect(Organization).toMatchObject({ MasterAccountId: MANAGEMENT, FeatureSet: 'ALL' });
    expect(Organization?.Id).toMatch(/^o-[a-z]{10}$/);
  });

  it('lists accounts page by page from the management account', async () => {
    const { organizations } = clients(sandbox, sandbox.credentialsFor(MANAGEMENT), { clock });
    const first = await organizations.send(new ListAccountsCommand({ MaxResults: 2 }));
    expect(first.Accounts?.map((a) => a.Name)).toEqual(['management', 'cicd']);
    expect(first.NextToken).toBeDefined();
    const all = [];
    for await (const page of paginateListAccounts({ client: organizations, pageSize: 2 }, {})) {
      all.push(...(page.Accounts ?? []));
    }
    expect(all.map((a) => a.Id)).toEqual(sandbox.accounts.map((a) => a.id));
    expect(all[2]).toMatchObject({
      Name: 'dev',
      Status: 'ACTIVE',
      JoinedTimestamp: new Date('2026-03-01T10:00:00Z'),
    });
    const bad = await organizations
      .send(new ListAccountsCommand({ NextToken: 'garbage' }))
      .catch((e: unknown) => e);
    expect((bad as Error).name).toBe('InvalidInputException');
  });

  it('refuses ListAccounts outside the management account', async () => {
    const { organizations } = clients(sandbox, sandbox.credentialsFor(DEV), { clock });
    await expect(organizations.send(new ListAccountsCommand({}))).rejects.toBeInstanceOf(
      AccessDeniedException,
    );
  });
});
