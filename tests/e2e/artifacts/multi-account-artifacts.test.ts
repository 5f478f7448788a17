/**
 * Issue 7's end-to-end proof, with the multi-account example: a deployment builds one image
 * (buildah, `DOCKER:BUILD`) and one bundle (`BUNDLE:BUILD`, a Node script zipping `app/`) once in
 * the CI/CD account, mirrors both into the three stage accounts and regions, deploys the image to
 * ECS by digest and publishes the bundle. A second commit touching nothing under
 * `rebuild_when_changed` rebuilds nothing and copies nothing; a failing build fails the
 * deployment before its first stage, quoting the build's last lines.
 *
 * The example's Terraform step is left out of the copy deployed here: it reads organization and
 * stage secrets, which this control plane cannot hold yet, and it has nothing to do with
 * artifacts. The deploy step names the cluster Terraform would have output instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeImagesCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { recordedSha256 } from '@rampart/artifacts';
import {
  AwsClientFactory,
  bootstrapSettingsFrom,
  loadPipelines,
  runBootstrap,
  type BootstrapEvent,
} from '@rampart/aws';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import type { ControlPlaneConfig } from '@rampart/core';
import type { EngineEventInfo, EventListResponse, LogListResponse } from '@rampart/protocol';
import { startServer, type RunningServer } from '@rampart/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestGitRepo } from '../../../packages/server/src/test-support/git-repo.js';
import { ApiClient } from '../deployments/support/api-client.js';
import { outline, skipRunningBakes } from '../deployments/support/deployment-waits.js';
import { SkippableClock } from '../deployments/support/skippable-clock.js';
import { waitFor } from '../deployments/support/wait-for.js';

const MANAGEMENT = '111111111111';
const CICD = '222222222222';
const STAGING = '444444444444';
const PROD = '555555555555';
const REGION = 'us-east-1';
const SLUG = 'web';
const example = join(import.meta.dirname, '..', '..', '..', 'examples', 'multi-account');

/** The example's stages, mapped onto the sandbox's accounts. */
const STAGES = [
  { name: 'staging', accountId: STAGING, region: 'us-east-1', alarms: ['web-staging-5xx'] },
  {
    name: 'prod-us-east-1',
    accountId: PROD,
    region: 'us-east-1',
    alarms: ['web-prod-5xx', 'web-prod-latency'],
  },
  {
    name: 'prod-us-west-2',
    accountId: PROD,
    region: 'us-west-2',
    alarms: ['web-prod-5xx', 'web-prod-latency'],
  },
] as const;
type Stage = (typeof STAGES)[number];

/** Where a deployment has ended (`building` and `running` have not). */
const ENDED = new Set(['succeeded', 'failed', 'cancelled', 'rolled_back', 'superseded']);

/** Tuesday 10:00 in Los Angeles: inside the production stages' PACIFIC_WORKING_HOURS window. */
const CLOCK_START = '2026-03-03T18:00:00Z';

/** Requests that write an artifact store: any of them in the second deployment is a copy. */
const WRITES = {
  s3: [
    'PutObject',
    'CopyObject',
    'CreateMultipartUpload',
    'UploadPart',
    'UploadPartCopy',
    'CompleteMultipartUpload',
  ],
  ecr: [
    'PutImage',
    'InitiateLayerUpload',
    'UploadLayerPart',
    'CompleteLayerUpload',
    'RegistryStartUpload',
    'RegistryPatchUpload',
    'RegistryCompleteUpload',
    'RegistryPutManifest',
  ],
} as const;

function hasBuildah(): boolean {
  try {
    execFileSync('buildah', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const buildah = hasBuildah();

/** The example's files, its pipeline mapped onto the sandbox (see the module comment). */
function exampleCopy(): Record<string, string> {
  const read = (path: string) => readFileSync(join(example, path), 'utf8');
  const pipeline = read('.rampart/web/pipeline.yaml')
    .replace("account_id: '222222222222'", `account_id: '${STAGING}'`)
    .replace(/account_id: '333333333333'/g, `account_id: '${PROD}'`)
    .replace(/ {4}- name: Synthesize Infrastructure\n[\s\S]*?\n\n/, '')
    .replace('${{ steps.infra.cluster_name }}', '${{ vars.service_name }}-${{ stage.name }}');
  expect(pipeline).not.toContain('TERRAFORM');
  expect(pipeline).toContain('Static Site');
  const files: Record<string, string> = {
    '.rampart/web/pipeline.yaml': pipeline,
    '.gitignore': 'dist/\n',
  };
  for (const path of [
    '.rampart/web/aws_additional_iam_policies.json',
    'app/Dockerfile',
    'app/index.html',
    'scripts/zip-folder.mjs',
    'infra/main.tf',
  ]) {
    files[path] = read(path);
  }
  return files;
}

describe.skipIf(!buildah)(
  'the multi-account example: one image and one bundle, built once, mirrored into three stages',
  () => {
    let dir: string;
    let sandbox: Sandbox;
    let clock: SkippableClock;
    let server: RunningServer;
    let repo: TestGitRepo;
    let api: ApiClient;
    let sdk: AwsClientFactory;
    let first: Awaited<ReturnType<typeof deployment>>;

    const admin = (accountId: string) => sandbox.credentialsFor(accountId);
    const ecr = (accountId: string, region: string) =>
      sdk.ecr({ region, credentials: admin(accountId) });
    const events = async (revision: number): Promise<EngineEventInfo[]> =>
      (
        await api.call<EventListResponse>(
          'GET',
          `/pipelines/${SLUG}/deployments/${revision}/events?limit=1000`,
        )
      ).body.events;
    const logs = async (revision: number): Promise<string[]> =>
      (
        await api.call<LogListResponse>(
          'GET',
          `/pipelines/${SLUG}/deployments/${revision}/logs?limit=5000`,
        )
      ).body.lines.map((l) => l.text);
    /** What the build phase reported per artifact: `built` or `reused`, with the fields. */
    const builds = (list: EngineEventInfo[]) =>
      list
        .filter((e) => e.stage === undefined && e.type.startsWith('artifact.'))
        .map((e) => {
          const data = (e.data ?? {}) as Record<string, unknown>;
          return {
            type: e.type,
            artifact: data['artifact'] as string,
            fields: (data['fields'] ?? {}) as Record<string, string>,
            message: data['message'] as string | undefined,
            error: data['error'] as string | undefined,
          };
        });
    /** Image digests of a repository. */
    const imagesIn = async (accountId: string, region: string, repository: string) => {
      const out = await ecr(accountId, region).send(
        new DescribeImagesCommand({ repositoryName: repository }),
      );
      return (out.imageDetails ?? []).map((i) => i.imageDigest);
    };
    const repositoryUri = async (accountId: string, region: string, repository: string) => {
      const out = await ecr(accountId, region).send(
        new DescribeRepositoriesCommand({ repositoryNames: [repository] }),
      );
      return out.repositories?.[0]?.repositoryUri;
    };
    /** The SHA-256 each object of a bucket records. */
    const bundlesIn = async (accountId: string, region: string, bucket: string) => {
      const s3 = sdk.s3({ region, credentials: admin(accountId) });
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      return Promise.all(
        (listed.Contents ?? []).map(async (o) =>
          recordedSha256(await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: o.Key }))),
        ),
      );
    };
    const siteFiles = async (stage: Stage) => {
      const s3 = sdk.s3({ region: stage.region, credentials: admin(stage.accountId) });
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: `web-site-${stage.name}` }));
      return (listed.Contents ?? []).map((o) => o.Key).sort();
    };
    const serviceImage = async (stage: Stage) => {
      const ecs = sdk.ecs({ region: stage.region, credentials: admin(stage.accountId) });
      const name = `web-${stage.name}`;
      const described = await ecs.send(
        new DescribeServicesCommand({ cluster: name, services: [name] }),
      );
      const task = await ecs.send(
        new DescribeTaskDefinitionCommand({
          taskDefinition: described.services?.[0]?.taskDefinition,
        }),
      );
      return task.taskDefinition?.containerDefinitions?.find((c) => c.name === 'web')?.image;
    };
    async function deployment(sha: string) {
      const revision = await api.deploy(SLUG, { sha, reason: 'artifacts end to end' });
      // Builds run first (buildah takes seconds), then the stages; bakes are skipped on the clock.
      const detail = await waitFor(
        `${SLUG}:${revision} to end`,
        async (seen) => {
          const found = await api.deployment(SLUG, revision);
          seen(outline(found));
          if (ENDED.has(found.status)) return found;
          skipRunningBakes({ api, clock }, found);
          return undefined;
        },
        { timeoutMs: 240_000, everyMs: 100 },
      );
      return { revision, detail, events: await events(revision) };
    }

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rampart-e2e-artifacts-'));
      clock = new SkippableClock(CLOCK_START);
      sandbox = await startSandbox({ clock, tickIntervalMs: 0, delays: { 'ecs.task-start': 5 } });
      sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, clock, maxAttempts: 1 });

      // What the team's own infrastructure code would have made: cluster, service, alarms and
      // the site bucket of every stage.
      for (const stage of STAGES) {
        const target = { region: stage.region, credentials: admin(stage.accountId) };
        const name = `web-${stage.name}`;
        const ecs = sdk.ecs(target);
        await ecs.send(new CreateClusterCommand({ clusterName: name }));
        const registered = await ecs.send(
          new RegisterTaskDefinitionCommand({
            family: name,
            containerDefinitions: [
              { name: 'web', image: 'registry.example/web:initial', memory: 256 },
            ],
          }),
        );
        await ecs.send(
          new CreateServiceCommand({
            cluster: name,
            serviceName: name,
            taskDefinition: registered.taskDefinition?.taskDefinitionArn,
            desiredCount: 1,
          }),
        );
        const cw = sdk.cloudWatch(target);
        for (const alarm of stage.alarms) {
          await cw.send(
            new PutMetricAlarmCommand({
              AlarmName: alarm,
              Namespace: 'AWS/ECS',
              MetricName: 'HTTPCode_Target_5XX_Count',
              Dimensions: [
                { Name: 'ClusterName', Value: name },
                { Name: 'ServiceName', Value: name },
              ],
              Statistic: 'Sum',
              Period: 60,
              EvaluationPeriods: 1,
              Threshold: 0,
              ComparisonOperator: 'GreaterThanThreshold',
            }),
          );
          await cw.send(
            new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'quiet' }),
          );
        }
        await sdk.s3(target).send(
          new CreateBucketCommand({
            Bucket: `web-site-${stage.name}`,
            ...(stage.region === 'us-east-1'
              ? {}
              : {
                  CreateBucketConfiguration: {
                    LocationConstraint: stage.region as BucketLocationConstraint,
                  },
                }),
          }),
        );
      }

      repo = new TestGitRepo(join(dir, 'repo'), dir);
      repo.commit(exampleCopy(), 'the multi-account example');
      const config: ControlPlaneConfig = {
        organization: {
          name: 'Acme',
          slug: 'acme',
          cicd_account_id: CICD,
          cicd_account_region: REGION,
        },
        data_dir: join(dir, 'data'),
        aws: { endpoint_url: sandbox.endpoint },
      };
      server = await startServer({
        config,
        listen: '127.0.0.1:0',
        clock,
        engineConfig: { alarmPollIntervalMs: 200 },
        runtime: { storePollIntervalMs: 200 },
        steps: { poller: { intervalMs: 50 } },
      });
      const settings = bootstrapSettingsFrom({ ...config, issuer_url: server.issuer.issuerUrl });
      const loaded = await loadPipelines(repo.dir, settings);
      expect(loaded.errors).toEqual([]);
      const failures: BootstrapEvent[] = [];
      const outcome = await runBootstrap({
        settings,
        pipelines: loaded.pipelines,
        mode: 'deploy',
        sdk: new AwsClientFactory({
          endpointUrl: sandbox.endpoint,
          defaultCredentials: admin(MANAGEMENT),
          clock,
        }),
        emit: (e) => {
          if (e.type === 'stack-failed' || e.type === 'account-unreachable') failures.push(e);
        },
        poller: { sleep: () => new Promise((resolve) => setImmediate(resolve)), intervalMs: 0 },
      });
      expect(failures).toEqual([]);
      expect(outcome.ok).toBe(true);
      api = new ApiClient(server.url, server.firstAdminToken?.secret ?? '');
      await api.register(SLUG, repo.dir);

      first = await deployment(repo.git('rev-parse', 'HEAD'));
    }, 300_000);

    afterAll(async () => {
      await server?.stop();
      await sandbox?.stop();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it('builds the image and the bundle once, then deploys every stage', () => {
      expect(first.detail.status).toBe('succeeded');
      expect(first.detail.stages.map((s) => [s.name, s.status])).toEqual(
        STAGES.map((s) => [s.name, 'succeeded']),
      );
      const built = builds(first.events);
      expect(built.map((b) => `${b.type} ${b.artifact}`).sort()).toEqual([
        'artifact.build_started Static Site',
        'artifact.build_started Web Image',
        'artifact.built Static Site',
        'artifact.built Web Image',
      ]);
      // Nothing is built per stage: the stages only mirror.
      expect(
        first.events.filter((e) => e.stage !== undefined && e.type.startsWith('artifact.')),
      ).toEqual([]);
    });

    it("mirrors the image into each stage's repository, and ECS runs that copy by digest", async () => {
      const image = builds(first.events).find(
        (b) => b.type === 'artifact.built' && b.artifact === 'Web Image',
      );
      const digest = image?.fields['image_digest'] ?? '';
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await imagesIn(CICD, REGION, 'web-web-image')).toEqual([digest]);
      for (const stage of STAGES) {
        const repository = `web-${stage.name}-web-image`;
        expect(await imagesIn(stage.accountId, stage.region, repository), stage.name).toEqual([
          digest,
        ]);
        const uri = await repositoryUri(stage.accountId, stage.region, repository);
        expect(await serviceImage(stage), stage.name).toBe(`${uri ?? '?'}@${digest}`);
      }
    });

    it("mirrors the bundle into each stage's bucket with the same SHA-256, and publishes it", async () => {
      const bundle = builds(first.events).find(
        (b) => b.type === 'artifact.built' && b.artifact === 'Static Site',
      );
      const sha256 = bundle?.fields['sha256'] ?? '';
      expect(sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await bundlesIn(CICD, REGION, `${CICD}-web-static-site`)).toEqual([sha256]);
      for (const stage of STAGES) {
        const bucket = `${stage.accountId}-web-${stage.name}-static-site`;
        expect(await bundlesIn(stage.accountId, stage.region, bucket), stage.name).toEqual([
          sha256,
        ]);
        // The step unzipped the stage's copy: the files of app/.
        expect(await siteFiles(stage), stage.name).toEqual(['Dockerfile', 'index.html']);
      }
    });

    it('rebuilds nothing and copies nothing for a commit outside rebuild_when_changed', async () => {
      const sha = repo.commit(
        { 'infra/README.md': 'The infrastructure of the web example.\n' },
        'docs: describe the infrastructure',
      );
      sandbox.control.clearRequestLog();
      const second = await deployment(sha);
      expect(second.detail.status).toBe('succeeded');

      const reused = builds(second.events).filter((b) => b.type === 'artifact.reused');
      expect(
        reused.map((b) => b.artifact).sort(),
        JSON.stringify({
          builds: builds(second.events),
          log: (await logs(second.revision)).slice(0, 40),
        }),
      ).toEqual(['Static Site', 'Web Image']);
      expect(builds(second.events).filter((b) => b.type === 'artifact.built')).toEqual([]);
      for (const b of reused) {
        expect(b.message).toContain(`reused build of revision ${first.revision}`);
        const original = builds(first.events).find(
          (x) => x.type === 'artifact.built' && x.artifact === b.artifact,
        );
        expect(b.fields, b.artifact).toEqual(original?.fields);
      }
      expect((await logs(second.revision)).some((line) => line.includes('reused'))).toBe(true);

      // Only looks, no copies: no upload into any repository or bucket.
      const log = sandbox.control.requestLog();
      const writes = log.filter((r) =>
        (WRITES as Record<string, readonly string[]>)[r.service]?.includes(r.action),
      );
      expect(writes.map((r) => `${r.service} ${r.action} ${r.accountId}`)).toEqual([]);
      expect(log.some((r) => r.service === 'ecr' && r.action === 'RegistryHeadManifest')).toBe(
        true,
      );
      expect(log.some((r) => r.service === 's3' && r.action === 'HeadObject')).toBe(true);
      for (const stage of STAGES) {
        const repository = `web-${stage.name}-web-image`;
        const uri = await repositoryUri(stage.accountId, stage.region, repository);
        const digest = reused.find((b) => b.artifact === 'Web Image')?.fields['image_digest'];
        expect(await serviceImage(stage), stage.name).toBe(`${uri ?? '?'}@${digest ?? '?'}`);
      }
    }, 180_000);

    it('fails a deployment whose build fails before its first stage, with the last lines', async () => {
      const sha = repo.commit(
        {
          'scripts/zip-folder.mjs': [
            "console.log('zipping app/');",
            "console.error('zip-folder: the disk is full');",
            'process.exit(3);',
            '',
          ].join('\n'),
        },
        'break the site build',
      );
      const third = await deployment(sha);
      expect(third.detail.status).toBe('failed');
      expect(third.detail.stages.map((s) => [s.name, s.status])).toEqual(
        STAGES.map((s) => [s.name, 'not_reached']),
      );
      expect(third.events.filter((e) => e.type === 'stage.started')).toEqual([]);
      const failed = builds(third.events).find((b) => b.type === 'artifact.build_failed');
      expect(failed?.artifact).toBe('Static Site');
      expect(failed?.error).toContain('zip-folder: the disk is full');
      // The image did not change: it is reused, not rebuilt.
      expect(
        builds(third.events).filter(
          (b) => b.type === 'artifact.built' && b.artifact === 'Web Image',
        ),
      ).toEqual([]);
    }, 180_000);
  },
);

describe.runIf(!buildah)('the multi-account artifacts end to end', () => {
  it.skip("needs buildah for the example's DOCKER:BUILD image (CI installs it)", () => undefined);
});
