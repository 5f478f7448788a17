import {
  AccessDenied,
  BatchTooLarge,
  CloudFrontClient,
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetInvalidationCommand,
  InconsistentQuantities,
  InvalidArgument,
  ListDistributionsCommand,
  ListInvalidationsCommand,
  NoSuchDistribution,
  NoSuchInvalidation,
  TooManyInvalidationsInProgress,
} from '@aws-sdk/client-cloudfront';
import { IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig, DEV, STAGING, type TestCredentials } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { signedFetch } from '../../../tests/raw-requests.js';
import { userWithPolicy } from '../cloudformation/test-support/cfn-sandbox.js';

const START = '2026-03-01T10:00:00Z';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('CloudFront', () => {
  const clock = new ManualClock(START);
  let sandbox: Sandbox;
  let cloudfront: CloudFrontClient;
  const client = (credentials: TestCredentials): CloudFrontClient =>
    new CloudFrontClient(clientConfig(sandbox, credentials, { clock }));

  beforeAll(async () => {
    sandbox = await startSandbox({
      clock,
      tickIntervalMs: 0,
      delays: { 'cloudfront.invalidation': 30_000 },
    });
    cloudfront = client(sandbox.credentialsFor(DEV));
  });
  beforeEach(() => {
    sandbox.control.reset();
    clock.set(START);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const invalidate = (
    id: string,
    paths: string[],
    callerReference = 'ref-1',
    quantity = paths.length,
  ) =>
    cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId: id,
        InvalidationBatch: {
          CallerReference: callerReference,
          Paths: { Quantity: quantity, Items: paths },
        },
      }),
    );

  describe('distributions', () => {
    it('are created through the control API and read with GetDistribution', async () => {
      const created = sandbox.control.createDistribution({
        accountId: DEV,
        comment: 'site',
        origins: [{ id: 'site-bucket', domainName: 'site.s3.us-east-1.amazonaws.com' }],
      });
      expect(created.id).toMatch(/^E[A-Z0-9]{13}$/);
      expect(created.arn).toBe(`arn:aws:cloudfront::${DEV}:distribution/${created.id}`);
      expect(created.domainName).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
      const { Distribution, ETag } = await cloudfront.send(
        new GetDistributionCommand({ Id: created.id }),
      );
      expect(ETag).toMatch(/^E[A-Z0-9]{13}$/);
      expect(Distribution).toMatchObject({
        Id: created.id,
        ARN: created.arn,
        Status: 'Deployed',
        DomainName: created.domainName,
        LastModifiedTime: new Date(START),
        InProgressInvalidationBatches: 0,
        DistributionConfig: {
          Comment: 'site',
          Enabled: true,
          Origins: {
            Quantity: 1,
            Items: [
              {
                Id: 'site-bucket',
                DomainName: 'site.s3.us-east-1.amazonaws.com',
                S3OriginConfig: { OriginAccessIdentity: '' },
              },
            ],
          },
          DefaultCacheBehavior: {
            TargetOriginId: 'site-bucket',
            ViewerProtocolPolicy: 'redirect-to-https',
          },
        },
      });
    });

    it('lists the account’s distributions page by page', async () => {
      const a = sandbox.control.createDistribution({
        accountId: DEV,
        domainName: 'a.cloudfront.net',
      });
      const b = sandbox.control.createDistribution({ accountId: DEV });
      sandbox.control.createDistribution({ accountId: STAGING });
      const all = await cloudfront.send(new ListDistributionsCommand({}));
      expect(all.DistributionList).toMatchObject({
        Quantity: 2,
        IsTruncated: false,
        MaxItems: 100,
      });
      expect(all.DistributionList?.Items?.map((d) => d.Id)).toEqual([a.id, b.id]);
      expect(all.DistributionList?.Items?.[0]).toMatchObject({
        ARN: a.arn,
        DomainName: 'a.cloudfront.net',
        Origins: { Quantity: 1, Items: [{ DomainName: 'origin.sandbox.invalid' }] },
      });
      const first = await cloudfront.send(new ListDistributionsCommand({ MaxItems: 1 }));
      expect(first.DistributionList).toMatchObject({
        IsTruncated: true,
        NextMarker: a.id,
        Quantity: 1,
      });
      const second = await cloudfront.send(
        new ListDistributionsCommand({ MaxItems: 1, Marker: first.DistributionList?.NextMarker }),
      );
      expect(second.DistributionList?.Items?.map((d) => d.Id)).toEqual([b.id]);
      expect(second.DistributionList?.IsTruncated).toBe(false);
      const other = client(sandbox.credentialsFor(STAGING));
      expect((await other.send(new ListDistributionsCommand({}))).DistributionList?.Quantity).toBe(
        1,
      );
    });

    it('answers NoSuchDistribution for unknown ids and other accounts’ distributions', async () => {
      const theirs = sandbox.control.createDistribution({ accountId: STAGING });
      const unknown = await rejection(
        cloudfront.send(new GetDistributionCommand({ Id: 'E000000000000' })),
      );
      expect(unknown).toBeInstanceOf(NoSuchDistribution);
      expect(unknown.message).toBe('The specified distribution does not exist.');
      expect(
        await rejection(cloudfront.send(new GetDistributionCommand({ Id: theirs.id }))),
      ).toBeInstanceOf(NoSuchDistribution);
      expect(await rejection(invalidate(theirs.id, ['/x']))).toBeInstanceOf(NoSuchDistribution);
    });

    it('refuses bad control input', () => {
      expect(() => sandbox.control.createDistribution({ accountId: '999999999999' })).toThrow(
        /unknown account/,
      );
      expect(() => sandbox.control.createDistribution({ accountId: DEV, origins: [] })).toThrow(
        /origin/,
      );
    });
  });

  describe('invalidations', () => {
    it('move from InProgress to Completed after the emulated delay', async () => {
      const { id } = sandbox.control.createDistribution({ accountId: DEV });
      const created = await invalidate(id, ['/index.html', '/assets/*']);
      expect(created.Location).toBe(
        `https://cloudfront.amazonaws.com/2020-05-31/distribution/${id}/invalidation/${created.Invalidation?.Id ?? ''}`,
      );
      expect(created.Invalidation).toMatchObject({
        Status: 'InProgress',
        CreateTime: new Date(START),
        InvalidationBatch: {
          CallerReference: 'ref-1',
          Paths: { Quantity: 2, Items: ['/index.html', '/assets/*'] },
        },
      });
      const invalidationId = created.Invalidation?.Id ?? '';
      expect(invalidationId).toMatch(/^I[A-Z0-9]{25}$/);
      const distribution = await cloudfront.send(new GetDistributionCommand({ Id: id }));
      expect(distribution.Distribution?.InProgressInvalidationBatches).toBe(1);

      clock.advance(29_999);
      const later = client(sandbox.credentialsFor(DEV));
      const pending = await later.send(
        new GetInvalidationCommand({ DistributionId: id, Id: invalidationId }),
      );
      expect(pending.Invalidation?.Status).toBe('InProgress');
      clock.advance(1);
      const done = await later.send(
        new GetInvalidationCommand({ DistributionId: id, Id: invalidationId }),
      );
      expect(done.Invalidation?.Status).toBe('Completed');
      expect(done.Invalidation?.InvalidationBatch?.Paths?.Items).toEqual([
        '/index.html',
        '/assets/*',
      ]);
    });

    it('returns the same invalidation for a repeated CallerReference with the same paths', async () => {
      const { id } = sandbox.control.createDistribution({ accountId: DEV });
      const first = await invalidate(id, ['/a', '/b']);
      const again = await invalidate(id, ['/b', '/a']);
      expect(again.Invalidation?.Id).toBe(first.Invalidation?.Id);
      const conflict = await rejection(invalidate(id, ['/c']));
      expect(conflict.name).toBe('InvalidationBatchAlreadyExists');
      const listed = await cloudfront.send(new ListInvalidationsCommand({ DistributionId: id }));
      expect(listed.InvalidationList?.Quantity).toBe(1);
    });

    it('lists invalidations newest first with markers', async () => {
      const { id } = sandbox.control.createDistribution({ accountId: DEV });
      const ids: string[] = [];
      for (const ref of ['r1', 'r2', 'r3']) {
        ids.push((await invalidate(id, [`/${ref}`], ref)).Invalidation?.Id ?? '');
      }
      const first = await cloudfront.send(
        new ListInvalidationsCommand({ DistributionId: id, MaxItems: 2 }),
      );
      expect(first.InvalidationList).toMatchObject({ IsTruncated: true, Quantity: 2, MaxItems: 2 });
      expect(first.InvalidationList?.Items?.map((i) => i.Id)).toEqual([ids[2], ids[1]]);
      expect(first.InvalidationList?.Items?.[0]).toMatchObject({
        Status: 'InProgress',
        CreateTime: new Date(START),
      });
      const rest = await cloudfront.send(
        new ListInvalidationsCommand({
          DistributionId: id,
          MaxItems: 2,
          Marker: first.InvalidationList?.NextMarker,
        }),
      );
      expect(rest.InvalidationList?.Items?.map((i) => i.Id)).toEqual([ids[0]]);
      expect(rest.InvalidationList?.IsTruncated).toBe(false);
      const empty = sandbox.control.createDistribution({ accountId: DEV });
      const none = await cloudfront.send(
        new ListInvalidationsCommand({ DistributionId: empty.id }),
      );
      expect(none.InvalidationList).toMatchObject({ Quantity: 0, IsTruncated: false });
    });

    it('answers bad invalidation requests with the real exceptions', async () => {
      const { id } = sandbox.control.createDistribution({ accountId: DEV });
      expect(await rejection(invalidate(id, ['no-slash']))).toBeInstanceOf(InvalidArgument);
      expect(await rejection(invalidate(id, ['/a*b']))).toBeInstanceOf(InvalidArgument);
      expect(await rejection(invalidate(id, []))).toBeInstanceOf(InvalidArgument);
      expect(await rejection(invalidate(id, ['/a'], 'ref-q', 2))).toBeInstanceOf(
        InconsistentQuantities,
      );
      const many = Array.from({ length: 3001 }, (_, i) => `/f${i}`);
      expect(await rejection(invalidate(id, many))).toBeInstanceOf(BatchTooLarge);
      for (let i = 0; i < 15; i += 1) await invalidate(id, [`/dir${i}/*`], `wild-${i}`);
      expect(await rejection(invalidate(id, ['/more/*'], 'wild-16'))).toBeInstanceOf(
        TooManyInvalidationsInProgress,
      );
      const missing = await rejection(
        cloudfront.send(new GetInvalidationCommand({ DistributionId: id, Id: 'INOPE' })),
      );
      expect(missing).toBeInstanceOf(NoSuchInvalidation);
      expect(
        await rejection(
          cloudfront.send(new ListInvalidationsCommand({ DistributionId: id, Marker: 'nope' })),
        ),
      ).toBeInstanceOf(InvalidArgument);
    });
  });

  describe('wire format', () => {
    it('answers errors in the ErrorResponse document and malformed bodies with MalformedInput', async () => {
      const missing = await signedFetch(sandbox, {
        service: 'cloudfront',
        method: 'GET',
        path: '/2020-05-31/distribution/E000000000000',
        credentials: sandbox.credentialsFor(DEV),
        clock,
      });
      expect(missing.status).toBe(404);
      expect(await missing.text()).toMatch(
        /^<\?xml version="1\.0"\?>\n<ErrorResponse xmlns="http:\/\/cloudfront\.amazonaws\.com\/doc\/2020-05-31\/"><Error><Type>Sender<\/Type><Code>NoSuchDistribution<\/Code><Message>The specified distribution does not exist\.<\/Message><\/Error><RequestId>[0-9a-f-]+<\/RequestId><\/ErrorResponse>$/,
      );
      const { id } = sandbox.control.createDistribution({ accountId: DEV });
      const malformed = await signedFetch(sandbox, {
        service: 'cloudfront',
        method: 'POST',
        path: `/2020-05-31/distribution/${id}/invalidation`,
        body: '<InvalidationBatch><Paths>',
        credentials: sandbox.credentialsFor(DEV),
        clock,
      });
      expect(malformed.status).toBe(400);
      expect(await malformed.text()).toContain('<Code>MalformedInput</Code>');
      const empty = await signedFetch(sandbox, {
        service: 'cloudfront',
        method: 'POST',
        path: `/2020-05-31/distribution/${id}/invalidation`,
        credentials: sandbox.credentialsFor(DEV),
        clock,
      });
      expect(await empty.text()).toContain('<Code>MissingBody</Code>');
    });

    it('creates distributions through POST /_sandbox/distributions', async () => {
      const response = await fetch(`${sandbox.endpoint}/_sandbox/distributions`, {
        method: 'POST',
        body: JSON.stringify({ accountId: DEV, domainName: 'cdn.cloudfront.net', comment: 'http' }),
      });
      expect(response.status).toBe(201);
      const created = (await response.json()) as { id: string; arn: string; domainName: string };
      expect(created.domainName).toBe('cdn.cloudfront.net');
      const { Distribution } = await cloudfront.send(
        new GetDistributionCommand({ Id: created.id }),
      );
      expect(Distribution?.DistributionConfig?.Comment).toBe('http');
      const bad = await fetch(`${sandbox.endpoint}/_sandbox/distributions`, {
        method: 'POST',
        body: JSON.stringify({ accountId: 'nope' }),
      });
      expect(bad.status).toBe(400);
    });
  });

  describe('IAM', () => {
    it('authorizes on the distribution ARN', async () => {
      const allowed = sandbox.control.createDistribution({ accountId: DEV });
      const other = sandbox.control.createDistribution({ accountId: DEV });
      const iam = new IAMClient(clientConfig(sandbox, sandbox.credentialsFor(DEV), { clock }));
      const deployer = client(
        await userWithPolicy(iam, 'deployer', [
          {
            Effect: 'Allow',
            Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
            Resource: allowed.arn,
          },
        ]),
      );
      const ok = await deployer.send(
        new CreateInvalidationCommand({
          DistributionId: allowed.id,
          InvalidationBatch: { CallerReference: 'r', Paths: { Quantity: 1, Items: ['/*'] } },
        }),
      );
      expect(ok.Invalidation?.Status).toBe('InProgress');
      const denied = await rejection(
        deployer.send(
          new CreateInvalidationCommand({
            DistributionId: other.id,
            InvalidationBatch: { CallerReference: 'r', Paths: { Quantity: 1, Items: ['/*'] } },
          }),
        ),
      );
      expect(denied).toBeInstanceOf(AccessDenied);
      expect(denied.message).toContain(`cloudfront:CreateInvalidation on resource: ${other.arn}`);
      expect(await rejection(deployer.send(new ListDistributionsCommand({})))).toBeInstanceOf(
        AccessDenied,
      );
    });
  });
});
