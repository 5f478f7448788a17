import { ListInvalidationsCommand } from '@aws-sdk/client-cloudfront';
import { AwsClientFactory } from '@rampart/aws';
import { ManualClock, startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalogStatements, scopedCredentials } from '../test-support/scoped-role.js';
import {
  TEST_TARGET,
  parseParams,
  stepContext,
  type HarnessOptions,
} from '../test-support/step-context.js';
import { createCloudFrontInvalidateExecutor } from './cloudfront-invalidate-executor.js';
import { cloudFrontInvalidateParams } from './cloudfront-params.js';

const STAGING = '444444444444';

describe('CLOUDFRONT:INVALIDATE against the sandbox', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let sdk: AwsClientFactory;
  let site: string;
  let other: string;
  let sleeps = 0;
  const executor = () =>
    createCloudFrontInvalidateExecutor({
      sdk,
      poller: {
        intervalMs: 10_000,
        sleep: (ms) => {
          sleeps += 1;
          clock.advance(ms);
          return Promise.resolve();
        },
      },
    });
  const run = async (raw: Record<string, unknown>, options: HarnessOptions = {}) => {
    const credentials = await scopedCredentials(
      sandbox,
      sdk,
      STAGING,
      catalogStatements('RAMPART:CLOUDFRONT:INVALIDATE', raw, STAGING, 'eu-west-1'),
    );
    const h = stepContext(parseParams(cloudFrontInvalidateParams, raw), {
      target: { ...TEST_TARGET, accountId: STAGING, region: 'eu-west-1' },
      credentials,
      now: () => clock.now(),
      ...options,
    });
    return { ...h, credentials, outcome: await executor().execute(h.ctx) };
  };
  const invalidations = async (id: string) =>
    (
      await sdk
        .cloudFront({ region: 'us-east-1', credentials: sandbox.credentialsFor(STAGING) })
        .send(new ListInvalidationsCommand({ DistributionId: id }))
    ).InvalidationList?.Items ?? [];

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, clock, maxAttempts: 1 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(() => {
    sandbox.control.reset();
    sleeps = 0;
    site = sandbox.control.createDistribution({ accountId: STAGING }).id;
    other = sandbox.control.createDistribution({ accountId: STAGING }).id;
  });

  it('invalidates the paths and waits until CloudFront completes, once per attempt', async () => {
    const first = await run({ distribution_id: site, paths: ['/index.html', '/assets/*'] });
    const id =
      first.outcome.kind === 'succeeded'
        ? (first.outcome.outputs['invalidation_id'] as string)
        : '';
    expect(first.outcome).toEqual({ kind: 'succeeded', outputs: { invalidation_id: id } });
    expect(id).toMatch(/^I[A-Z0-9]+$/);
    // The sandbox completes an invalidation 60 s after it was created.
    expect(sleeps).toBe(6);
    expect(first.logs.map((l) => l.text)).toEqual([
      `cloudfront: invalidating /index.html /assets/* in ${site} (${id})`,
      `cloudfront: invalidation ${id} of 2 path(s) completed`,
    ]);
    // A re-run of the attempt that lost its journal gets the same invalidation back.
    const again = await run({ distribution_id: site, paths: ['/index.html', '/assets/*'] });
    expect(again.outcome).toEqual(first.outcome);
    expect((await invalidations(site)).map((i) => i.Id)).toEqual([id]);
    // Another attempt is another invalidation; paths default to everything.
    const next = await run({ distribution_id: site }, { journalKey: 'pl-1:8/0/r1/s0/c1' });
    expect(next.outcome.kind).toBe('succeeded');
    expect(await invalidations(site)).toHaveLength(2);
  });

  it('is denied another distribution, fails on a missing one, and refuses bad paths', async () => {
    const { credentials } = await run({ distribution_id: site });
    const h = stepContext(parseParams(cloudFrontInvalidateParams, { distribution_id: other }), {
      target: { ...TEST_TARGET, accountId: STAGING },
      credentials,
      now: () => clock.now(),
    });
    const denied = await executor().execute(h.ctx);
    expect(denied.kind === 'failed' && denied.message).toMatch(
      /^AccessDenied: .*cloudfront:CreateInvalidation/,
    );
    expect(await invalidations(other)).toEqual([]);

    const missing = await run({ distribution_id: 'E0000000000000' });
    expect(missing.outcome).toEqual({
      kind: 'failed',
      code: 'not-found',
      message: `distribution E0000000000000 does not exist in account ${STAGING}: check distribution_id`,
    });
    const parsed = cloudFrontInvalidateParams.safeParse({
      distribution_id: site,
      paths: ['index.html'],
    });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual([
      'paths.0',
    ]);
    expect(
      executor().iamActions(parseParams(cloudFrontInvalidateParams, { distribution_id: site })),
    ).toEqual(['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']);
  });
});
